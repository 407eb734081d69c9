/**
 * The catalog feed at CATALOG_URL: fetched with a timeout and identified by its ETag and content
 * hash, so an unchanged feed is neither re-parsed nor re-indexed. Parsing (YML or CSV, by
 * content) happens with the indexing, off the main thread.
 */
import { CatalogFetchError } from '../errors.js';
import { sha1InSlices } from './in-slices.js';
import type { CatalogSource } from './load-catalog.js';

/** A successfully fetched feed, not yet parsed. */
export interface FetchedCatalog {
  source: CatalogSource;
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
 * Fetches the feed. Fails with `CatalogFetchError` when the feed cannot be fetched; whether it
 * validates is found when it is indexed (`KnowledgeInvalidError` naming the URL, line and offer).
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
  const key = `feed:${await sha1InSlices([bytes])}`;
  if (options.previous?.key === key) return options.previous;
  // A feed URL's extension says little ("/export?format=yml"): the parser goes by the content.
  const source = { name: url, bytes, contentType: response.headers.get('content-type') };
  return { source, key, etag: response.headers.get('etag') ?? undefined };
}
