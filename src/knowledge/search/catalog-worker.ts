/**
 * The catalog threads, one module for both jobs. An indexing thread reads catalog sources and
 * builds the index data, offers batch by batch as they are read, so it never holds the catalog
 * as objects; it posts the data back and is ended, its heap (the parse's garbage) with it. A
 * search thread is given that data and answers searches: the main thread holds no index, so a
 * broad question's ranking (tens of milliseconds at 50,000 offers, and most of a search's
 * garbage) never holds up the server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { readCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { CatalogIndexBuilder, openCatalogIndex, transferList, type CatalogIndex, type CatalogIndexData } from './catalog-index.js';
import { KEPT_SYNONYMS } from './catalog-thread.js';
import { rankOffers, type RankedOffer } from './rank-offers.js';
import type { Synonyms } from './synonyms.js';

/** A first message: index these sources, post the index data back, and wait to be ended. */
export interface IndexJob {
  kind: 'index';
  sources: CatalogSource[];
  palette?: PaletteSpec;
}

/** The other first message: open this index data and answer searches. */
export interface OpenJob {
  kind: 'open';
  data: CatalogIndexData;
}

/** The answer to an index job: the data, moved rather than copied, or the problem that stopped it. */
export type IndexReply =
  | { ok: true; data: CatalogIndexData }
  | { ok: false; invalid?: { file: string; line?: number; offerId?: string; reason: string }; message: string };

/** Later messages to a searching thread: synonym lists (sent once each, then named by `version`) and searches. */
export type SearchRequest =
  | { kind: 'synonyms'; version: number; synonyms: Synonyms }
  | { kind: 'rank'; id: number; version: number; question: string; limit: number };

/** The answer to a search, by its id. */
export type SearchReply = { id: number; ranked: RankedOffer[] } | { id: number; error: string };

async function index(job: IndexJob): Promise<void> {
  try {
    const builder = new CatalogIndexBuilder(job.palette);
    const shop = await readCatalogSources(job.sources, (offers) => offers.forEach((offer) => builder.add(offer)), { release: true });
    const data = builder.finish(shop);
    parentPort!.postMessage({ ok: true, data } satisfies IndexReply, transferList(data));
  } catch (error) {
    const invalid = error instanceof KnowledgeInvalidError
      ? { file: error.file, line: error.line, offerId: error.offerId, reason: error.reason }
      : undefined;
    parentPort!.postMessage({ ok: false, invalid, message: error instanceof Error ? error.message : String(error) } satisfies IndexReply);
  }
}

function serve(index: CatalogIndex): void {
  const synonyms = new Map<number, Synonyms>();
  parentPort!.on('message', (request: SearchRequest) => {
    if (request.kind === 'synonyms') {
      synonyms.set(request.version, request.synonyms);
      for (const version of synonyms.keys()) if (synonyms.size > KEPT_SYNONYMS) synonyms.delete(version);
      return;
    }
    let reply: SearchReply;
    try {
      const list = synonyms.get(request.version);
      if (!list) throw new Error(`synonyms version ${request.version} was never sent`);
      reply = { id: request.id, ranked: rankOffers(index, list, request.question, request.limit) };
    } catch (error) {
      reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort!.postMessage(reply);
  });
}

parentPort?.once('message', (job: IndexJob | OpenJob) => {
  if (job.kind === 'index') void index(job);
  else serve(openCatalogIndex(job.data));
});
