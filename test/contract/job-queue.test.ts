/**
 * The job backend contract against the in-process backend and BullMQ on the machine's Redis (a
 * per-test key prefix), plus what only BullMQ can show: several workers sharing one queue.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createBullJobBackend } from '../../src/queue/bull-job-backend.js';
import { createInProcessJobBackend } from '../../src/queue/in-process-job-backend.js';
import type { JobBackend } from '../../src/queue/job-backend.js';
import { silentLogger } from '../fakes/noop-metrics.js';
import { waitFor } from '../support/wait-for.js';
import { jobBackendContract, type TestJob } from './job-queue.contract.js';

/**
 * Makes connections the way the app does (src/infrastructure.ts) and per-test key prefixes, and
 * remembers both: `dispose` quits the connections and deletes the prefixes' keys.
 */
function redisConnections() {
  const made: Redis[] = [];
  const prefixes: string[] = [];
  const freshPrefix = () => {
    const prefix = `test-${inject('runId')}-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    return prefix;
  };
  const connect = (purpose: 'worker' | 'client') => {
    const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: purpose === 'worker' ? null : 1 });
    redis.on('error', () => undefined); // a closed test connection may still report; nothing to do
    made.push(redis);
    return redis;
  };
  const dispose = async () => {
    await Promise.allSettled(made.splice(0).map((redis) => (redis.status === 'end' ? undefined : redis.quit())));
    const cleaner = new Redis(inject('redisUrl'));
    for (const prefix of prefixes.splice(0)) {
      for await (const keys of cleaner.scanStream({ match: `${prefix}:*`, count: 500 })) {
        if ((keys as string[]).length) await cleaner.unlink(...(keys as string[]));
      }
    }
    await cleaner.quit();
  };
  return { made, connect, freshPrefix, dispose };
}

jobBackendContract('in-process', () => ({
  create: (options) => createInProcessJobBackend<TestJob>({ name: 'contract', logger: silentLogger, ...options }),
  dispose: async () => undefined,
}));

jobBackendContract('BullMQ (Redis)', () => {
  const connections = redisConnections();
  return {
    create: (options) =>
      createBullJobBackend<TestJob>({
        name: 'contract',
        prefix: connections.freshPrefix(),
        connect: connections.connect,
        logger: silentLogger,
        ...options,
      }),
    dispose: connections.dispose,
  };
});

describe('BullMQ job backend: several workers on one queue', () => {
  const connections = redisConnections();
  const backends: JobBackend<TestJob>[] = [];

  afterEach(async () => {
    await Promise.allSettled(backends.splice(0).map((b) => b.close()));
    await connections.dispose();
  });

  function sameQueue(prefix: string): JobBackend<TestJob> {
    const backend = createBullJobBackend<TestJob>({ name: 'contract', prefix, connect: connections.connect, logger: silentLogger });
    backends.push(backend);
    return backend;
  }

  it('runs at most `globalConcurrency` jobs at once across two workers', async () => {
    const prefix = connections.freshPrefix();
    const [first, second] = [sameQueue(prefix), sameQueue(prefix)];
    let running = 0;
    let maxRunning = 0;
    const ran: string[] = [];
    const processor = async (data: TestJob) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 50));
      running -= 1;
      ran.push(data.label);
    };
    await first!.startWorker(processor, { concurrency: 3, globalConcurrency: 2 });
    await second!.startWorker(processor, { concurrency: 3, globalConcurrency: 2 });

    for (let i = 1; i <= 8; i += 1) await first!.queue.enqueue(`job-${i}`, { label: `${i}` });

    await waitFor(() => ran.length === 8, 10_000);
    expect(maxRunning).toBe(2);
  });

  it('closes the Redis connections it made', async () => {
    const backend = sameQueue(connections.freshPrefix());
    await backend.startWorker(async () => undefined, { concurrency: 1 });

    await backend.close();

    const statuses = () => connections.made.map((redis) => redis.status);
    // ioredis reports 'end' a moment after QUIT is answered; the assertion below shows which stayed open.
    await waitFor(() => statuses().every((status) => status === 'end'), 2000).catch(() => undefined);
    expect(connections.made.length).toBeGreaterThan(0);
    expect(statuses()).toEqual(connections.made.map(() => 'end'));
  });
});
