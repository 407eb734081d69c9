/**
 * Reads and validates the whole prompts folder into a snapshot. Any invalid file fails the load
 * with `KnowledgeInvalidError` (file, line, offer), so a half-valid folder is never used. The
 * catalog index, the slow part, is reused when the catalog has not changed.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KnowledgeInvalidError } from './errors.js';
import type { CatalogSource } from './catalog/load-catalog.js';
import { parseFaq } from './folder/faq.js';
import { parseHandoff } from './folder/handoff.js';
import { parseMessages } from './folder/messages.js';
import { parseTemplate } from './folder/template.js';
import { EarlyIndexWorker, indexCatalog } from './search/index-catalog.js';
import { sha1InSlices, turn } from './catalog/in-slices.js';
import { buildFaqIndex } from './search/faq-index.js';
import { buildSynonyms, parseSynonyms } from './search/synonyms.js';
import { DEFAULT_PALETTE_SPEC, parseColors } from './folder/colors.js';
import type { KnowledgeSnapshot } from './snapshot.js';

/** The files of the folder, by role. */
export const PROMPT_FILES = {
  system: 'system.md',
  messages: 'messages.yml',
  handoff: 'handoff.yml',
  faq: 'faq.jsonl',
  synonyms: 'synonyms.yml',
  colors: 'colors.yml',
  catalogs: ['catalog.yml', 'catalog.xml', 'catalog.csv'],
} as const;

/** What a reload can reuse or take from elsewhere. */
export interface LoadFolderOptions {
  /** The snapshot in use, whose catalog index is reused when the catalog is unchanged. */
  previous?: KnowledgeSnapshot;
  /** A catalog from elsewhere (the CATALOG_URL feed) used instead of the folder's, with its key. */
  external?: { source: CatalogSource; key: string };
  /**
   * Parse and index the catalog in a worker thread, so the event loop never stalls on a large
   * one. @defaultValue false (tests and the command line build small catalogs in place)
   */
  worker?: boolean;
  /** Told when the worker could not be used and the catalog was indexed on this thread. */
  onWorkerFailure?: (error: unknown) => void;
  /** Told why the catalog thread died, before a new one is built. */
  onCrash?: (error: unknown) => void;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KnowledgeInvalidError({ file: path }, `cannot be read: ${(error as Error).message}`, error);
  }
}

/** The folder's catalog files, read (not yet decoded or parsed), with a key of their content. */
async function readCatalogFiles(dir: string): Promise<{ files: Array<{ name: string; bytes: Uint8Array }>; key: string }> {
  const files: Array<{ name: string; bytes: Uint8Array }> = [];
  for (const name of PROMPT_FILES.catalogs) {
    const bytes = await readOptional(join(dir, name));
    if (bytes) files.push({ name, bytes });
  }
  return { files, key: `folder:${await sha1InSlices(files.flatMap((f) => [f.name, f.bytes]))}` };
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
export async function buildSnapshot(
  dir: string,
  texts: PromptTexts,
  options: LoadFolderOptions & { catalogKey?: string; catalogSources?: CatalogSource[]; earlyWorker?: EarlyIndexWorker } = {},
): Promise<KnowledgeSnapshot> {
  const required = (name: string): string => {
    const text = texts[name];
    if (text === undefined) throw new KnowledgeInvalidError({ file: join(dir, name) }, 'the file is missing');
    return text.replace(/^\uFEFF/, '');
  };
  // Each file is parsed in a turn of the event loop of its own: together (YAML, the FAQ index,
  // the synonyms' stems) they held the loop for 60-100 ms on a busy machine at start.
  const template = parseTemplate(required(PROMPT_FILES.system), join(dir, PROMPT_FILES.system));
  await turn();
  const messages = parseMessages(required(PROMPT_FILES.messages), join(dir, PROMPT_FILES.messages));
  await turn();
  const handoff = parseHandoff(required(PROMPT_FILES.handoff), join(dir, PROMPT_FILES.handoff));
  await turn();
  const faqEntries = parseFaq(texts[PROMPT_FILES.faq] ?? '', join(dir, PROMPT_FILES.faq));
  await turn();
  const faq = await buildFaqIndex(faqEntries);
  await turn();
  const synonymsText = texts[PROMPT_FILES.synonyms];
  const synonyms = synonymsText === undefined ? buildSynonyms([]) : parseSynonyms(synonymsText, join(dir, PROMPT_FILES.synonyms));
  await turn();

  const colorsText = texts[PROMPT_FILES.colors];
  const palette = colorsText === undefined ? DEFAULT_PALETTE_SPEC : parseColors(colorsText, join(dir, PROMPT_FILES.colors));

  let catalogKey: string;
  let sources: CatalogSource[];
  if (options.external) {
    catalogKey = options.external.key;
    sources = [options.external.source];
  } else {
    sources = options.catalogSources ?? PROMPT_FILES.catalogs.filter((name) => texts[name] !== undefined).map((name) => ({ name: join(dir, name), text: texts[name]! }));
    if (sources.length === 0) {
      throw new KnowledgeInvalidError({ file: join(dir, PROMPT_FILES.catalogs[0]) }, 'no catalog: add catalog.yml or catalog.csv (or set CATALOG_URL)');
    }
    catalogKey = options.catalogKey ?? `folder:${createHash('sha1').update(sources.map((f) => f.text ?? '').join('\0')).digest('hex')}`;
  }
  // Offers' colours are read with the colour file: an edit of it re-indexes the catalog.
  if (colorsText !== undefined) catalogKey += `|colors:${createHash('sha1').update(colorsText).digest('hex')}`;
  const index = options.previous?.catalogKey === catalogKey
    ? options.previous.catalog
    : await indexCatalog(sources, { worker: options.worker ?? false, onWorkerFailure: options.onWorkerFailure, onCrash: options.onCrash, palette, early: options.earlyWorker });
  return { template, messages, handoff, faq, synonyms, catalog: index, catalogKey };
}

/** Loads the folder from disk; see the module comment. */
export async function loadPromptsFolder(dir: string, options: LoadFolderOptions = {}): Promise<KnowledgeSnapshot> {
  // The first load always indexes: its worker starts while the files are read and hashed.
  const earlyWorker = options.worker && !options.previous ? new EarlyIndexWorker() : undefined;
  try {
    return await readAndBuild(dir, options, earlyWorker);
  } finally {
    earlyWorker?.close();
  }
}

/** Reads the folder's files and builds the snapshot (`loadPromptsFolder`). */
async function readAndBuild(dir: string, options: LoadFolderOptions, earlyWorker: EarlyIndexWorker | undefined): Promise<KnowledgeSnapshot> {
  const texts: PromptTexts = {};
  for (const name of [PROMPT_FILES.system, PROMPT_FILES.messages, PROMPT_FILES.handoff, PROMPT_FILES.faq, PROMPT_FILES.synonyms, PROMPT_FILES.colors]) {
    texts[name] = (await readOptional(join(dir, name)))?.toString('utf8');
  }
  let catalogKey: string | undefined;
  let catalogSources: CatalogSource[] | undefined;
  if (!options.external) {
    const read = await readCatalogFiles(dir);
    catalogSources = read.files.map((file) => ({ name: join(dir, file.name), bytes: file.bytes, path: join(dir, file.name) }));
    catalogKey = read.key;
  }
  return buildSnapshot(dir, texts, { ...options, catalogKey, catalogSources: catalogSources?.length ? catalogSources : undefined, earlyWorker });
}
