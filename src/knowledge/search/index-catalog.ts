/**
 * Builds the searchable catalog of a running process: in the catalog thread, which parses and
 * indexes the feed and then answers searches, so neither a 50,000-offer feed nor a broad
 * question ever stalls the event loop, and neither's garbage enters the main heap. Where a
 * worker cannot be started, the same work runs here in slices instead.
 */
import { readFile } from 'node:fs/promises';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { parseCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { copyInSlices } from '../catalog/in-slices.js';
import { buildCatalogIndex, openCatalogIndex, transferList, type CatalogIndexData } from './catalog-index.js';
import { CatalogThread, type ReadyThread } from './catalog-thread.js';
import type { IndexJob, IndexReply, OpenJob } from './catalog-worker.js';
import { LocalCatalog, type SearchableCatalog } from './searchable-catalog.js';
import { startWorker } from './start-worker.js';

/** How to build. */
export interface IndexCatalogOptions {
  /** Build in a worker thread. @defaultValue true */
  worker?: boolean;
  /** The colour words to read offers with. @defaultValue the built-in list */
  palette?: PaletteSpec;
  /** Told why the worker could not be used, before the build falls back to this thread. */
  onWorkerFailure?: (error: unknown) => void;
  /** A worker started ahead (see `EarlyIndexWorker`), used instead of starting one. */
  early?: EarlyIndexWorker;
  /** Told why the catalog thread died or was ended as stuck, before a new one is built. */
  onCrash?: (error: unknown) => void;
  /** Sources from this size on are searched in a thread of their own. @defaultValue 4 MB */
  searchThreadFromBytes?: number;
}

/**
 * From this size (about 5,000 offers) a catalog is searched in its own thread. A smaller one's
 * broadest search takes a few milliseconds here, less than a thread's round trip and its
 * 30 MB of memory are worth.
 */
const SEARCH_THREAD_FROM_BYTES = 4 * 2 ** 20;

/**
 * The search thread's heap: its garbage is a search's scratch arrays. An 8 MB young generation
 * (V8 grows its default to 48 MB) kept 10-25 MB of RSS off a burst of searches at 50,000 offers,
 * at no cost to search time.
 */
const SEARCH_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8 };

/**
 * An indexing worker started before the catalog is read: a thread, an isolate and the modules of
 * the index take ~250 ms to start, which then overlap reading and hashing the files on this
 * thread instead of following them. `close` ends it when it was not taken.
 */
export class EarlyIndexWorker {
  private worker?: Worker;
  private failed = false;
  private readonly fail = (): void => {
    this.failed = true;
  };

  constructor() {
    try {
      this.worker = startWorker('catalog-worker');
      // Until taken, a failed start is only noted: `take` then gives none, and `runIndexJob`
      // starts one of its own, which fails as this one did and falls back to this thread.
      this.worker.on('error', this.fail).on('exit', this.fail).unref();
    } catch {
      this.worker = undefined;
    }
  }

  /** The worker, once; undefined when it was taken, failed or could not start. */
  take(): Worker | undefined {
    const worker = this.failed ? undefined : this.worker;
    if (worker) {
      worker.off('error', this.fail).off('exit', this.fail).ref();
      this.worker = undefined;
    }
    return worker;
  }

  /** Ends the worker unless it was taken. */
  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/**
 * Parses and indexes catalog sources into a searchable catalog: the catalog's search thread, or
 * an index on this thread where no worker can be started. Throws `KnowledgeInvalidError` when a
 * source does not validate, whichever thread found it.
 */
export async function indexCatalog(sources: CatalogSource[], options: IndexCatalogOptions = {}): Promise<SearchableCatalog> {
  if (options.worker !== false) {
    const threaded = sourceBytes(sources) >= (options.searchThreadFromBytes ?? SEARCH_THREAD_FROM_BYTES);
    try {
      const indexed = async (indexer?: Worker): Promise<CatalogIndexData> =>
        runIndexJob({ kind: 'index', sources: await movable(sources), palette: options.palette }, indexer);
      if (!threaded) return new LocalCatalog(openCatalogIndex(await indexed(options.early?.take())));
      const build = (indexer?: Worker): Promise<ReadyThread> => searchThread(indexed(indexer));
      // A thread rebuilt after a crash reads the same files again: should they have changed
      // meanwhile, the folder's watcher reloads the knowledge base anyway.
      return new CatalogThread(await build(options.early?.take()), () => build(), { onCrash: options.onCrash });
    } catch (error) {
      if (error instanceof KnowledgeInvalidError) throw error;
      options.onWorkerFailure?.(error);
    }
  }
  return new LocalCatalog(await buildCatalogIndex(await parseCatalogSources(await withBytes(sources)), options.palette));
}

/** The sources with the bytes a failed worker took (now detached, empty) read again from their files. */
async function withBytes(sources: CatalogSource[]): Promise<CatalogSource[]> {
  return Promise.all(sources.map(async (s) => (s.path && s.bytes?.byteLength === 0 ? { ...s, bytes: await readFile(s.path) } : s)));
}

function sourceBytes(sources: CatalogSource[]): number {
  return sources.reduce((sum, s) => sum + (s.bytes?.byteLength ?? s.text?.length ?? 0), 0);
}

/**
 * The sources with bytes the worker may take: a file just read is moved as it is (and read
 * again, once a worker has taken it); other bytes (a feed's, kept for later rebuilds) are copied
 * first, in slices.
 */
async function movable(sources: CatalogSource[]): Promise<CatalogSource[]> {
  const read = await withBytes(sources);
  return Promise.all(read.map(async (s) => (s.bytes && !s.path ? { ...s, bytes: await copyInSlices(s.bytes) } : s)));
}

/**
 * A search thread over the index data `indexed` resolves with. The thread is started first, so
 * its start (an isolate and the search modules, ~100-200 ms) overlaps the indexing.
 */
async function searchThread(indexed: Promise<CatalogIndexData>): Promise<ReadyThread> {
  const worker = startWorker('catalog-worker', SEARCH_LIMITS);
  let startError: Error | undefined;
  const failed = (error: Error): void => {
    startError ??= error;
  };
  const exited = (code: number): void => failed(new Error(`catalog search thread exited with code ${code} at start`));
  worker.on('error', failed).on('exit', exited);
  try {
    const data = await indexed;
    if (startError) throw startError;
    // Read before the data is moved to the thread: this thread's views of it are then empty.
    const size = data.offers.offsets.length - 1;
    worker.postMessage({ kind: 'open', data } satisfies OpenJob, transferList(data));
    // No event can come between here and the handle's own listeners: only promise jobs run.
    worker.off('error', failed).off('exit', exited);
    return { worker, shop: data.shop, size };
  } catch (error) {
    void worker.terminate();
    throw error;
  }
}

/** Runs an index job in an indexing thread, which is ended once it has posted the data. */
function runIndexJob(job: IndexJob, worker = startWorker('catalog-worker')): Promise<CatalogIndexData> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      // The result is handed on once the thread is gone, so its heap (the parse's garbage) is
      // released before anything else is built.
      void worker.terminate().finally(fn);
    };
    worker.once('message', (reply: IndexReply) => settle(() => {
      if (reply.ok) resolve(reply.data);
      else if (reply.invalid) reject(new KnowledgeInvalidError(reply.invalid, reply.invalid.reason));
      else reject(new Error(`catalog indexing thread: ${reply.message}`));
    }));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`catalog indexing thread exited with code ${code}`))));
    // Structured cloning of a 40 MB Buffer held the event loop for over a second; moving is free.
    worker.postMessage(job, job.sources.flatMap((s) => (s.bytes ? [s.bytes.buffer as ArrayBuffer] : [])));
  });
}
