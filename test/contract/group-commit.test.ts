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
import type { AcceptedMessage, ConversationStore, NewReply } from '../../src/core/ports.js';
import type { ConversationAddress, InboundMessage } from '../../src/core/types.js';
import { createPgAcceptMany } from '../../src/db/pg-accept-many.js';
import { createPgConversationStore } from '../../src/db/pg-conversation-store.js';
import { createPgBeginRunMany, createPgNextTurnMany, createPgRecordReplyMany } from '../../src/db/pg-run-many.js';
import { batchEnqueues, batchStore } from '../../src/group-commit.js';
import { createBullJobBackend } from '../../src/queue/bull-job-backend.js';
import { silentLogger } from '../fakes/noop-metrics.js';
import { conversationStoreContract } from './conversation-store.contract.js';
import { jobBackendContract, type TestJob } from './job-queue.contract.js';

conversationStoreContract('PgConversationStore with batched accepts and reply steps (group commit)', async () => {
  const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 12 });
  const batches = {
    accept: createPgAcceptMany(pool),
    beginRun: createPgBeginRunMany(pool),
    nextTurn: createPgNextTurnMany(pool),
    recordReply: createPgRecordReplyMany(pool),
  };
  return { store: batchStore(createPgConversationStore(pool), batches), close: () => pool.end() };
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
    store = batchStore(plain, { accept: async (messages) => {
      batches.push(messages.length);
      return acceptMany(messages);
    } });
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
    const fallback = batchStore(plain, { accept: async () => {
      throw new Error('batch statement failed');
    } });
    const messages = [inbound(address(), 'one'), inbound(address(), 'two')];

    const accepted = await Promise.all(messages.map((m) => fallback.accept(m)));

    expect(accepted.map((a) => a.message.text)).toEqual(['one', 'two']);
  });

  it('leaves every other store method the store’s own', async () => {
    const { conversation } = await store.accept(inbound(address(), 'x'));

    expect(await store.getConversation(conversation.id)).toMatchObject({ id: conversation.id, state: 'bot' });
  });
});

describe('group commit of the reply worker’s steps on PostgreSQL', () => {
  let pool: pg.Pool;
  let plain: ConversationStore;
  const batches: Record<'beginRun' | 'nextTurn' | 'recordReply', number[]> = { beginRun: [], nextTurn: [], recordReply: [] };
  let store: ConversationStore;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 12 });
    plain = createPgConversationStore(pool);
    const [beginRunMany, nextTurnMany, recordReplyMany] = [createPgBeginRunMany(pool), createPgNextTurnMany(pool), createPgRecordReplyMany(pool)];
    store = batchStore(plain, {
      beginRun: (calls) => (batches.beginRun.push(calls.length), beginRunMany(calls)),
      nextTurn: (calls) => (batches.nextTurn.push(calls.length), nextTurnMany(calls)),
      recordReply: (replies) => (batches.recordReply.push(replies.length), recordReplyMany(replies)),
    });
  });
  afterAll(() => pool.end());

  const TTL = 60_000;
  const owner = () => `owner-${randomUUID()}`;
  const reply = (inboundId: string, text: string): NewReply => ({ inboundId, text, author: 'GPT', kind: 'answer', status: 'answered' });
  /** A conversation with `texts` accepted in order; the ids of its messages. */
  async function conversationWith(...texts: string[]): Promise<{ conversationId: string; messageIds: string[] }> {
    const to: ConversationAddress = { channel: 'web', chatId: `gw-${randomUUID().slice(0, 13)}` };
    const accepted = [];
    for (const text of texts) accepted.push(await plain.accept({ address: to, externalId: randomUUID(), text, at: new Date() }));
    return { conversationId: accepted[0]!.conversation.id, messageIds: accepted.map((a) => a.message.id) };
  }

  it('starts twenty runs in one statement, each with its own conversation, oldest pending message and history', async () => {
    const conversations = [];
    for (let i = 0; i < 20; i++) {
      const c = await conversationWith(`first ${i}`, `second ${i}`);
      await plain.recordReply(reply(c.messageIds[0]!, `answer ${i}`));
      conversations.push(c);
    }
    batches.beginRun.length = 0;

    const runs = await Promise.all(conversations.map((c) => store.beginRun(c.conversationId, owner(), TTL, 30)));

    expect(batches.beginRun).toEqual([20]);
    for (const [i, run] of runs.entries()) {
      const c = conversations[i]!;
      if (!run.leased) throw new Error(`run ${i} not leased`);
      expect(run.conversation.id).toBe(c.conversationId);
      expect(run.next?.message).toMatchObject({ id: c.messageIds[1], text: `second ${i}`, status: 'pending' });
      expect(run.next?.history).toEqual(await plain.history(c.conversationId, c.messageIds[1]!, 30));
      expect(run.next?.history.map((m) => m.text)).toEqual([`first ${i}`, `answer ${i}`]);
    }
  });

  it('gives a conversation asked for twice in one batch to the earlier caller; the later one hears it is busy', async () => {
    const c = await conversationWith('hello');
    const [first, second] = [owner(), owner()];
    batches.beginRun.length = 0;

    const [won, lost] = await Promise.all([store.beginRun(c.conversationId, first, TTL, 30), store.beginRun(c.conversationId, second, TTL, 30)]);

    expect(batches.beginRun).toEqual([2]);
    expect(won).toMatchObject({ leased: true, next: { message: { id: c.messageIds[0] } } });
    expect(lost).toEqual({ leased: false, exists: true });
    expect(await plain.acquireLease(c.conversationId, second, TTL)).toBe(false);
    expect(await plain.acquireLease(c.conversationId, first, TTL)).toBe(true);
  });

  it('tells a run for a missing conversation apart from a busy one, without failing its neighbours', async () => {
    const c = await conversationWith('hi');
    const held = await conversationWith('held');
    expect(await plain.acquireLease(held.conversationId, 'someone else', TTL)).toBe(true);

    const [missing, busy, free] = await Promise.all([
      store.beginRun('999999999999', owner(), TTL, 30),
      store.beginRun(held.conversationId, owner(), TTL, 30),
      store.beginRun(c.conversationId, owner(), TTL, 30),
    ]);

    expect(missing).toEqual({ leased: false, exists: false });
    expect(busy).toEqual({ leased: false, exists: true });
    expect(free.leased).toBe(true);
  });

  it('records replies of many conversations in one statement; a message answered before, or twice in the batch, gets none', async () => {
    const conversations = await Promise.all(Array.from({ length: 8 }, (_, i) => conversationWith(`question ${i}`)));
    const answeredBefore = await conversationWith('already answered');
    await plain.recordReply(reply(answeredBefore.messageIds[0]!, 'first answer'));
    batches.recordReply.length = 0;

    const stored = await Promise.all([
      ...conversations.map((c, i) => store.recordReply({ ...reply(c.messageIds[0]!, `reply ${i}\u0000`), usage: { inputTokens: 10 + i, outputTokens: 2, totalTokens: 12 + i, modelVersion: 'test' } })),
      store.recordReply(reply(conversations[0]!.messageIds[0]!, 'a second reply to question 0')),
      store.recordReply(reply(answeredBefore.messageIds[0]!, 'late')),
    ]);

    expect(batches.recordReply).toEqual([10]);
    for (const [i, c] of conversations.entries()) {
      expect(stored[i]).toMatchObject({ conversationId: c.conversationId, author: 'GPT', text: `reply ${i}`, replyToId: c.messageIds[0] });
      const messages = await plain.messagesSince({ channel: 'web', chatId: (await plain.getConversation(c.conversationId))!.address.chatId }, null, 10);
      expect(messages.map((m) => [m.text, m.status])).toEqual([[`question ${i}`, 'answered'], [`reply ${i}`, undefined]]);
    }
    expect(stored[8]).toBeNull();
    expect(stored[9]).toBeNull();
    const tokens = await pool.query('select input_tokens from message where id = $1', [stored[3]!.id]);
    expect(tokens.rows[0]).toEqual({ input_tokens: 13 });
  });

  it('hands out next turns in one statement and releases the lease only of runs with nothing left, and only their owner’s', async () => {
    const more = await conversationWith('one', 'two');
    const done = await conversationWith('only');
    const notMine = await conversationWith('alone');
    const [moreOwner, doneOwner] = [owner(), owner()];
    expect(await plain.acquireLease(more.conversationId, moreOwner, TTL)).toBe(true);
    expect(await plain.acquireLease(done.conversationId, doneOwner, TTL)).toBe(true);
    expect(await plain.acquireLease(notMine.conversationId, 'the real owner', TTL)).toBe(true);
    await plain.recordReply(reply(more.messageIds[0]!, 'answer one'));
    await plain.recordReply(reply(done.messageIds[0]!, 'answer only'));
    await plain.recordReply(reply(notMine.messageIds[0]!, 'answer alone'));
    batches.nextTurn.length = 0;

    const [next, none, other] = await Promise.all([
      store.nextTurn(more.conversationId, 30, moreOwner),
      store.nextTurn(done.conversationId, 30, doneOwner),
      store.nextTurn(notMine.conversationId, 30, 'an impostor'),
    ]);

    expect(batches.nextTurn).toEqual([3]);
    expect(next?.message).toMatchObject({ id: more.messageIds[1], text: 'two' });
    expect(next?.history.map((m) => m.text)).toEqual(['one', 'answer one']);
    expect(none).toBeNull();
    expect(other).toBeNull();
    expect(await plain.acquireLease(more.conversationId, owner(), TTL)).toBe(false); // still held
    expect(await plain.acquireLease(done.conversationId, owner(), TTL)).toBe(true); // released
    expect(await plain.acquireLease(notMine.conversationId, owner(), TTL)).toBe(false); // not the impostor's to release
  });
});
