/**
 * Builds a catalog index for a running process: in a worker thread, so parsing and indexing a
 * 50,000-offer feed never stall the event loop, and the parse's garbage never enters the main
 * heap. Where a worker cannot be started, the same work runs here in slices instead.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KnowledgeInvalidError } from '../errors.js';
import type { PaletteSpec } from '../query/colors.js';
import { parseCatalogSources, type CatalogSource } from '../catalog/load-catalog.js';
import { copyInSlices } from '../catalog/in-slices.js';
import { buildCatalogIndex, openCatalogIndex, type CatalogIndex, type CatalogIndexData } from './catalog-index.js';
import type { IndexJob, IndexReply } from './index-worker.js';

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
}

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
      this.worker = createWorker();
      // Until taken, a failed start is only noted: `take` then gives none, and `runWorker`
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
 * Parses and indexes catalog sources. Throws `KnowledgeInvalidError` when a source does not
 * validate, whichever thread found it.
 */
export async function indexCatalog(sources: CatalogSource[], options: IndexCatalogOptions = {}): Promise<CatalogIndex> {
  if (options.worker !== false) {
    try {
      // The bytes' memory is moved to the worker, not cloned. A file just read is moved as it is;
      // other bytes (a feed's, kept for later rebuilds) are copied first, in slices.
      const moved = await Promise.all(sources.map(async (s) => (s.bytes && !s.path ? { ...s, bytes: await copyInSlices(s.bytes) } : s)));
      return openCatalogIndex(await runWorker({ sources: moved, palette: options.palette }, options.early?.take()));
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

function runWorker(job: IndexJob, worker = createWorker()): Promise<CatalogIndexData> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      // The result is handed on once the worker is gone, so its heap (the parse's garbage) is
      // released before the caller measures or builds anything else.
      void worker.terminate().finally(fn);
    };
    worker.once('message', (reply: IndexReply) => settle(() => {
      if (reply.ok) resolve(reply.data);
      else if (reply.invalid) reject(new KnowledgeInvalidError(reply.invalid, reply.invalid.reason));
      else reject(new Error(`catalog indexing worker: ${reply.message}`));
    }));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`catalog indexing worker exited with code ${code}`))));
    // Structured cloning of a 40 MB Buffer held the event loop for over a second; moving is free.
    worker.postMessage(job, job.sources.flatMap((s) => (s.bytes ? [s.bytes.buffer as ArrayBuffer] : [])));
  });
}
