/**
 * The knowledge module: the prompts folder (system prompt, catalog, FAQ, synonyms, handoff
 * phrases, fixed texts), catalog search, prompt composition and offline answers.
 */
export { createPromptsKnowledge, searchHits } from './prompts-knowledge.js';
export type { CatalogHit, CatalogStatus, PromptsKnowledge, PromptsKnowledgeOptions } from './prompts-knowledge.js';
export { checkPromptsDir } from './check.js';
export type { CheckOptions, CheckResult } from './check.js';
export { buildSnapshot, loadPromptsFolder, PROMPT_FILES } from './load-folder.js';
export { buildCatalogIndex } from './search/catalog-index.js';
export { rankOffers } from './search/rank-offers.js';
export { parseCatalog } from './catalog/load-catalog.js';
export { decodeCatalog } from './catalog/decode.js';
export { parseSynonyms, buildSynonyms } from './search/synonyms.js';
export { PLACEHOLDERS } from './folder/template.js';
export { KnowledgeInvalidError, CatalogFetchError } from './errors.js';
export type { KnowledgeSnapshot } from './snapshot.js';
