/** One consistent, validated version of the prompts folder: what every knowledge call reads. */
import type { SearchableCatalog } from './search/searchable-catalog.js';
import type { FaqIndex } from './search/faq-index.js';
import type { Synonyms } from './search/synonyms.js';
import type { HandoffPhrases } from './folder/handoff.js';
import type { Messages } from './folder/messages.js';
import type { SystemTemplate } from './folder/template.js';

/** Everything the knowledge base reads, from one validated version of the folder. */
export interface KnowledgeSnapshot {
  template: SystemTemplate;
  messages: Messages;
  handoff: HandoffPhrases;
  faq: FaqIndex;
  synonyms: Synonyms;
  catalog: SearchableCatalog;
  /** Identifies the catalog text the index was built from, so an unchanged catalog is not re-indexed. */
  catalogKey: string;
}
