/**
 * Builds a catalog index for a running process: in a worker thread, so parsing and indexing a
 * 50,000-offer feed never stall the event loop, and the parse's garbage never enters the main
 * heap. Where a worker cannot be started, the same work runs here in slices instead.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { parseCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { copyInSlices } from '../catalog/in-slices.js';
import { splitFeed, tailBytes } from '../catalog/split-feed.js';
import { buildCatalogIndex, openCatalogIndex, type CatalogIndex, type CatalogIndexData } from './catalog-index.js';
import type { IndexJob, IndexReply } from './index-worker.js';

/** How to build. */
export interface IndexCatalogOptions {
  /** Build in a worker thread. @defaultValue true */
  worker?: boolean;
  /** The colour words to read offers with. @defaultValue the built-in list */
  palette?: PaletteSpec;
  /**
   * A feed of this many bytes or more is read by two worker threads, where the machine has two
   * cores or more. On 2 cores a 50,000-offer feed (38 MB) then loads in 3.7-3.9 s instead of
   * 4.6-4.8 s, but peaks at 555 MB RSS instead of 375 and keeps 208 MB after the load instead of
   * 170, over the 200 MB the process may hold: so it is off unless asked for.
   * @defaultValue Infinity (one worker)
   */
  splitAboveBytes?: number;
  /** Told why the worker could not be used, before the build falls back to this thread. */
  onWorkerFailure?: (error: unknown) => void;
}

/**
 * Parses and indexes catalog sources. Throws `KnowledgeInvalidError` when a source does not
 * validate, whichever thread found it.
 */
export async function indexCatalog(sources: CatalogSource[], options: IndexCatalogOptions = {}): Promise<CatalogIndex> {
  if (options.worker !== false) {
    try {
      const split = availableParallelism() > 1 && sources.length === 1 && sources[0]!.bytes ? splitFeed(sources[0]!.bytes, options.splitAboveBytes ?? Infinity) : undefined;
      // The bytes' memory is moved to the worker, not cloned. A file just read is moved as it is;
      // other bytes (a feed's, kept for later rebuilds) are copied first, in slices.
      const moved = await Promise.all(sources.map(async (s) => (s.bytes && !s.path ? { ...s, bytes: await copyInSlices(s.bytes) } : s)));
      if (!split) return openCatalogIndex(await runWorkers({ sources: moved, palette: options.palette }));
      // The head worker gets the bytes up to the split, the tail worker a feed of the rest.
      const feed = moved[0]!;
      const tail = { ...feed, bytes: await tailBytes(feed.bytes!, split) };
      return openCatalogIndex(await runWorkers({ sources: [{ ...feed, bytes: feed.bytes!.subarray(0, split.at) }], palette: options.palette }, { sources: [tail], palette: options.palette }));
    } catch (error) {
      if (error instanceof KnowledgeInvalidError) throw error;
      options.onWorkerFailure?.(error);
    }
  }
  return buildCatalogIndex(await parseCatalogSources(await withBytes(sources)), options.palette);
}

/** The sources with the bytes a failed worker took (now detached, empty) read again from their files. */
async function withBytes(sources: CatalogSource[]): Promise<CatalogSource[]> {
  return Promise.all(sources.map(async (s) => (s.path && s.bytes?.byteLength === 0 ? { ...s, bytes: await readFile(s.path) } : s)));
}

/**
 * Started from TypeScript sources (tsx, vitest), the worker must first register tsx's loader
 * itself: Node 20 does not pass `--import` loader hooks on to worker threads. A compiled build
 * runs the `.js` file as it is.
 */
const fromSource = import.meta.url.endsWith('.ts');
// Resolved once at import: under tsx a require.resolve waits on the loader thread, which is
// busy while a worker starts. tsx's ESM API is exported for `import` as .mjs beside the .cjs.
const tsxApi = fromSource ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs') : '';

function createWorker(): Worker {
  if (!fromSource) return new Worker(new URL('./index-worker.js', import.meta.url));
  const api = tsxApi;
  const entry = new URL('./index-worker.ts', import.meta.url).href;
  const boot = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

/**
 * Runs the indexing worker on `job`; with `tail`, a second worker reads that (the rest of a split
 * feed) and hands its part to the first. Either worker failing fails the build.
 */
function runWorkers(job: IndexJob, tail?: IndexJob): Promise<CatalogIndexData> {
  const workers = [createWorker(), ...(tail ? [createWorker()] : [])];
  const [head, helper] = workers;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      // The result is handed on once the workers are gone, so their heaps (the parse's garbage)
      // are released before the caller measures or builds anything else.
      void Promise.allSettled(workers.map((w) => w.terminate())).finally(fn);
    };
    head!.once('message', (reply: IndexReply) => settle(() => {
      if (reply.ok) resolve(reply.data);
      else if (reply.invalid) reject(new KnowledgeInvalidError(reply.invalid, reply.invalid.reason));
      else reject(new Error(`catalog indexing worker: ${reply.message}`));
    }));
    for (const worker of workers) {
      worker.once('error', (error) => settle(() => reject(error)));
      // The tail worker may end once it has posted its part; the head worker must answer first.
      worker.once('exit', (code) => (worker === head || code !== 0) && settle(() => reject(new Error(`catalog indexing worker exited with code ${code}`))));
    }
    // Structured cloning of a 40 MB Buffer held the event loop for over a second; moving is free.
    const buffers = (sources: CatalogSource[]) => sources.flatMap((s) => (s.bytes ? [s.bytes.buffer as ArrayBuffer] : []));
    if (!tail) {
      head!.postMessage(job, buffers(job.sources));
      return;
    }
    const { port1, port2 } = new MessageChannel();
    head!.postMessage({ ...job, tail: port1 } satisfies IndexJob, [...buffers(job.sources), port1]);
    helper!.postMessage({ ...tail, head: port2 } satisfies IndexJob, [...buffers(tail.sources), port2]);
  });
}
