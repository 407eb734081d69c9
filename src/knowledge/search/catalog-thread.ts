/**
 * The main thread's handle on the catalog thread (`catalog-worker.ts`): sends it searches and
 * hands back its answers. Should the thread die (out of memory, a bug) or stop answering (a
 * search that never ends), a new one is built from the same sources and the searches it was
 * asked are asked again; the one it was working on when that happened twice is answered with an
 * error rather than asked a third time.
 */
import type { Worker } from 'node:worker_threads';
import type { ShopInfo } from '../catalog/offer.js';
import type { SearchReply, SearchRequest } from './catalog-worker.js';
import type { RankedOffer } from './rank-offers.js';
import type { SearchableCatalog } from './searchable-catalog.js';
import type { Synonyms } from './synonyms.js';

/** A catalog thread that has built its index and answers searches. */
export interface ReadyThread {
  worker: Worker;
  shop: ShopInfo;
  size: number;
}

interface PendingSearch {
  synonyms: Synonyms;
  question: string;
  limit: number;
  /** Threads that died while this search was the oldest one asked. */
  crashes: number;
  /** When it was sent to the thread now running (performance.now()); unset while none runs. */
  sentAt?: number;
  resolve(ranked: RankedOffer[]): void;
  reject(error: Error): void;
}

/**
 * Synonym lists a search thread keeps, the newest; the handle mirrors which ones, to send a list
 * again only when the thread no longer has it. A reload that changes the list is followed by
 * searches with the new one only.
 */
export const KEPT_SYNONYMS = 4;

/** A search unanswered this long means the thread is stuck: it is ended and rebuilt as a dead one. */
const SEARCH_TIMEOUT_MS = 10_000;

/**
 * How long a closed (replaced) catalog still answers: a reply composed with the snapshot it
 * belonged to may ask a second search after the swap, and should not fail for it.
 */
const CLOSE_GRACE_MS = 5_000;

/** What a handle is told, and how long it waits. */
export interface CatalogThreadOptions {
  /** Told why a thread died or was ended, before it is rebuilt. */
  onCrash?: (error: unknown) => void;
  /** @defaultValue 10 s */
  timeoutMs?: number;
  /** @defaultValue 5 s */
  closeGraceMs?: number;
}

export class CatalogThread implements SearchableCatalog {
  readonly shop: ShopInfo;
  readonly size: number;
  private worker?: Worker;
  private starting?: Promise<void>;
  private readonly pending = new Map<number, PendingSearch>();
  private nextId = 1;
  /** Every synonym list searched with, by version; and the versions the thread holds now. */
  private readonly versions = new WeakMap<Synonyms, number>();
  private nextVersion = 1;
  private held: number[] = [];
  private closing = false;
  private watchdog?: NodeJS.Timeout;
  private closeTimer?: NodeJS.Timeout;
  private readonly onCrash: (error: unknown) => void;
  private readonly timeoutMs: number;
  private readonly closeGraceMs: number;

  /** @param rebuild builds a new thread from the same sources, when this one dies */
  constructor(ready: ReadyThread, private readonly rebuild: () => Promise<ReadyThread>, options: CatalogThreadOptions = {}) {
    this.shop = ready.shop;
    this.size = ready.size;
    this.onCrash = options.onCrash ?? (() => undefined);
    this.timeoutMs = options.timeoutMs ?? SEARCH_TIMEOUT_MS;
    this.closeGraceMs = options.closeGraceMs ?? CLOSE_GRACE_MS;
    this.attach(ready.worker);
  }

  rank(synonyms: Synonyms, question: string, limit: number): Promise<RankedOffer[]> {
    if (this.closing) return Promise.reject(new Error('the catalog was replaced or closed'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { synonyms, question, limit, crashes: 0, resolve, reject });
      // A thread with searches to answer keeps the process alive; an idle one does not.
      if (this.pending.size === 1) {
        this.worker?.ref();
        this.watchdog = setInterval(() => this.checkStuck(), Math.min(1000, this.timeoutMs / 2)).unref();
      }
      if (this.worker) this.send(id);
      else this.restart();
    });
  }

  /** Ends the thread after the grace period, once the searches asked by then are answered. */
  close(): void {
    if (this.closing || this.closeTimer) return;
    const closeNow = (): void => {
      this.closing = true;
      if (this.pending.size === 0) this.stop();
    };
    if (this.closeGraceMs <= 0) closeNow();
    // Unreferenced: a process that is shutting down need not wait for it.
    else this.closeTimer = setTimeout(closeNow, this.closeGraceMs).unref();
  }

  private attach(worker: Worker): void {
    this.worker = worker;
    this.held = [];
    worker.on('message', (reply: SearchReply) => this.answer(reply));
    worker.once('error', (error) => this.died(worker, error));
    worker.once('exit', (code) => this.died(worker, new Error(`catalog thread exited with code ${code}`)));
    if (this.pending.size === 0) worker.unref();
    for (const id of this.pending.keys()) this.send(id);
  }

  private send(id: number): void {
    const search = this.pending.get(id)!;
    let version = this.versions.get(search.synonyms);
    if (version === undefined) {
      version = this.nextVersion++;
      this.versions.set(search.synonyms, version);
    }
    if (!this.held.includes(version)) {
      this.post({ kind: 'synonyms', version, synonyms: search.synonyms });
      this.held.push(version);
      if (this.held.length > KEPT_SYNONYMS) this.held.shift();
    }
    this.post({ kind: 'rank', id, version, question: search.question, limit: search.limit });
    search.sentAt = performance.now();
  }

  private post(request: SearchRequest): void {
    this.worker!.postMessage(request);
  }

  private answer(reply: SearchReply): void {
    const search = this.pending.get(reply.id);
    if (!search) return;
    this.pending.delete(reply.id);
    if ('error' in reply) search.reject(new Error(`catalog search failed: ${reply.error}`));
    else search.resolve(reply.ranked);
    if (this.pending.size > 0) return;
    clearInterval(this.watchdog);
    if (this.closing) this.stop();
    else this.worker?.unref();
  }

  /** Ends a thread that has left its oldest search unanswered too long (the thread answers in order). */
  private checkStuck(): void {
    const oldest = this.pending.values().next().value;
    if (!this.worker || oldest?.sentAt === undefined || performance.now() - oldest.sentAt < this.timeoutMs) return;
    this.died(this.worker, new Error(`a catalog search went unanswered for ${this.timeoutMs} ms: the thread was ended as stuck`));
  }

  private died(worker: Worker, error: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    void worker.terminate();
    for (const search of this.pending.values()) search.sentAt = undefined;
    if (this.closing && this.pending.size === 0) return;
    this.onCrash(error);
    const oldest = this.pending.entries().next().value;
    if (oldest) {
      const [id, search] = oldest;
      search.crashes += 1;
      if (search.crashes >= 2) {
        this.pending.delete(id);
        search.reject(new Error('the catalog thread died twice on this search'));
      }
    }
    if (this.pending.size > 0) this.restart();
    else clearInterval(this.watchdog);
  }

  /** Builds a new thread, once at a time; when that fails, the searches waiting for it fail. */
  private restart(): void {
    this.starting ??= this.rebuild().then(
      (ready) => {
        this.starting = undefined;
        if (this.closing && this.pending.size === 0) void ready.worker.terminate();
        else this.attach(ready.worker);
      },
      (error: unknown) => {
        this.starting = undefined;
        const failure = new Error(`the catalog thread could not be rebuilt: ${error instanceof Error ? error.message : String(error)}`);
        for (const search of this.pending.values()) search.reject(failure);
        this.pending.clear();
        clearInterval(this.watchdog);
      },
    );
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
  }
}
