/**
 * Group commit (src/group-commit.ts) over the real parts: the ConversationStore and job backend
 * contracts run unchanged against the batched store (PostgreSQL, accept through
 * createPgAcceptMany) and the batched BullMQ queue (addBulk); then what only batching can get
 * wrong — many callers in one statement, each answered with its own row, in call order.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AcceptedMessage, ConversationStore } from '../../src/core/ports.js';
import type { ConversationAddress, InboundMessage } from '../../src/core/types.js';
import { createPgAcceptMany } from '../../src/db/pg-accept-many.js';
import { createPgConversationStore } from '../../src/db/pg-conversation-store.js';
import { batchAccepts, batchEnqueues } from '../../src/group-commit.js';
import { createBullJobBackend } from '../../src/queue/bull-job-backend.js';
import { silentLogger } from '../fakes/noop-metrics.js';
import { conversationStoreContract } from './conversation-store.contract.js';
import { jobBackendContract, type TestJob } from './job-queue.contract.js';

conversationStoreContract('PgConversationStore with batched accepts (group commit)', async () => {
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 12 });
  return { store: batchAccepts(createPgConversationStore(pool), createPgAcceptMany(pool)), close: () => pool.end() };
});

jobBackendContract('BullMQ (Redis) with batched enqueues (addBulk)', () => {
  const made: Redis[] = [];
  const prefixes: string[] = [];
  return {
    create: (options) => {
      const prefix = `test-${inject('runId')}-${randomUUID().slice(0, 8)}`;
      prefixes.push(prefix);
      const backend = createBullJobBackend<TestJob>({
        name: 'contract',
        prefix,
        connect: (purpose) => {
          const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: purpose === 'worker' ? null : 1 });
          redis.on('error', () => undefined);
          made.push(redis);
          return redis;
        },
        logger: silentLogger,
        ...options,
      });
      return { ...backend, queue: batchEnqueues(backend.queue, (jobs) => backend.enqueueMany!(jobs)) };
    },
    dispose: async () => {
      await Promise.allSettled(made.splice(0).map((redis) => (redis.status === 'end' ? undefined : redis.quit())));
      const cleaner = new Redis(inject('redisUrl'));
      for (const prefix of prefixes.splice(0)) {
        for await (const keys of cleaner.scanStream({ match: `${prefix}:*`, count: 500 })) {
          if ((keys as string[]).length) await cleaner.unlink(...(keys as string[]));
        }
      }
      await cleaner.quit();
    },
  };
});

describe('group commit of accepts on PostgreSQL', () => {
  let pool: pg.Pool;
  let plain: ConversationStore;
  const batches: number[] = [];
  let store: ConversationStore;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 12 });
    plain = createPgConversationStore(pool);
    const acceptMany = createPgAcceptMany(pool);
    store = batchAccepts(plain, async (messages) => {
      batches.push(messages.length);
      return acceptMany(messages);
    });
  });
  afterAll(() => pool.end());

  const address = (channel: 'web' | 'telegram' = 'web'): ConversationAddress => ({ channel, chatId: `gc-${randomUUID().slice(0, 13)}` });
  const inbound = (to: ConversationAddress, text: string, externalId: string = randomUUID()): InboundMessage => ({ address: to, externalId, text, at: new Date() });

  it('answers fifty callers of one turn from one statement, each with its own conversation and message', async () => {
    batches.length = 0;
    const messages = Array.from({ length: 50 }, (_, i) => inbound(address(), `hello ${i}`));

    const accepted = await Promise.all(messages.map((m) => store.accept(m)));

    expect(batches).toEqual([50]);
    accepted.forEach((result, i) => {
      expect(result.duplicate).toBe(false);
      expect(result.conversation.address).toEqual(messages[i]?.address);
      expect(result.message).toMatchObject({ text: `hello ${i}`, author: 'CUSTOMER', status: 'pending', conversationId: result.conversation.id });
    });
    expect(new Set(accepted.map((a) => a.message.id)).size).toBe(50);
  });

  it('keeps the callers’ order within one conversation: ids ascend and the first is the oldest pending', async () => {
    const to = address();
    const messages = Array.from({ length: 20 }, (_, i) => inbound(to, `part ${i}`));

    const accepted = await Promise.all(messages.map((m) => store.accept(m)));

    const ids = accepted.map((a) => Number(a.message.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(accepted.map((a) => a.conversation.id)).size).toBe(1);
    expect((await plain.nextPending(accepted[0]!.conversation.id))?.text).toBe('part 0');
  });

  it('stores a message sent twice in one batch once and reports the second as its duplicate', async () => {
    const to = address();
    const message = inbound(to, 'twice');

    const [first, second] = await Promise.all([store.accept(message), store.accept({ ...message })]);

    expect(first?.duplicate).toBe(false);
    expect(second?.duplicate).toBe(true);
    expect(second?.message.id).toBe(first?.message.id);
    expect((await plain.accept(message)).duplicate).toBe(true);
  });

  it('reports a message accepted in an earlier batch as a duplicate within a later one', async () => {
    const to = address();
    const message = inbound(to, 'again');
    const original = await store.accept(message);

    const [repeat, fresh] = await Promise.all([store.accept(message), store.accept(inbound(to, 'new'))]);

    expect(repeat).toMatchObject({ duplicate: true, message: { id: original.message.id } });
    expect(fresh?.duplicate).toBe(false);
  });

  it('takes the sender of a conversation from its latest message in the batch that names one', async () => {
    const to = address('telegram');

    const results: AcceptedMessage[] = await Promise.all([
      store.accept({ ...inbound(to, 'hi'), sender: { name: 'Anna', username: 'anna_k' } }),
      store.accept({ ...inbound(to, 'hi again'), sender: { name: 'Anna K.' } }),
    ]);

    expect(results[1]?.conversation.sender).toEqual({ name: 'Anna K.', username: 'anna_k' });
  });

  it('records a request for a person on its own message only, as a single accept does', async () => {
    const to = address();

    const [asked, plainMessage] = await Promise.all([
      store.accept(inbound(to, 'a person, please'), { askForPerson: true }),
      store.accept(inbound(to, 'and a question')),
    ]);

    expect(asked?.message.handoff).toBe('customer_request');
    expect(plainMessage?.message.handoff).toBeUndefined();
  });

  it('answers every caller through single accepts when the batch statement fails', async () => {
    const fallback = batchAccepts(plain, async () => {
      throw new Error('batch statement failed');
    });
    const messages = [inbound(address(), 'one'), inbound(address(), 'two')];

    const accepted = await Promise.all(messages.map((m) => fallback.accept(m)));

    expect(accepted.map((a) => a.message.text)).toEqual(['one', 'two']);
  });

  it('leaves every other store method the store’s own', async () => {
    const { conversation } = await store.accept(inbound(address(), 'x'));

    expect(await store.getConversation(conversation.id)).toMatchObject({ id: conversation.id, state: 'bot' });
  });
});
