/**
 * The knowledge base of a running process: the prompts folder, hot-reloaded, and optionally the
 * catalog feed at CATALOG_URL, refreshed periodically. Every method reads the last good
 * snapshot; an edit or a feed that does not validate is logged (file, line, reason) and ignored.
 */
import { KnowledgeInvalidError } from './errors.js';
import { fetchCatalogFeed, type FetchedCatalog } from './catalog/feed.js';
import { composePrompt } from './compose-prompt.js';
import { hasFolderCatalog, loadPromptsFolder } from './load-folder.js';
import { offlineAnswer } from './offline-answer.js';
import { watchFolder, type FolderWatch } from './watch-folder.js';
import type { KnowledgeBase, Logger } from '../core/ports.js';
import type { KnowledgeSnapshot } from './snapshot.js';
import type { CatalogSource } from './catalog/load-catalog.js';

/** Options of `createPromptsKnowledge`. */
export interface PromptsKnowledgeOptions {
  /** The folder managers edit (PROMPTS_DIR). */
  promptsDir: string;
  logger: Logger;
  /** A YML or CSV feed to take the catalog from instead of the folder (CATALOG_URL). */
  catalogUrl?: string;
  /** How often the feed is fetched again, minutes. @defaultValue 60 */
  catalogRefreshMinutes?: number;
  /** Whether edits of the folder are picked up without a restart. @defaultValue true */
  watch?: boolean;
  /** The fetch used for the feed; a seam for tests. @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Parse and index catalogs in a worker thread, so a large catalog never stalls the event loop.
   * @defaultValue true
   */
  indexInWorker?: boolean;
  /** The clock for `{{date}}`. @defaultValue () => new Date() */
  now?: () => Date;
  /** Tokens reserved for the model's answer (YANDEX_GPT_MAX_TOKENS). @defaultValue 2000 */
  maxTokens?: number;
  /** The model's context window, tokens. @defaultValue 32000 */
  contextTokens?: number;
}

/** One catalog search result, as the HTTP API and the command line show it. */
export interface CatalogHit {
  id: string;
  name: string;
  url: string;
  price: number | null;
  available: boolean;
  /** Relevance, higher is better; comparable within one search only. */
  score: number;
}

/** The catalog's last load, for the admin status page. */
export interface CatalogStatus {
  /** `feed` when the catalog comes from CATALOG_URL, `folder` otherwise. */
  source: 'folder' | 'feed';
  offers: number;
  /** When the catalog in use was loaded. */
  loadedAt: Date;
  /** The last failed load or refresh, when it came after the last good one. */
  lastError?: { at: Date; message: string };
}

/** The knowledge base of a running process, with catalog search for the HTTP API. */
export type PromptsKnowledge = KnowledgeBase & {
  /** The best offers for a query, best first. */
  searchCatalog(query: string, limit: number): Promise<CatalogHit[]>;
  /** The catalog's last load. */
  catalogStatus(): CatalogStatus;
  /** Stops watching and refreshing. */
  close(): Promise<void>;
};

/** How soon a feed that has never loaded is tried again, ms. */
const FIRST_FEED_RETRY_MS = 60_000;
const FEED_TIMEOUT_MS = 120_000;

/**
 * Loads the folder (and the feed) and starts watching. Throws `KnowledgeInvalidError` when the
 * folder is invalid at start, as there is no good version to fall back on.
 */
export async function createPromptsKnowledge(options: PromptsKnowledgeOptions): Promise<PromptsKnowledge> {
  const { promptsDir, logger, catalogUrl } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => new Date());
  const compose = { maxTokens: options.maxTokens ?? 2000, contextTokens: options.contextTokens ?? 32_000 };
  let feed: FetchedCatalog | undefined;
  let catalogLoadedAt = now();
  let catalogError: CatalogStatus['lastError'];
  const failed = (error: unknown) => {
    catalogError = { at: now(), message: error instanceof Error ? error.message : String(error) };
  };

  const external = (): { source: CatalogSource; key: string } | undefined => feed && { source: feed.source, key: feed.key };
  const load = {
    worker: options.indexInWorker ?? true,
    onWorkerFailure: (error: unknown) => logger.warn({ err: error }, 'catalog thread failed to start; indexing and searching on the main thread'),
    onCrash: (error: unknown) => logger.error({ err: error }, 'catalog thread died; building a new one and asking it the searches in flight'),
  };
  const withoutFeed = async (): Promise<FetchedCatalog | undefined> =>
    (await hasFolderCatalog(promptsDir)) ? undefined : { source: { name: 'empty', catalog: { shop: {}, offers: [] } }, key: 'empty' };

  if (catalogUrl) {
    try {
      feed = await fetchCatalogFeed(catalogUrl, { fetch: fetchImpl, timeoutMs: FEED_TIMEOUT_MS });
    } catch (error) {
      failed(error);
      logger.warn({ err: error, url: catalogUrl }, 'catalog feed failed at start; using the folder catalog until it loads');
      feed = await withoutFeed();
    }
  }
  let current: KnowledgeSnapshot;
  try {
    current = await loadPromptsFolder(promptsDir, { external: external(), ...load });
  } catch (error) {
    // A feed that does not validate must not keep the process from starting: the folder's catalog stands in.
    if (!(error instanceof KnowledgeInvalidError) || !catalogUrl || error.file !== catalogUrl) throw error;
    failed(error);
    logger.warn({ err: error, url: catalogUrl, line: error.line, offerId: error.offerId }, 'catalog feed invalid at start; using the folder catalog until it loads');
    feed = await withoutFeed();
    current = await loadPromptsFolder(promptsDir, { external: external(), ...load });
  }
  logger.info({ promptsDir, offers: current.catalog.size, faq: current.faq.entries.length }, 'prompts folder loaded');

  const loadAgain = async (reason: string): Promise<KnowledgeInvalidError | undefined> => {
    try {
      // The new snapshot replaces the old one in one assignment once it is complete: searches
      // meanwhile keep using the old index.
      const previous = current;
      current = await loadPromptsFolder(promptsDir, { previous, external: external(), ...load });
      if (current.catalogKey !== previous.catalogKey) {
        catalogLoadedAt = now();
        catalogError = undefined;
      }
      // The replaced catalog's thread ends a few seconds later, once its searches are answered.
      if (current.catalog !== previous.catalog) previous.catalog.close();
      logger.info({ reason, offers: current.catalog.size, faq: current.faq.entries.length }, 'prompts reloaded');
      return undefined;
    } catch (error) {
      if (!(error instanceof KnowledgeInvalidError)) throw error;
      failed(error);
      const where = { file: error.file, line: error.line, offerId: error.offerId };
      if (catalogUrl && error.file === catalogUrl) logger.warn({ err: error, url: catalogUrl, ...where }, 'catalog feed refresh failed; the last good catalog stays in use');
      else logger.warn({ ...where, reason: error.message }, 'prompts edit refused; the last good version stays in use');
      return error;
    }
  };
  // Folder edits and feed refreshes reload one after the other, so a slow reload that started
  // before a newer feed arrived cannot finish last and put the old catalog back.
  let queue: Promise<unknown> = Promise.resolve();
  const reload = (reason: string): Promise<KnowledgeInvalidError | undefined> => {
    const next = queue.then(() => loadAgain(reason));
    queue = next.catch(() => undefined);
    return next;
  };

  const watcher: FolderWatch | undefined = options.watch === false ? undefined : watchFolder(promptsDir, async () => {
    await reload('folder changed');
  }, logger);
  await watcher?.ready;

  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const refreshMs = (options.catalogRefreshMinutes ?? 60) * 60_000;
  const refresh = async (): Promise<void> => {
    try {
      const fetched = await fetchCatalogFeed(catalogUrl!, { fetch: fetchImpl, timeoutMs: FEED_TIMEOUT_MS, previous: feed?.key === 'empty' ? undefined : feed });
      if (fetched !== feed) {
        const before = feed;
        feed = fetched;
        // A feed that does not validate is dropped, so later folder edits keep the last good one.
        if ((await reload('catalog feed refreshed')) && feed === fetched) feed = before;
      }
    } catch (error) {
      failed(error);
      const where = error instanceof KnowledgeInvalidError ? { file: error.file, line: error.line, offerId: error.offerId } : {};
      logger.warn({ err: error, url: catalogUrl, ...where }, 'catalog feed refresh failed; the last good catalog stays in use');
    }
    schedule();
  };
  const schedule = (): void => {
    if (closed || !catalogUrl) return;
    const neverLoaded = !feed || feed.key === 'empty';
    timer = setTimeout(() => void refresh(), neverLoaded ? Math.min(FIRST_FEED_RETRY_MS, refreshMs) : refreshMs);
    timer.unref();
  };
  schedule();

  const snapshot = (): KnowledgeSnapshot => current;
  return {
    composePrompt: (input) => composePrompt(snapshot(), input, { now: now(), ...compose }),
    offlineAnswer: (question) => offlineAnswer(snapshot(), question),
    text: (key) => {
      const value = (snapshot().messages as Readonly<Record<string, string>>)[key];
      if (value === undefined) throw new Error(`messages.yml has no text "${key}"`); // a key missing from the schema: our bug
      return value;
    },
    wantsPerson: (text) => snapshot().handoff.wantsPerson(text),
    isOutOfDepth: (text) => snapshot().handoff.isOutOfDepth(text),
    searchCatalog: (query, limit) => searchHits(snapshot(), query, limit),
    catalogStatus: () => ({
      source: feed && feed.key !== 'empty' ? 'feed' : 'folder',
      offers: current.catalog.size,
      loadedAt: catalogLoadedAt,
      ...(catalogError ? { lastError: catalogError } : {}),
    }),
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher?.close();
      await queue;
      current.catalog.close();
    },
  };
}

/** Catalog search results in the public shape. */
export async function searchHits(snapshot: KnowledgeSnapshot, query: string, limit: number): Promise<CatalogHit[]> {
  return (await snapshot.catalog.rank(snapshot.synonyms, query, limit)).map(({ offer, score }) => ({
    id: offer.id,
    name: offer.name,
    url: offer.url,
    price: offer.price,
    available: offer.available,
    score: Math.round(score * 10_000) / 10_000,
  }));
}
