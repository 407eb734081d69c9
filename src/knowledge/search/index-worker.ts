/**
 * The indexing worker: reads catalog sources and builds the index data off the main thread,
 * then posts it back with its buffers transferred (not copied). Offers are indexed batch by batch
 * as they are read, so the worker never holds the catalog as objects; everything it allocates
 * dies with it, and the main thread's heap holds only the packed index.
 *
 * Asked to (`splitAboveBytes`), two of them read a large feed (see split-feed.ts): the head
 * worker reads the first part and then adds the offers a tail worker read from the rest, which it
 * gets over a port of their own; the result is the index one worker would have built, and the
 * errors the ones it would have reported.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { readCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { OfferValidator } from '../catalog/validate-offers.js';
import { CatalogIndexBuilder, partTransferList, transferList, type CatalogIndexData, type CatalogIndexPart } from './catalog-index.js';

/** What the main thread sends. */
export interface IndexJob {
  sources: CatalogSource[];
  palette?: PaletteSpec;
  /** For the head worker of a split feed: where the tail worker's part will come. */
  tail?: MessagePort;
  /** For the tail worker of a split feed (`tailBytes`): where to hand its part. */
  head?: MessagePort;
}

type Invalid = { file: string; line?: number; offerId?: string; reason: string };

/** What the worker answers: the data, or the problem that stopped it. */
export type IndexReply =
  | { ok: true; data: CatalogIndexData }
  | { ok: false; invalid?: Invalid; message: string };

/** What a tail worker hands the head worker: its part, or its problem; either way the ids it accepted. */
type TailReply = { accepted: { ids: string[]; lines: Int32Array } } & ({ ok: true; part: CatalogIndexPart } | { ok: false; invalid?: Invalid; message: string });

function problem(error: unknown): { invalid?: Invalid; message: string } {
  const invalid = error instanceof KnowledgeInvalidError ? { file: error.file, line: error.line, offerId: error.offerId, reason: error.reason } : undefined;
  return { invalid, message: error instanceof Error ? error.message : String(error) };
}

async function readHead(job: IndexJob): Promise<CatalogIndexData> {
  const builder = new CatalogIndexBuilder(job.palette);
  const validator = job.tail && new OfferValidator(job.sources[0]!.name);
  const shop = await readCatalogSources(job.sources, (offers) => offers.forEach((offer) => builder.add(offer)), { release: true, validator });
  if (job.tail) {
    const tail = await new Promise<TailReply>((resolve) => job.tail!.once('message', resolve));
    job.tail.close();
    validator!.acceptLater(tail.accepted);
    if (!tail.ok) throw tail.invalid ? new KnowledgeInvalidError(tail.invalid, tail.invalid.reason) : new Error(tail.message);
    builder.absorb(tail.part);
  }
  return builder.finish(shop);
}

async function readTail(job: IndexJob, head: MessagePort): Promise<void> {
  const validator = new OfferValidator(job.sources[0]!.name);
  let reply: TailReply;
  try {
    const builder = new CatalogIndexBuilder(job.palette);
    await readCatalogSources(job.sources, (offers) => offers.forEach((offer) => builder.add(offer)), { release: true, validator });
    reply = { ok: true, part: builder.part(), accepted: validator.accepted() };
  } catch (error) {
    reply = { ok: false, ...problem(error), accepted: validator.accepted() };
  }
  // The port stays open: the main thread ends this worker once the head worker has answered.
  head.postMessage(reply, reply.ok ? partTransferList(reply.part) : []);
}

parentPort?.once('message', (job: IndexJob) => {
  void (async () => {
    if (job.head) {
      await readTail(job, job.head);
      return;
    }
    try {
      const data = await readHead(job);
      parentPort!.postMessage({ ok: true, data } satisfies IndexReply, transferList(data));
    } catch (error) {
      parentPort!.postMessage({ ok: false, ...problem(error) } satisfies IndexReply);
    }
  })();
});
