/**
 * The job queue on BullMQ (Redis). Ids are idempotency keys; the failure edge translates our
 * errors into BullMQ's verbs: postpone (DelayedError), rate-limit the queue, unrecoverable, retry.
 */
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { setMaxListeners } from 'node:events';
import type { JobContext, Logger } from '../core/ports.js';
import { classifyFailure } from './failure.js';
import type { JobBackend, JobBackendOptions, JobProcessor, JobWorkerOptions, QueueDepth } from './job-backend.js';

export interface BullJobBackendOptions extends JobBackendOptions {
  /** Makes a new Redis connection: `worker` ones wait out outages, `client` ones fail fast. */
  connect: (purpose: 'worker' | 'client') => Redis;
  /** Key prefix in Redis; tests use one per run. */
  prefix: string;
  logger: Logger;
}

export function createBullJobBackend<T extends object>(options: BullJobBackendOptions): JobBackend<T> {
  const { name, prefix, logger } = options;
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 1000;
  const queueConnection = options.connect('client');
  const queue = new Queue<T>(name, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
      // Finished jobs stay a while so the dashboard shows them and ids stay deduplicated.
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    },
  });
  queue.on('error', (error) => logger.error({ err: error, queue: name }, 'queue connection error'));
  let worker: Worker<T> | undefined;
  let workerConnection: Redis | undefined;
  const shutdown = new AbortController();
  // Every running job (LLM_CONCURRENCY of them) listens on this one signal.
  setMaxListeners(0, shutdown.signal);
  let drainMs = 10_000;

  async function add(jobId: string, data: T, replaceFinished: boolean): Promise<void> {
    if (replaceFinished) {
      const existing = await queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        if (state === 'completed' || state === 'failed') await existing.remove();
      }
    }
    // The job name is the queue name: one kind of job per queue.
    await queue.add(name as never, data as never, { jobId });
  }

  async function run(processor: JobProcessor<T>, job: Job<T>, token?: string): Promise<void> {
    const context: JobContext = {
      jobId: job.id ?? '',
      attempt: job.attemptsMade + 1,
      isFinalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      signal: shutdown.signal,
    };
    try {
      await processor(job.data, context);
    } catch (error) {
      const outcome = classifyFailure(error);
      switch (outcome.kind) {
        case 'postpone':
          await job.moveToDelayed(Date.now() + outcome.delayMs, token);
          throw new DelayedError();
        case 'rate_limited':
          logger.warn({ jobId: job.id, delayMs: outcome.delayMs }, 'model rate limit: pausing the queue');
          await worker?.rateLimit(outcome.delayMs);
          throw Worker.RateLimitError();
        case 'unrecoverable':
          throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
        case 'retry':
          throw error;
      }
    }
  }

  return {
    queue: {
      enqueue: (jobId, data) => add(jobId, data, false),
      requeue: (jobId, data) => add(jobId, data, true),
    },

    async enqueueMany(jobs) {
      await queue.addBulk(jobs.map(({ jobId, data }) => ({ name: name as never, data: data as never, opts: { jobId } })));
    },

    async startWorker(processor, workerOptions: JobWorkerOptions) {
      if (worker) throw new Error(`queue ${name}: worker already started`);
      drainMs = workerOptions.drainMs ?? drainMs;
      if (workerOptions.globalConcurrency) await queue.setGlobalConcurrency(workerOptions.globalConcurrency);
      if (workerOptions.rps) await queue.setGlobalRateLimit(workerOptions.rps, 1000);
      else await queue.removeGlobalRateLimit();
      worker = new Worker<T>(name, (job, token) => run(processor, job, token), {
        connection: (workerConnection = options.connect('worker')),
        prefix,
        concurrency: workerOptions.concurrency,
        // BullMQ honours a manual rate limit (worker.rateLimit on a 429) only when a limiter is
        // configured (getRateLimitTTL.lua ignores the key without a max): without LLM_RPS, a max
        // no queue reaches.
        limiter: { max: workerOptions.rps ?? 1_000_000_000, duration: 1000 },
        // A worker killed mid-call leaves its job stalled; it is picked up again, a few times.
        maxStalledCount: 3,
        stalledInterval: 15_000,
      });
      worker.on('error', (error) => logger.error({ err: error, queue: name }, 'worker error'));
      worker.on('failed', (job, error) => {
        if (!job || error.name === 'DelayedError' || error.name === 'RateLimitError') return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
        logger[final ? 'error' : 'warn']({ jobId: job.id, attempt: job.attemptsMade, err: error }, final ? 'job failed for good' : 'job failed; will retry');
      });
      await worker.waitUntilReady();
    },

    async depth(): Promise<QueueDepth> {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
      return {
        waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    async ping() {
      try {
        return (await queueConnection.ping()) === 'PONG';
      } catch {
        return false;
      }
    },

    async close() {
      if (worker) {
        const timer = setTimeout(() => shutdown.abort(new Error('shutting down')), drainMs);
        await worker.close();
        clearTimeout(timer);
      }
      await queue.close();
      // BullMQ leaves connections it was given open: they are ours to close.
      await Promise.all([queueConnection, workerConnection].map((connection) => connection?.quit().catch(() => connection.disconnect())));
    },
  };
}
