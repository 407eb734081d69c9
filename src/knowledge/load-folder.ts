/**
 * Reads and validates the whole prompts folder into a snapshot. Any invalid file fails the load
 * with `KnowledgeInvalidError` (file, line, offer), so a half-valid folder is never used. The
 * catalog index, the slow part, is reused when the catalog has not changed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KnowledgeInvalidError } from './errors.js';
import { decodeCatalog } from './catalog/decode.js';
import { mergeCatalogs, parseCatalog } from './catalog/load-catalog.js';
import { parseFaq } from './folder/faq.js';
import { parseHandoff } from './folder/handoff.js';
import { parseMessages } from './folder/messages.js';
import { parseTemplate } from './folder/template.js';
import { buildCatalogIndex } from './search/catalog-index.js';
import { buildFaqIndex } from './search/faq-index.js';
import { buildSynonyms, parseSynonyms } from './search/synonyms.js';
import type { Catalog } from './catalog/offer.js';
import type { KnowledgeSnapshot } from './snapshot.js';

/** The files of the folder, by role. */
export const PROMPT_FILES = {
  system: 'system.md',
  messages: 'messages.yml',
  handoff: 'handoff.yml',
  faq: 'faq.jsonl',
  synonyms: 'synonyms.yml',
  catalogs: ['catalog.yml', 'catalog.xml', 'catalog.csv'],
} as const;

export interface LoadFolderOptions {
  /** The snapshot in use, whose catalog index is reused when the catalog is unchanged. */
  previous?: KnowledgeSnapshot;
  /** A catalog from elsewhere (the CATALOG_URL feed) used instead of the folder's, with its key. */
  external?: { catalog: Catalog; key: string };
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KnowledgeInvalidError({ file: path }, `cannot be read: ${(error as Error).message}`, error);
  }
}

async function readRequired(dir: string, name: string): Promise<string> {
  const bytes = await readOptional(join(dir, name));
  if (!bytes) throw new KnowledgeInvalidError({ file: join(dir, name) }, 'the file is missing');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** The folder's catalog files, read (not yet parsed), with a key of their content. */
async function readCatalogFiles(dir: string): Promise<{ files: Array<{ path: string; text: string }>; key: string }> {
  const files: Array<{ path: string; text: string }> = [];
  const hash = createHash('sha1');
  for (const name of PROMPT_FILES.catalogs) {
    const bytes = await readOptional(join(dir, name));
    if (!bytes) continue;
    hash.update(name).update(bytes);
    files.push({ path: join(dir, name), text: decodeCatalog(bytes) });
  }
  return { files, key: `folder:${hash.digest('hex')}` };
}

/** Whether the folder has a catalog file of its own. */
export async function hasFolderCatalog(dir: string): Promise<boolean> {
  return (await readCatalogFiles(dir)).files.length > 0;
}

/** Loads the folder; see the module comment. */
export async function loadPromptsFolder(dir: string, options: LoadFolderOptions = {}): Promise<KnowledgeSnapshot> {
  const template = parseTemplate(await readRequired(dir, PROMPT_FILES.system), join(dir, PROMPT_FILES.system));
  const messages = parseMessages(await readRequired(dir, PROMPT_FILES.messages), join(dir, PROMPT_FILES.messages));
  const handoff = parseHandoff(await readRequired(dir, PROMPT_FILES.handoff), join(dir, PROMPT_FILES.handoff));
  const faqText = (await readOptional(join(dir, PROMPT_FILES.faq)))?.toString('utf8') ?? '';
  const faq = buildFaqIndex(parseFaq(faqText, join(dir, PROMPT_FILES.faq)));
  const synonymsText = (await readOptional(join(dir, PROMPT_FILES.synonyms)))?.toString('utf8');
  const synonyms = synonymsText === undefined ? buildSynonyms([]) : parseSynonyms(synonymsText, join(dir, PROMPT_FILES.synonyms));

  let catalogKey: string;
  let catalog: Catalog | undefined;
  if (options.external) {
    catalogKey = options.external.key;
    catalog = options.external.catalog;
  } else {
    const read = await readCatalogFiles(dir);
    if (read.files.length === 0) {
      throw new KnowledgeInvalidError({ file: join(dir, PROMPT_FILES.catalogs[0]) }, 'no catalog: add catalog.yml or catalog.csv (or set CATALOG_URL)');
    }
    catalogKey = read.key;
    if (options.previous?.catalogKey !== catalogKey) {
      catalog = mergeCatalogs(await Promise.all(read.files.map((f) => parseCatalog(f.text, f.path))));
      assertUniqueIds(catalog, read.files.map((f) => f.path).join(' + '));
    }
  }
  const index = options.previous?.catalogKey === catalogKey ? options.previous.catalog : await buildCatalogIndex(catalog!);
  return { template, messages, handoff, faq, synonyms, catalog: index, catalogKey };
}

function assertUniqueIds(catalog: Catalog, file: string): void {
  const seen = new Set<string>();
  for (const offer of catalog.offers) {
    if (seen.has(offer.id)) throw new KnowledgeInvalidError({ file, offerId: offer.id }, 'the same offer id is in both catalog files');
    seen.add(offer.id);
  }
}
