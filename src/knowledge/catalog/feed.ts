/**
 * The catalog feed at CATALOG_URL: fetched with a timeout, parsed as YML or CSV, and identified
 * by its ETag so an unchanged feed is neither re-parsed nor re-indexed.
 */
import { createHash } from 'node:crypto';
import { CatalogFetchError } from '../errors.js';
import { decodeCatalog } from './decode.js';
import { looksLikeXml } from './load-catalog.js';
import { parseCsv } from './parse-csv.js';
import { parseYml } from './parse-yml.js';
import type { Catalog } from './offer.js';

/** A successfully fetched and parsed feed. */
export interface FetchedCatalog {
  catalog: Catalog;
  /** Changes when the feed's content does. */
  key: string;
  etag?: string;
}

/** How to fetch the feed. */
export interface FetchFeedOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  /** The last good fetch: its ETag is sent, and a 304 answer returns it unchanged. */
  previous?: FetchedCatalog;
}

/**
 * Fetches and parses the feed. Fails with `CatalogFetchError` when the feed cannot be fetched
 * and with `KnowledgeInvalidError` (naming the URL, line and offer) when it does not validate.
 */
export async function fetchCatalogFeed(url: string, options: FetchFeedOptions): Promise<FetchedCatalog> {
  let response: Response;
  try {
    response = await options.fetch(url, {
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: options.previous?.etag ? { 'if-none-match': options.previous.etag } : {},
    });
  } catch (error) {
    throw new CatalogFetchError(url, (error as Error).message, error);
  }
  if (response.status === 304 && options.previous) return options.previous;
  if (!response.ok) throw new CatalogFetchError(url, `HTTP ${response.status}`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new CatalogFetchError(url, `reading the body: ${(error as Error).message}`, error);
  }
  const text = decodeCatalog(bytes, response.headers.get('content-type'));
  const key = `feed:${createHash('sha1').update(text).digest('hex')}`;
  if (options.previous?.key === key) return options.previous;
  // A feed URL's extension says little ("/export?format=yml"): the content decides.
  const catalog = looksLikeXml(text) ? await parseYml(text, url) : await parseCsv(text, url);
  return { catalog, key, etag: response.headers.get('etag') ?? undefined };
}
