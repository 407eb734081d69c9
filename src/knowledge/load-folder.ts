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

/** What a reload can reuse or take from elsewhere. */
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

/** The folder's catalog files, read (not yet parsed), with a key of their content. */
async function readCatalogFiles(dir: string): Promise<{ files: Array<{ name: string; text: string }>; key: string }> {
  const files: Array<{ name: string; text: string }> = [];
  const hash = createHash('sha1');
  for (const name of PROMPT_FILES.catalogs) {
    const bytes = await readOptional(join(dir, name));
    if (!bytes) continue;
    hash.update(name).update(bytes);
    files.push({ name, text: decodeCatalog(bytes) });
  }
  return { files, key: `folder:${hash.digest('hex')}` };
}

/** Whether the folder has a catalog file of its own. */
export async function hasFolderCatalog(dir: string): Promise<boolean> {
  return (await readCatalogFiles(dir)).files.length > 0;
}

/** The folder's files as text, by name (`system.md`, `catalog.yml`…); absent files are undefined. */
export type PromptTexts = Partial<Record<string, string>>;

/**
 * Builds a snapshot from file texts, without touching the disk: the pure part of loading, used
 * by `loadPromptsFolder` and by tests. `dir` only prefixes file names in error messages.
 */
export async function buildSnapshot(dir: string, texts: PromptTexts, options: LoadFolderOptions & { catalogKey?: string } = {}): Promise<KnowledgeSnapshot> {
  const required = (name: string): string => {
    const text = texts[name];
    if (text === undefined) throw new KnowledgeInvalidError({ file: join(dir, name) }, 'the file is missing');
    return text.replace(/^\uFEFF/, '');
  };
  const template = parseTemplate(required(PROMPT_FILES.system), join(dir, PROMPT_FILES.system));
  const messages = parseMessages(required(PROMPT_FILES.messages), join(dir, PROMPT_FILES.messages));
  const handoff = parseHandoff(required(PROMPT_FILES.handoff), join(dir, PROMPT_FILES.handoff));
  const faq = buildFaqIndex(parseFaq(texts[PROMPT_FILES.faq] ?? '', join(dir, PROMPT_FILES.faq)));
  const synonymsText = texts[PROMPT_FILES.synonyms];
  const synonyms = synonymsText === undefined ? buildSynonyms([]) : parseSynonyms(synonymsText, join(dir, PROMPT_FILES.synonyms));

  let catalogKey: string;
  let catalog: Catalog | undefined;
  if (options.external) {
    catalogKey = options.external.key;
    catalog = options.external.catalog;
  } else {
    const files = PROMPT_FILES.catalogs.filter((name) => texts[name] !== undefined);
    if (files.length === 0) {
      throw new KnowledgeInvalidError({ file: join(dir, PROMPT_FILES.catalogs[0]) }, 'no catalog: add catalog.yml or catalog.csv (or set CATALOG_URL)');
    }
    catalogKey = options.catalogKey ?? `folder:${createHash('sha1').update(files.map((f) => texts[f]).join('\0')).digest('hex')}`;
    if (options.previous?.catalogKey !== catalogKey) {
      catalog = mergeCatalogs(await Promise.all(files.map((name) => parseCatalog(texts[name]!, join(dir, name)))));
      assertUniqueIds(catalog, files.map((name) => join(dir, name)).join(' + '));
    }
  }
  const index = options.previous?.catalogKey === catalogKey ? options.previous.catalog : await buildCatalogIndex(catalog!);
  return { template, messages, handoff, faq, synonyms, catalog: index, catalogKey };
}

/** Loads the folder from disk; see the module comment. */
export async function loadPromptsFolder(dir: string, options: LoadFolderOptions = {}): Promise<KnowledgeSnapshot> {
  const texts: PromptTexts = {};
  for (const name of [PROMPT_FILES.system, PROMPT_FILES.messages, PROMPT_FILES.handoff, PROMPT_FILES.faq, PROMPT_FILES.synonyms]) {
    texts[name] = (await readOptional(join(dir, name)))?.toString('utf8');
  }
  let catalogKey: string | undefined;
  if (!options.external) {
    const read = await readCatalogFiles(dir);
    for (const file of read.files) texts[file.name] = file.text;
    catalogKey = read.key;
  }
  return buildSnapshot(dir, texts, { ...options, catalogKey });
}

function assertUniqueIds(catalog: Catalog, file: string): void {
  const seen = new Set<string>();
  for (const offer of catalog.offers) {
    if (seen.has(offer.id)) throw new KnowledgeInvalidError({ file, offerId: offer.id }, 'the same offer id is in both catalog files');
    seen.add(offer.id);
  }
}
