/**
 * The job queue in this process, for a single-process install without Redis. Same behaviour the
 * core relies on as the BullMQ one: idempotent ids, attempts with jittered exponential backoff,
 * postponement without using an attempt, queue-wide pause on rate limits, a concurrency cap and an
 * optional jobs-per-second cap. Jobs live in memory: after a crash the database recovery sweep
 * puts every unanswered message back (see core/recover-pending.ts).
 */
import { setMaxListeners } from 'node:events';
import type { JobContext, Logger } from '../core/ports.js';
import { backoffDelay, classifyFailure } from './failure.js';
import type { JobBackend, JobBackendOptions, JobProcessor, JobWorkerOptions, QueueDepth } from './job-backend.js';

type State = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';

interface Entry<T> {
  id: string;
  data: T;
  attemptsMade: number;
  state: State;
  timer?: NodeJS.Timeout;
}

export interface InProcessJobBackendOptions extends JobBackendOptions {
  logger: Logger;
  /** Finished jobs remembered for deduplication. @defaultValue 10000 */
  keepFinished?: number;
}

export function createInProcessJobBackend<T>(options: InProcessJobBackendOptions): JobBackend<T> {
  const { logger, name } = options;
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  const keepFinished = options.keepFinished ?? 10_000;
  const jobs = new Map<string, Entry<T>>();
  const waiting: Entry<T>[] = [];
  const finished: string[] = [];
  const running = new Set<Promise<void>>();
  const shutdown = new AbortController();
  // Every running job (LLM_CONCURRENCY of them) listens on this one signal.
  setMaxListeners(0, shutdown.signal);
  let processor: JobProcessor<T> | undefined;
  let workerOptions: JobWorkerOptions = { concurrency: 1 };
  let active = 0;
  let pausedUntil = 0;
  let pauseTimer: NodeJS.Timeout | undefined;
  const startTimes: number[] = [];
  let closed = false;

  function add(jobId: string, data: T, replaceFinished: boolean): void {
    if (closed) throw new Error(`queue ${name}: closed`);
    const existing = jobs.get(jobId);
    if (existing && !(replaceFinished && (existing.state === 'completed' || existing.state === 'failed'))) return;
    const entry: Entry<T> = { id: jobId, data, attemptsMade: 0, state: 'waiting' };
    jobs.set(jobId, entry);
    waiting.push(entry);
    pump();
  }

  function later(entry: Entry<T>, delayMs: number): void {
    entry.state = 'delayed';
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.state = 'waiting';
      waiting.push(entry);
      pump();
    }, delayMs);
  }

  function finish(entry: Entry<T>, state: 'completed' | 'failed'): void {
    entry.state = state;
    finished.push(entry.id);
    while (finished.length > keepFinished) {
      const old = finished.shift();
      if (old && jobs.get(old)?.state === 'completed') jobs.delete(old);
      else if (old && jobs.get(old)?.state === 'failed') jobs.delete(old);
    }
  }

  /** Delay before another job may start under the jobs-per-second cap; 0 when it may start now. */
  function rpsWait(now: number): number {
    const rps = workerOptions.rps;
    if (!rps) return 0;
    while (startTimes.length && (startTimes[0] ?? 0) <= now - 1000) startTimes.shift();
    return startTimes.length < rps ? 0 : (startTimes[0] ?? now) + 1000 - now;
  }

  function pump(): void {
    if (!processor || closed) return;
    while (active < workerOptions.concurrency && waiting.length) {
      const now = Date.now();
      const wait = Math.max(pausedUntil - now, rpsWait(now));
      if (wait > 0) {
        if (!pauseTimer) pauseTimer = setTimeout(() => ((pauseTimer = undefined), pump()), wait);
        return;
      }
      const entry = waiting.shift() as Entry<T>;
      startTimes.push(now);
      active += 1;
      entry.state = 'active';
      const run = execute(entry).finally(() => {
        active -= 1;
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  }

  async function execute(entry: Entry<T>): Promise<void> {
    const context: JobContext = {
      jobId: entry.id,
      attempt: entry.attemptsMade + 1,
      isFinalAttempt: entry.attemptsMade + 1 >= attempts,
      signal: shutdown.signal,
    };
    try {
      await (processor as JobProcessor<T>)(entry.data, context);
      finish(entry, 'completed');
    } catch (error) {
      if (closed) return finish(entry, 'failed');
      const outcome = classifyFailure(error);
      if (outcome.kind === 'postpone') return later(entry, outcome.delayMs);
      if (outcome.kind === 'rate_limited') {
        logger.warn({ jobId: entry.id, delayMs: outcome.delayMs }, 'model rate limit: pausing the queue');
        pausedUntil = Math.max(pausedUntil, Date.now() + outcome.delayMs);
        entry.state = 'waiting';
        waiting.unshift(entry);
        return;
      }
      entry.attemptsMade += 1;
      if (outcome.kind === 'unrecoverable' || entry.attemptsMade >= attempts) {
        logger.error({ jobId: entry.id, attempt: entry.attemptsMade, err: error }, 'job failed for good');
        return finish(entry, 'failed');
      }
      logger.warn({ jobId: entry.id, attempt: entry.attemptsMade, err: error }, 'job failed; will retry');
      later(entry, backoffDelay(backoffMs, entry.attemptsMade));
    }
  }

  return {
    queue: {
      enqueue: async (jobId, data) => add(jobId, data, false),
      requeue: async (jobId, data) => add(jobId, data, true),
    },

    async startWorker(jobProcessor, startOptions) {
      if (processor) throw new Error(`queue ${name}: worker already started`);
      processor = jobProcessor;
      // One process is every worker there is: the global cap is the local one.
      const concurrency = Math.min(startOptions.concurrency, startOptions.globalConcurrency ?? Infinity);
      workerOptions = { ...startOptions, concurrency };
      pump();
    },

    async depth(): Promise<QueueDepth> {
      const depth: QueueDepth = { waiting: 0, active: 0, delayed: 0, failed: 0 };
      for (const entry of jobs.values()) {
        if (entry.state === 'waiting') depth.waiting += 1;
        else if (entry.state === 'active') depth.active += 1;
        else if (entry.state === 'delayed') depth.delayed += 1;
        else if (entry.state === 'failed') depth.failed += 1;
      }
      return depth;
    },

    async ping() {
      return !closed;
    },

    async close() {
      closed = true;
      for (const entry of jobs.values()) if (entry.timer) clearTimeout(entry.timer);
      if (pauseTimer) clearTimeout(pauseTimer);
      const abortTimer = setTimeout(() => shutdown.abort(new Error('shutting down')), workerOptions.drainMs ?? 10_000);
      await Promise.allSettled([...running]);
      clearTimeout(abortTimer);
    },
  };
}
