/**
 * The web reply signal, in Redis and in memory: an empty poll may skip the database only while no
 * reply was stored since the poll that found nothing.
 */
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createMemoryReplySignal, createRedisReplySignal, type ReplySignal } from '../../channels/web/reply-signal.js';

const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1 });
afterAll(() => redis.quit());

const implementations: Array<[string, () => ReplySignal]> = [
  ['redis', () => createRedisReplySignal(redis, `test-${inject('runId')}-${Math.random().toString(36).slice(2)}`)],
  ['memory', () => createMemoryReplySignal()],
];

describe.each(implementations)('reply signal (%s)', (_name, make) => {
  const token = () => `visitor-${Math.random().toString(36).slice(2)}-0000000000`;

  it('a visitor never polled is not known to be empty', async () => {
    const signal = make();

    const state = await signal.read(token());

    expect(state.knownEmpty).toBe(false);
  });

  it('after an empty poll the next poll is known to be empty', async () => {
    const signal = make();
    const visitor = token();
    const { version } = await signal.read(visitor);

    await signal.markEmpty(visitor, version);

    expect((await signal.read(visitor)).knownEmpty).toBe(true);
  });

  it('a reply stored after the empty poll read the version makes the next poll look', async () => {
    const signal = make();
    const visitor = token();
    const { version } = await signal.read(visitor);
    await signal.bump(visitor); // the worker commits and bumps while the poll's claim runs

    await signal.markEmpty(visitor, version);

    expect((await signal.read(visitor)).knownEmpty).toBe(false);
  });

  it('a reply stored after the empty mark makes the next poll look', async () => {
    const signal = make();
    const visitor = token();
    const { version } = await signal.read(visitor);
    await signal.markEmpty(visitor, version);

    await signal.bump(visitor);

    expect((await signal.read(visitor)).knownEmpty).toBe(false);
  });

  it('marks of one visitor say nothing about another', async () => {
    const signal = make();
    const first = token();
    await signal.markEmpty(first, (await signal.read(first)).version);

    expect((await signal.read(token())).knownEmpty).toBe(false);
  });
});
