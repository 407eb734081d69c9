/**
 * The indexing worker: reads catalog sources and builds the index data off the main thread,
 * then posts it back with its buffers transferred (not copied). Offers are indexed batch by batch
 * as they are read, so the worker never holds the catalog as objects; everything it allocates
 * dies with it, and the main thread's heap holds only the packed index.
 */
import { parentPort } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { readCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { CatalogIndexBuilder, transferList, type CatalogIndexData } from './catalog-index.js';

/** What the main thread sends. */
export interface IndexJob {
  sources: CatalogSource[];
  palette?: PaletteSpec;
}

/** What the worker answers: the data, or the problem that stopped it. */
export type IndexReply =
  | { ok: true; data: CatalogIndexData }
  | { ok: false; invalid?: { file: string; line?: number; offerId?: string; reason: string }; message: string };

parentPort?.once('message', (job: IndexJob) => {
  void (async () => {
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
  })();
});
