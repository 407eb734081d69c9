/**
 * The job backend contract (JobQueue port + worker): one suite, run against the in-process and the
 * BullMQ backends with no branches inside. Every test waits for an observable outcome with a
 * deadline; timings are asserted only as lower bounds (a delay that must have passed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationBusyError, LlmRequestError } from '../../src/core/errors.js';
import type { JobContext } from '../../src/core/ports.js';
import type { JobBackend, JobProcessor, JobWorkerOptions } from '../../src/queue/job-backend.js';
import { waitFor } from '../support/wait-for.js';

export interface TestJob {
  label: string;
}

export interface JobBackendHarness {
  /** A backend on a queue of its own. */
  create(options: { attempts?: number; backoffMs?: number }): JobBackend<TestJob>;
  /** Releases what `create` made besides the backends (connections); called after they are closed. */
  dispose(): Promise<void>;
}

interface Run {
  jobId: string;
  label: string;
  attempt: number;
  isFinalAttempt: boolean;
  startedAt: number;
  /** When the run returned or threw. */
  endedAt?: number;
  /** Whether its signal was aborted when it ended. */
  aborted?: boolean;
}

/** A processor that records every run; `behaviour` decides what each run does (by default nothing). */
function probe(behaviour: (run: Run, context: JobContext) => Promise<void> | void = () => undefined) {
  const runs: Run[] = [];
  let running = 0;
  let maxRunning = 0;
  const processor: JobProcessor<TestJob> = async (data, context) => {
    const run: Run = { jobId: context.jobId, label: data.label, attempt: context.attempt, isFinalAttempt: context.isFinalAttempt, startedAt: Date.now() };
    runs.push(run);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    try {
      await behaviour(run, context);
    } finally {
      running -= 1;
      run.endedAt = Date.now();
      run.aborted = context.signal.aborted;
    }
  };
  return {
    runs,
    processor,
    get running() {
      return running;
    },
    get maxRunning() {
      return maxRunning;
    },
    /** The runs of one job, in order. */
    of: (jobId: string) => runs.filter((r) => r.jobId === jobId),
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nothing waiting, running or scheduled for later. */
async function isIdle(backend: JobBackend<TestJob>): Promise<boolean> {
  const depth = await backend.depth();
  return depth.waiting + depth.active + depth.delayed === 0;
}

/** A promise and the function that settles it: lets a test hold a job until it says so. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export function jobBackendContract(implementation: string, makeHarness: () => JobBackendHarness): void {
  describe(`job backend contract: ${implementation}`, () => {
    let harness: JobBackendHarness | undefined;
    const backends: JobBackend<TestJob>[] = [];

    function backend(options: { attempts?: number; backoffMs?: number } = {}): JobBackend<TestJob> {
      harness ??= makeHarness();
      const created = harness.create(options);
      backends.push(created);
      return created;
    }

    async function started(
      options: { attempts?: number; backoffMs?: number },
      processor: JobProcessor<TestJob>,
      worker: JobWorkerOptions = { concurrency: 1 },
    ): Promise<JobBackend<TestJob>> {
      const created = backend(options);
      await created.startWorker(processor, worker);
      return created;
    }

    afterEach(async () => {
      await Promise.allSettled(backends.splice(0).map((b) => b.close()));
      await harness?.dispose();
      harness = undefined;
    });

    describe('idempotent ids', () => {
      it('runs an enqueued job once', async () => {
        const p = probe();
        const queue = await started({}, p.processor);

        await queue.queue.enqueue('job-1', { label: 'a' });

        await waitFor(async () => p.runs.length === 1 && (await isIdle(queue)));
        expect(p.runs).toMatchObject([{ jobId: 'job-1', label: 'a', attempt: 1 }]);
      });

      it('runs a job id enqueued twice while it waits only once', async () => {
        const p = probe();
        const queue = backend();
        await queue.queue.enqueue('job-1', { label: 'first' });
        await queue.queue.enqueue('job-1', { label: 'second' });

        await queue.startWorker(p.processor, { concurrency: 1 });

        await waitFor(async () => p.runs.length >= 1 && (await isIdle(queue)));
        expect(p.runs.map((r) => r.label)).toEqual(['first']);
      });

      it('ignores a job id enqueued again while that job runs', async () => {
        const hold = gate();
        const p = probe(() => hold.opened);
        const queue = await started({}, p.processor);
        await queue.queue.enqueue('job-1', { label: 'first' });
        await waitFor(() => p.running === 1);

        await queue.queue.enqueue('job-1', { label: 'second' });
        hold.open();

        await waitFor(async () => p.runs[0]?.endedAt !== undefined && (await isIdle(queue)));
        expect(p.runs.map((r) => r.label)).toEqual(['first']);
      });

      it('ignores a plain enqueue of a job id that already finished', async () => {
        const p = probe();
        const queue = await started({}, p.processor);
        await queue.queue.enqueue('job-1', { label: 'first' });
        await waitFor(async () => p.runs.length === 1 && (await isIdle(queue)));

        await queue.queue.enqueue('job-1', { label: 'again' });
        await queue.queue.enqueue('job-2', { label: 'sentinel' });

        await waitFor(async () => p.of('job-2').length === 1 && (await isIdle(queue)));
        expect(p.of('job-1').map((r) => r.label)).toEqual(['first']);
      });

      it('requeue replaces a finished job, which runs again with the new data', async () => {
        const p = probe();
        const queue = await started({}, p.processor);
        await queue.queue.enqueue('job-1', { label: 'first' });
        await waitFor(async () => p.runs.length === 1 && (await isIdle(queue)));

        await queue.queue.requeue('job-1', { label: 'recovered' });

        await waitFor(async () => p.runs.length === 2 && (await isIdle(queue)));
        expect(p.of('job-1').map((r) => [r.label, r.attempt])).toEqual([
          ['first', 1],
          ['recovered', 1],
        ]);
      });

      it('requeue leaves a waiting job alone', async () => {
        const p = probe();
        const queue = backend();
        await queue.queue.enqueue('job-1', { label: 'first' });
        await queue.queue.requeue('job-1', { label: 'recovered' });

        await queue.startWorker(p.processor, { concurrency: 1 });

        await waitFor(async () => p.runs.length >= 1 && (await isIdle(queue)));
        expect(p.runs.map((r) => r.label)).toEqual(['first']);
      });
    });

    describe('failures', () => {
      it('retries a failing job after a backoff, and the run that succeeds ends it', async () => {
        const p = probe((run) => {
          if (run.attempt === 1) throw new Error('model unreachable');
        });
        const queue = await started({ attempts: 3, backoffMs: 100 }, p.processor);

        await queue.queue.enqueue('job-1', { label: 'a' });

        await waitFor(async () => p.runs.length === 2 && (await isIdle(queue)));
        const [first, second] = p.runs;
        expect([first?.attempt, second?.attempt]).toEqual([1, 2]);
        // 100 ms with ±50% jitter: at least 50 ms (a few ms of timer slack allowed).
        expect((second?.startedAt ?? 0) - (first?.endedAt ?? 0)).toBeGreaterThanOrEqual(45);
        expect((await queue.depth()).failed).toBe(0);
      });

      it('counts attempts and marks only the last allowed run final', async () => {
        const p = probe(() => {
          throw new Error('model unreachable');
        });
        const queue = await started({ attempts: 3, backoffMs: 10 }, p.processor);

        await queue.queue.enqueue('job-1', { label: 'a' });

        await waitFor(async () => (await queue.depth()).failed === 1);
        expect(p.runs.map((r) => [r.attempt, r.isFinalAttempt])).toEqual([
          [1, false],
          [2, false],
          [3, true],
        ]);
      });

      it('fails a job at once when the model answers 400', async () => {
        const p = probe(() => {
          throw new LlmRequestError(400, undefined, 'bad request');
        });
        const queue = await started({ attempts: 3, backoffMs: 10 }, p.processor);

        await queue.queue.enqueue('job-1', { label: 'a' });

        await waitFor(async () => (await queue.depth()).failed === 1 && (await isIdle(queue)));
        expect(p.runs).toHaveLength(1);
      });

      it('postpones a job whose conversation is busy without using up an attempt', async () => {
        const p = probe(() => {
          if (p.runs.length <= 3) throw new ConversationBusyError('c-1', 20);
        });
        const queue = await started({ attempts: 2, backoffMs: 10 }, p.processor);

        await queue.queue.enqueue('job-1', { label: 'a' });

        await waitFor(async () => p.runs.length === 4 && (await isIdle(queue)));
        expect(p.runs.map((r) => [r.attempt, r.isFinalAttempt])).toEqual(Array.from({ length: 4 }, () => [1, false]));
        expect((await queue.depth()).failed).toBe(0);
      });

      it('runs a job the model rate-limited again after the advised delay, without using up an attempt', async () => {
        const p = probe(() => {
          if (p.runs.length === 1) throw new LlmRequestError(429, 300);
        });
        const queue = await started({ attempts: 2, backoffMs: 10 }, p.processor);

        await queue.queue.enqueue('job-1', { label: 'a' });

        await waitFor(async () => p.runs.length === 2 && (await isIdle(queue)));
        const [limited, again] = p.runs;
        expect([limited?.attempt, again?.attempt]).toEqual([1, 1]);
        expect((again?.startedAt ?? 0) - (limited?.endedAt ?? 0)).toBeGreaterThanOrEqual(290);
      });

      it('holds every other job back while the model rate limit lasts', async () => {
        const p = probe((run) => {
          if (run.jobId === 'job-1' && p.of('job-1').length === 1) throw new LlmRequestError(429, 300);
        });
        const queue = await started({ attempts: 2, backoffMs: 10 }, p.processor, { concurrency: 1 });
        await queue.queue.enqueue('job-1', { label: 'limited' });
        await waitFor(() => p.of('job-1')[0]?.endedAt);

        await queue.queue.enqueue('job-2', { label: 'other' });

        await waitFor(async () => p.of('job-2').length === 1 && p.of('job-1').length === 2 && (await isIdle(queue)));
        const limitedAt = p.of('job-1')[0]?.endedAt ?? 0;
        expect((p.of('job-2')[0]?.startedAt ?? 0) - limitedAt).toBeGreaterThanOrEqual(290);
      });
    });

    describe('concurrency', () => {
      it('runs at most `concurrency` jobs at once', async () => {
        const p = probe(() => sleep(40));
        const queue = await started({}, p.processor, { concurrency: 2 });

        for (let i = 1; i <= 6; i += 1) await queue.queue.enqueue(`job-${i}`, { label: `${i}` });

        await waitFor(async () => p.runs.length === 6 && (await isIdle(queue)));
        expect(p.maxRunning).toBe(2);
      });

      it('runs at most `globalConcurrency` jobs at once when it is below `concurrency`', async () => {
        const p = probe(() => sleep(30));
        const queue = await started({}, p.processor, { concurrency: 3, globalConcurrency: 1 });

        for (let i = 1; i <= 4; i += 1) await queue.queue.enqueue(`job-${i}`, { label: `${i}` });

        await waitFor(async () => p.runs.length === 4 && (await isIdle(queue)));
        expect(p.maxRunning).toBe(1);
      });
    });

    describe('close', () => {
      it('lets a running job finish before it resolves', async () => {
        const order: string[] = [];
        const p = probe(async () => {
          await sleep(150);
          order.push('job finished');
        });
        const queue = await started({}, p.processor, { concurrency: 1, drainMs: 10_000 });
        await queue.queue.enqueue('job-1', { label: 'a' });
        await waitFor(() => p.running === 1);

        await queue.close();
        order.push('closed');

        expect(order).toEqual(['job finished', 'closed']);
        expect(p.runs[0]?.aborted).toBe(false);
      });

      it('aborts the signal of a job that outlasts drainMs', async () => {
        const p = probe(
          (_run, context) =>
            new Promise<void>((resolve) => {
              context.signal.addEventListener('abort', () => resolve());
              setTimeout(resolve, 10_000).unref();
            }),
        );
        const queue = await started({}, p.processor, { concurrency: 1, drainMs: 50 });
        await queue.queue.enqueue('job-1', { label: 'a' });
        await waitFor(() => p.running === 1);

        await queue.close();

        expect(p.runs[0]?.aborted).toBe(true);
        expect((p.runs[0]?.endedAt ?? 0) - (p.runs[0]?.startedAt ?? 0)).toBeLessThan(5000);
      });
    });
  });
}
