/** What both queue implementations (BullMQ and in-process) offer the composition root. */
import type { JobContext, JobQueue } from '../core/ports.js';

/**
 * Runs one job. Throwing hands the failure to `classifyFailure`; on the final attempt the
 * processor is expected to settle the outcome itself (a fallback reply), not to throw.
 */
export type JobProcessor<T> = (data: T, context: JobContext) => Promise<void>;

export interface JobBackendOptions {
  /** Queue name (see names.ts). */
  name: string;
  /** Runs of a job before it fails for good. @defaultValue 5 */
  attempts?: number;
  /** Delay before the first retry, ms; doubles with each attempt, ±50% jitter. @defaultValue 1000 */
  backoffMs?: number;
}

export interface JobWorkerOptions {
  /** Jobs this process runs at once. */
  concurrency: number;
  /** Jobs running at once across every process on the queue (BullMQ global concurrency). */
  globalConcurrency?: number;
  /** Jobs started per second across every process; unset: no cap. */
  rps?: number;
  /** How long `close` waits for running jobs before aborting them, ms. @defaultValue 10000 */
  drainMs?: number;
}

/** Counts for metrics and readiness. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface JobBackend<T> {
  queue: JobQueue<T>;
  /**
   * Adds several jobs in one round trip, each as `queue.enqueue` would (an id already waiting or
   * running is left alone); all added or a rejection. Only where the backend gains from it.
   */
  enqueueMany?(jobs: Array<{ jobId: string; data: T }>): Promise<void>;
  /** Starts consuming; call at most once. */
  startWorker(processor: JobProcessor<T>, options: JobWorkerOptions): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Whether the backing store answers (for /readyz). */
  ping(): Promise<boolean>;
  /** Stops taking jobs, lets running ones finish (up to `drainMs`, then aborts them), disconnects. */
  close(): Promise<void>;
}
