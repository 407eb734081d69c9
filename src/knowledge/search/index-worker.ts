/**
 * The indexing worker: parses catalog sources and builds the index data off the main thread,
 * then posts it back with its buffers transferred (not copied). Everything the parse allocates
 * dies with the worker, so the main thread's heap holds only the packed index.
 */
import { parentPort } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { parseCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { buildCatalogIndexData, transferList, type CatalogIndexData } from './catalog-index.js';

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
      const data = await buildCatalogIndexData(await parseCatalogSources(job.sources), { palette: job.palette });
      parentPort!.postMessage({ ok: true, data } satisfies IndexReply, transferList(data));
    } catch (error) {
      const invalid = error instanceof KnowledgeInvalidError
        ? { file: error.file, line: error.line, offerId: error.offerId, reason: error.reason }
        : undefined;
      parentPort!.postMessage({ ok: false, invalid, message: error instanceof Error ? error.message : String(error) } satisfies IndexReply);
    }
  })();
});
