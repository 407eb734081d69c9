/**
 * The web chat API contract (CONTRACT.md, HTTP) and the reply guarantees of issue 2, over a real
 * socket against the whole app and the loopback YandexGPT fake. One suite, run against every
 * backend with no branches inside: each test works on fresh visitor tokens and tags its texts, so
 * backends may share a database and tests may share the fake.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyJobId } from '../../../src/core/jobs.js';
import { recoverPending } from '../../../src/core/recover-pending.js';
import type { YandexGptCompletionRequest } from '../../../src/llm/yandex-gpt-wire.js';
import {
  echoResponder,
  startFakeYandexGpt,
  type FakeYandexGpt,
  type FakeYandexGptBehaviour,
  type FakeYandexGptResponder,
  type RecordedYandexGptRequest,
} from '../../fakes/fake-yandex-gpt.js';
import { startTestApp, type Backend, type TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';

const SEND_PATHS = ['/api/v1/gpt', '/api/v1/gpt/', '/gpt', '/gpt/'];
const POLL_PATHS = ['/api/v1/message', '/api/v1/message/', '/message', '/message/'];

const LIMITS = {
  RATE_LIMIT_MESSAGES_PER_MINUTE: 3,
  RATE_LIMIT_ADDRESS_PER_MINUTE: 5,
  RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE: 4,
  MAX_MESSAGE_CHARS: 200,
  MAX_BODY_BYTES: 1024,
  LLM_RETRY_ATTEMPTS: 3,
  LLM_RETRY_BACKOFF_MS: 50,
};

const REPLY_TIMEOUT_MS = 10_000;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

interface Reply {
  message: string;
  date_create: string;
  user: string;
}

interface Visitor {
  token: string;
  /** Unique to the test: every text the visitor sends carries it, so the fake can tell whose request it is. */
  tag: string;
  /** A message text carrying the tag. */
  say(words: string): string;
}

function newVisitor(): Visitor {
  const tag = `t${randomUUID().slice(0, 8)}`;
  return { token: `visitor-${randomUUID()}`, tag, say: (words) => `${words} ${tag}` };
}

/**
 * A private address for X-Forwarded-For. The app trusts that header from loopback (TRUST_PROXY), so
 * each request comes "from" an address of its own and only the address-limit test meets that limit.
 */
function someAddress(): string {
  return `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** The last user turn: the visitor's question (history comes before it). */
function questionOf(body: YandexGptCompletionRequest | undefined): string {
  return [...(body?.messages ?? [])].reverse().find((m) => m.role === 'user')?.text ?? '';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A door a scripted model answer waits behind until the test opens it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export function chatApiContract(backend: Backend): void {
  describe(`web chat API over HTTP: ${backend}`, () => {
    let app: TestApp;
    let fake: FakeYandexGpt;
    let dataDir: string;
    /** Per-tag model behaviour; untagged questions get the fake's echo (`Ответ: <question>`). */
    const handlers = new Map<string, FakeYandexGptResponder>();
    const gates: Array<{ open(): void }> = [];

    beforeAll(async () => {
      fake = await startFakeYandexGpt();
      fake.setResponder((body, request) => {
        const question = questionOf(body);
        for (const [tag, handler] of handlers) if (question.includes(tag)) return handler(body, request);
        return echoResponder(body, request);
      });
      dataDir = await mkdtemp(path.join(tmpdir(), 'supportbot-chat-api-'));
      app = await startTestApp(
        backend,
        { YANDEX_API_KEY: 'test-key', YANDEX_FOLDER_ID: 'b1gtestfolder', YANDEX_GPT_BASE_URL: fake.url, ...LIMITS },
        { dataDir },
      );
    });

    afterAll(async () => {
      for (const g of gates) g.open();
      await app?.stop();
      await fake?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    function holdModel(visitor: Visitor): { open(): void } {
      const door = gate();
      gates.push(door);
      handlers.set(visitor.tag, async (body, request) => {
        await door.opened;
        return echoResponder(body, request);
      });
      return door;
    }

    function requestsFor(visitor: Visitor): RecordedYandexGptRequest[] {
      return fake.requests.filter((r) => questionOf(r.body).includes(visitor.tag));
    }

    async function post(
      token: string | undefined,
      body: unknown,
      options: { path?: string; raw?: string; address?: string } = {},
    ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': options.address ?? someAddress() };
      if (token !== undefined) headers['chat-token'] = token;
      const res = await fetch(`${app.url}${options.path ?? '/api/v1/gpt'}`, {
        method: 'POST',
        headers,
        body: options.raw ?? JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
    }

    async function get(
      token: string | undefined,
      options: { path?: string; address?: string } = {},
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const headers: Record<string, string> = { 'x-forwarded-for': options.address ?? someAddress() };
      if (token !== undefined) headers['chat-token'] = token;
      const res = await fetch(`${app.url}${options.path ?? '/api/v1/message'}`, { headers });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    async function send(visitor: Visitor, text: string, path?: string): Promise<number> {
      const res = await post(visitor.token, { message: text }, { path });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    }

    async function poll(token: string, path?: string): Promise<Reply[]> {
      const res = await get(token, { path });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.messages as Reply[];
    }

    /** Polls until `count` replies have arrived in total (every batch kept), then once more to see nothing follows. */
    async function collectReplies(token: string, count: number, options: { path?: string; timeoutMs?: number } = {}): Promise<Reply[]> {
      const got: Reply[] = [];
      await waitFor(
        async () => {
          got.push(...(await poll(token, options.path)));
          return got.length >= count;
        },
        options.timeoutMs ?? REPLY_TIMEOUT_MS,
        { intervalMs: 25, what: `${count} replies for ${token.slice(0, 13)}` },
      );
      got.push(...(await poll(token, options.path)));
      return got;
    }

    /** What the visitor gets when the model cannot be used: an offline answer from the knowledge base, or the fallback text. */
    async function offlineOutcome(question: string): Promise<string> {
      return (await app.deps.knowledge.offlineAnswer(question)) ?? app.deps.knowledge.text('fallback');
    }

    async function isPending(messageId: number): Promise<{ conversationId: string; messageId: string } | undefined> {
      const pending = await app.deps.store.findStalePending(new Date(Date.now() + 60_000), 100_000);
      return pending.find((p) => p.messageId === String(messageId));
    }

    /**
     * Proves a refused request left nothing behind: a later valid message of the same visitor is
     * the only one answered, and its model request carries no trace of the refused text.
     */
    async function expectNothingStored(visitor: Visitor, refusedText: string): Promise<void> {
      const control = visitor.say('контрольный вопрос');
      await send(visitor, control);
      const replies = await collectReplies(visitor.token, 1);
      expect(replies.map((r) => r.message)).toEqual([`Ответ: ${control}`]);
      const requests = requestsFor(visitor);
      expect(requests).toHaveLength(1);
      expect(requests[0]?.rawBody).not.toContain(refusedText);
      expect(fake.requests.some((r) => r.rawBody.includes(refusedText))).toBe(false);
    }

    describe('routes and aliases', () => {
      it.each(SEND_PATHS.map((sendPath, i) => [sendPath, POLL_PATHS[i] as string]))(
        'POST %s accepts a message with 201, a status text and an id, and GET %s returns its reply',
        async (sendPath, pollPath) => {
          const visitor = newVisitor();

          const res = await post(visitor.token, { message: visitor.say('Здравствуйте') }, { path: sendPath });

          expect(res.status).toBe(201);
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(typeof res.body.message).toBe('string');
          expect(res.body.message).not.toBe('');
          expect(Number.isInteger(res.body.id)).toBe(true);
          const replies = await collectReplies(visitor.token, 1, { path: pollPath });
          expect(replies.map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Здравствуйте')}`]);
        },
      );

      it.each(POLL_PATHS)('GET %s answers 200 with a messages list', async (pollPath) => {
        const res = await get(newVisitor().token, { path: pollPath });

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ messages: [] });
      });

      it('a poll by an unknown token answers 200 with an empty list', async () => {
        const res = await get(`never-seen-${randomUUID()}`);

        expect(res).toEqual({ status: 200, body: { messages: [] } });
      });

      it('a poll without a token or with a malformed one answers 400 with a JSON error', async () => {
        for (const token of [undefined, 'short', 'bad token with spaces!']) {
          const res = await get(token);

          expect(res.status).toBe(400);
          expect(typeof res.body.error).toBe('string');
        }
      });

      it('tokens of exactly 16 and 128 characters of [A-Za-z0-9_-] are accepted', async () => {
        const unique = randomUUID().replaceAll('-', '');
        for (const token of [`Az09_-${unique.slice(0, 10)}`, `Az09_-${unique}`.padEnd(128, 'x')]) {
          const res = await post(token, { message: `граница токена ${randomUUID()}` });

          expect(res.status, `${token.length}: ${JSON.stringify(res.body)}`).toBe(201);
        }
      });
    });

    describe('refused input is answered 4xx with a JSON error and stores nothing', () => {
      const badTokens: Array<[string, string | undefined]> = [
        ['a missing token', undefined],
        ['a token shorter than 16 characters', 'abcdefghij12345'],
        ['a token longer than 128 characters', 'a'.repeat(129)],
        ['a token with characters outside [A-Za-z0-9_-]', 'visitor.token+with/odd=chars'],
        // fetch sends header values as Latin-1 bytes, so non-ASCII letters are the ones a browser could send.
        ['a token with non-ASCII letters', 'visitor-tökén-ñame-1234'],
      ];

      it.each(badTokens)('a POST with %s gets 400, and nothing reaches the model', async (_case, token) => {
        const visitor = newVisitor();
        const text = visitor.say('сообщение с плохим токеном');

        const res = await post(token, { message: text });

        expect(res.status).toBe(400);
        expect(typeof res.body.error).toBe('string');
        await expectNothingStored(visitor, text);
      });

      const badBodies: Array<[string, (text: string) => string]> = [
        ['no message field', () => JSON.stringify({ text: 'не то поле' })],
        ['an empty message', () => JSON.stringify({ message: '' })],
        ['a whitespace-only message', () => JSON.stringify({ message: ' \n\t  ' })],
        ['a message of zero-width characters only', () => JSON.stringify({ message: '\u200b\u200c\u200d\u2060\ufeff' })],
        ['a message of U+0000 and spaces only', () => JSON.stringify({ message: '\u0000 \u0000' })],
        ['a numeric message', () => JSON.stringify({ message: 42 })],
        ['a null message', () => JSON.stringify({ message: null })],
        ['an object as the message', (text) => JSON.stringify({ message: { text } })],
        ['a message over MAX_MESSAGE_CHARS', (text) => JSON.stringify({ message: `${text} ${'ж'.repeat(LIMITS.MAX_MESSAGE_CHARS)}` })],
        ['an array body', (text) => JSON.stringify([{ message: text }])],
        ['a JSON string body', (text) => JSON.stringify(text)],
        ['invalid JSON', (text) => `{"message": "${text}"`],
      ];

      it.each(badBodies)('a POST with %s gets 400, and nothing is stored', async (_case, body) => {
        const visitor = newVisitor();
        const text = visitor.say('отвергнутое сообщение');

        const res = await post(visitor.token, undefined, { raw: body(text) });

        expect(res.status).toBe(400);
        expect(typeof res.body.error).toBe('string');
        await expectNothingStored(visitor, text);
      });

      it('a message holding U+0000 is accepted and answered without the character', async () => {
        const visitor = newVisitor();

        const res = await post(visitor.token, undefined, { raw: JSON.stringify({ message: visitor.say('a\u0000b') }) });

        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const replies = await collectReplies(visitor.token, 1);
        expect(replies.map((r) => r.message)).toEqual([`Ответ: ${visitor.say('ab')}`]);
      });

      it('a message of MAX_MESSAGE_CHARS characters with surrounding spaces is accepted: the limit counts the trimmed text', async () => {
        const visitor = newVisitor();
        const text = visitor.say('').padEnd(LIMITS.MAX_MESSAGE_CHARS, 'ж');

        const res = await post(visitor.token, { message: ` ${text}  \n` });

        expect(res.status, JSON.stringify(res.body)).toBe(201);
      });

      it('a message of exactly MAX_MESSAGE_CHARS characters is accepted', async () => {
        const visitor = newVisitor();
        const text = visitor.say('').padEnd(LIMITS.MAX_MESSAGE_CHARS, 'ж');

        const res = await post(visitor.token, { message: text });

        expect(res.status, JSON.stringify(res.body)).toBe(201);
      });

      it('a body over MAX_BODY_BYTES gets 413, and nothing is stored', async () => {
        const visitor = newVisitor();
        const text = visitor.say('слишком большое тело');

        const res = await post(visitor.token, undefined, { raw: JSON.stringify({ message: text, padding: 'x'.repeat(LIMITS.MAX_BODY_BYTES) }) });

        expect(res.status).toBe(413);
        expect(typeof res.body.error).toBe('string');
        await expectNothingStored(visitor, text);
      });
    });

    describe('rate limits', () => {
      it('a visitor over RATE_LIMIT_MESSAGES_PER_MINUTE gets 429 with a JSON error, and the extra message is not stored', async () => {
        const visitor = newVisitor();
        for (let i = 1; i <= LIMITS.RATE_LIMIT_MESSAGES_PER_MINUTE; i++) await send(visitor, visitor.say(`сообщение ${i}`));

        const res = await post(visitor.token, { message: visitor.say('лишнее сообщение') });

        expect(res.status).toBe(429);
        expect(typeof res.body.error).toBe('string');
        expect(res.body.error).not.toBe('');
        const replies = await collectReplies(visitor.token, LIMITS.RATE_LIMIT_MESSAGES_PER_MINUTE);
        expect(replies).toHaveLength(LIMITS.RATE_LIMIT_MESSAGES_PER_MINUTE);
        expect(fake.requests.some((r) => r.rawBody.includes(visitor.say('лишнее сообщение')))).toBe(false);
      });

      it('an address over RATE_LIMIT_ADDRESS_PER_MINUTE gets 429 for polls and messages, other addresses do not', async () => {
        const address = someAddress();
        const token = newVisitor().token;
        for (let i = 0; i < LIMITS.RATE_LIMIT_ADDRESS_PER_MINUTE; i++) expect((await get(token, { address })).status).toBe(200);

        const poll = await get(token, { address });
        const message = await post(newVisitor().token, { message: `с того же адреса ${randomUUID()}` }, { address });
        const elsewhere = await get(token);

        expect(poll.status).toBe(429);
        expect(typeof poll.body.error).toBe('string');
        expect(message.status).toBe(429);
        expect(typeof message.body.error).toBe('string');
        expect(elsewhere.status).toBe(200);
      });

      it('an address over RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE gets 429 whatever token it uses, and the extra message is not stored', async () => {
        const address = someAddress();
        for (let i = 0; i < LIMITS.RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE; i++) {
          expect((await post(newVisitor().token, { message: `новый токен ${i} ${randomUUID()}` }, { address })).status).toBe(201);
        }
        const visitor = newVisitor();
        const text = visitor.say('ещё один токен');

        const refused = await post(visitor.token, { message: text }, { address });
        const elsewhere = await post(newVisitor().token, { message: `другой адрес ${randomUUID()}` });

        expect(refused.status).toBe(429);
        expect(typeof refused.body.error).toBe('string');
        expect(elsewhere.status).toBe(201);
        await expectNothingStored(visitor, text);
      });
    });

    describe('replies', () => {
      it('a message gets the model reply by poll, from GPT, dated in ISO 8601 UTC', async () => {
        const visitor = newVisitor();
        const before = Date.now();

        await send(visitor, visitor.say('Какие у вас часы работы?'));
        const replies = await collectReplies(visitor.token, 1);

        expect(replies).toHaveLength(1);
        const [reply] = replies as [Reply];
        expect(reply).toEqual({ message: `Ответ: ${visitor.say('Какие у вас часы работы?')}`, user: 'GPT', date_create: expect.stringMatching(ISO_UTC) });
        expect(Date.parse(reply.date_create)).toBeGreaterThanOrEqual(before - 5000);
        expect(Date.parse(reply.date_create)).toBeLessThanOrEqual(Date.now() + 5000);
      });

      it('a stored reply is returned exactly once to 20 concurrent polls', async () => {
        const visitor = newVisitor();
        const id = await send(visitor, visitor.say('Один ответ на двадцать опросов'));
        await waitFor(async () => !(await isPending(id)), REPLY_TIMEOUT_MS, { what: 'reply stored' });

        const batches = await Promise.all(Array.from({ length: 20 }, () => poll(visitor.token)));

        expect(batches.flat().map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Один ответ на двадцать опросов')}`]);
        expect(await poll(visitor.token)).toEqual([]);
      });

      it('a reply stored while 20 polls for the same token keep running is returned exactly once', async () => {
        const visitor = newVisitor();
        const door = holdModel(visitor);
        await send(visitor, visitor.say('Гонка опросов'));
        await waitFor(() => requestsFor(visitor).length === 1, REPLY_TIMEOUT_MS);
        const got: Reply[] = [];
        let stop = false;
        const pollers = Array.from({ length: 20 }, async () => {
          while (!stop) got.push(...(await poll(visitor.token)));
        });

        door.open();
        await waitFor(() => got.length > 0, REPLY_TIMEOUT_MS, { what: 'the reply reached a poller' });
        await sleep(200); // let the pollers race on after the claim
        stop = true;
        await Promise.all(pollers);

        expect(got.map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Гонка опросов')}`]);
      });

      /** Three messages of one visitor, accepted before the model has answered the first. */
      async function sendThreeQuickly(visitor: Visitor): Promise<string[]> {
        const texts = [visitor.say('Первый вопрос'), visitor.say('Второй вопрос'), visitor.say('Третий вопрос')];
        handlers.set(visitor.tag, async (body, request) => {
          await sleep(150);
          return echoResponder(body, request);
        });
        for (const text of texts) await send(visitor, text);
        return texts;
      }

      it('three messages sent quickly get three replies, in the order sent', async () => {
        const visitor = newVisitor();

        const texts = await sendThreeQuickly(visitor);
        const replies = await collectReplies(visitor.token, 3, { timeoutMs: 15_000 });

        expect(replies.map((r) => r.message)).toEqual(texts.map((t) => `Ответ: ${t}`));
      });

      it('the reply to the third of three quick messages is asked for with the first two exchanges as history', async () => {
        const visitor = newVisitor();

        const texts = await sendThreeQuickly(visitor);
        await collectReplies(visitor.token, 3, { timeoutMs: 15_000 });

        const third = requestsFor(visitor).find((r) => questionOf(r.body) === texts[2]);
        expect(third?.body?.messages.filter((m) => m.role !== 'system')).toEqual([
          { role: 'user', text: texts[0] },
          { role: 'assistant', text: `Ответ: ${texts[0]}` },
          { role: 'user', text: texts[1] },
          { role: 'assistant', text: `Ответ: ${texts[1]}` },
          { role: 'user', text: texts[2] },
        ]);
      });

      it('one conversation never has two model calls in flight', async () => {
        const visitor = newVisitor();
        let inFlight = 0;
        let most = 0;
        handlers.set(visitor.tag, async (body, request) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await sleep(200);
          inFlight -= 1;
          return echoResponder(body, request);
        });

        await Promise.all([1, 2, 3].map((i) => send(visitor, visitor.say(`параллельный вопрос ${i}`))));
        await collectReplies(visitor.token, 3, { timeoutMs: 15_000 });

        expect(requestsFor(visitor)).toHaveLength(3);
        expect(most).toBe(1);
      });

      it('a conversation whose model call hangs does not hold up another conversation', async () => {
        const slow = newVisitor();
        const fast = newVisitor();
        const door = holdModel(slow);
        await send(slow, slow.say('Медленный вопрос'));
        await waitFor(() => requestsFor(slow).length === 1, REPLY_TIMEOUT_MS, { what: 'the slow call started' });

        await send(fast, fast.say('Быстрый вопрос'));
        const fastReplies = await collectReplies(fast.token, 1);

        expect(fastReplies.map((r) => r.message)).toEqual([`Ответ: ${fast.say('Быстрый вопрос')}`]);
        expect(await poll(slow.token)).toEqual([]);
        door.open();
        expect((await collectReplies(slow.token, 1)).map((r) => r.message)).toEqual([`Ответ: ${slow.say('Медленный вопрос')}`]);
      });
    });

    describe('when the model fails', () => {
      function script(visitor: Visitor, ...first: FakeYandexGptBehaviour[]): void {
        const queue = [...first];
        handlers.set(visitor.tag, (body, request) => queue.shift() ?? echoResponder(body, request));
      }

      it('a 500 followed by an answer gives exactly one reply, the answer', async () => {
        const visitor = newVisitor();
        script(visitor, { error: 500 });

        await send(visitor, visitor.say('Вопрос после сбоя'));
        const replies = await collectReplies(visitor.token, 1);

        expect(replies.map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Вопрос после сбоя')}`]);
        expect(requestsFor(visitor)).toHaveLength(2);
      });

      it('a model that always answers 500 ends, after every attempt, in exactly one offline or fallback reply', async () => {
        const visitor = newVisitor();
        const text = visitor.say('Вопрос к сломанной модели');
        handlers.set(visitor.tag, () => ({ error: 500 }));

        const id = await send(visitor, text);
        const replies = await collectReplies(visitor.token, 1, { timeoutMs: 20_000 });

        expect(replies.map((r) => ({ message: r.message, user: r.user }))).toEqual([{ message: await offlineOutcome(text), user: 'GPT' }]);
        expect(requestsFor(visitor)).toHaveLength(LIMITS.LLM_RETRY_ATTEMPTS);
        expect(await isPending(id)).toBeUndefined();
      });

      it('a 429 with Retry-After delays the call by the advised time, and the reply arrives once', async () => {
        const visitor = newVisitor();
        script(visitor, { error: 429, retryAfterSeconds: 1 });

        await send(visitor, visitor.say('Вопрос под квотой'));
        const replies = await collectReplies(visitor.token, 1);

        expect(replies.map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Вопрос под квотой')}`]);
        const [first, second, ...more] = requestsFor(visitor);
        expect(more).toEqual([]);
        expect((second?.at.getTime() ?? 0) - (first?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(950);
      });

      it('a 400 settles the message at once with the offline or fallback reply, without retries', async () => {
        const visitor = newVisitor();
        const text = visitor.say('Вопрос, который модель отвергает');
        handlers.set(visitor.tag, () => ({ error: 400 }));

        await send(visitor, text);
        const replies = await collectReplies(visitor.token, 1);

        expect(replies.map((r) => r.message)).toEqual([await offlineOutcome(text)]);
        expect(requestsFor(visitor)).toHaveLength(1);
      });

      it('a content-filtered answer is not shown; the offline or fallback reply is', async () => {
        const visitor = newVisitor();
        const text = visitor.say('Вопрос, на который фильтр не даст ответа');
        const withheld = `запрещённый текст ${visitor.tag}`;
        handlers.set(visitor.tag, () => ({ text: withheld, status: 'ALTERNATIVE_STATUS_CONTENT_FILTER' }));

        await send(visitor, text);
        const replies = await collectReplies(visitor.token, 1);

        expect(replies.map((r) => r.message)).toEqual([await offlineOutcome(text)]);
        expect(replies[0]?.message).not.toContain(withheld);
        expect(requestsFor(visitor)).toHaveLength(1);
      });
    });

    describe('re-runs and recovery', () => {
      it('re-running an answered message\'s job and the recovery sweep produce no second reply', async () => {
        const visitor = newVisitor();
        const door = holdModel(visitor);
        const id = await send(visitor, visitor.say('Вопрос до восстановления'));
        const job = await waitFor(() => isPending(id), REPLY_TIMEOUT_MS, { what: 'pending message listed' });
        door.open();
        expect((await collectReplies(visitor.token, 1)).map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Вопрос до восстановления')}`]);

        await app.deps.replies.requeue(replyJobId(job.messageId), job);
        await recoverPending(app.deps, { olderThanMs: 0 });

        await expectNoSecondReplyTo(visitor, 1);
      });

      it('the recovery sweep while the reply is being generated starts no second model call', async () => {
        const visitor = newVisitor();
        const door = holdModel(visitor);
        await send(visitor, visitor.say('Вопрос во время восстановления'));
        await waitFor(() => requestsFor(visitor).length === 1, REPLY_TIMEOUT_MS, { what: 'the call started' });

        await recoverPending(app.deps, { olderThanMs: 0 });
        door.open();

        expect((await collectReplies(visitor.token, 1)).map((r) => r.message)).toEqual([`Ответ: ${visitor.say('Вопрос во время восстановления')}`]);
        await expectNoSecondReplyTo(visitor, 1);
      });

      /** A later message of the same conversation is answered alone: nothing else came before it, and the model saw one call per message. */
      async function expectNoSecondReplyTo(visitor: Visitor, answeredBefore: number): Promise<void> {
        const control = visitor.say('контрольный вопрос');
        await send(visitor, control);
        const replies = await collectReplies(visitor.token, 1);
        expect(replies.map((r) => r.message)).toEqual([`Ответ: ${control}`]);
        expect(requestsFor(visitor)).toHaveLength(answeredBefore + 1);
      }
    });

    describe('operations', () => {
      it('a CORS preflight for POST with the chat-token header is allowed', async () => {
        const res = await fetch(`${app.url}/api/v1/gpt`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://shop.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'chat-token,content-type',
          },
        });

        expect(res.status).toBeLessThan(300);
        expect(res.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/shop\.example)$/);
        expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
        expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('chat-token');
      });

      it('a CORS preflight for the poll with the chat-token header is allowed', async () => {
        const res = await fetch(`${app.url}/api/v1/message`, {
          method: 'OPTIONS',
          headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'chat-token' },
        });

        expect(res.status).toBeLessThan(300);
        expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('chat-token');
      });

      it('/swagger.json documents every public route, the chat routes with the chat-token header', async () => {
        const res = await fetch(`${app.url}/swagger.json`);
        const doc = (await res.json()) as {
          openapi: string;
          paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string; name?: string }> }>>;
          components?: { parameters?: Record<string, { name: string; in: string }> };
        };

        expect(res.status).toBe(200);
        expect(doc.openapi).toMatch(/^3\./);
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining(['/api/v1/gpt', '/api/v1/message', '/api/v1/catalog/search', '/healthz', '/readyz', '/metrics']),
        );
        const headerNames = (parameters: Array<{ $ref?: string; name?: string }> = []) =>
          parameters.map((p) => (p.$ref ? doc.components?.parameters?.[p.$ref.split('/').pop() ?? '']?.name : p.name));
        expect(headerNames(doc.paths['/api/v1/gpt']?.post?.parameters)).toContain('chat-token');
        expect(headerNames(doc.paths['/api/v1/message']?.get?.parameters)).toContain('chat-token');
      });

      it('/swagger/ serves the Swagger UI page', async () => {
        const res = await fetch(`${app.url}/swagger/`);

        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await res.text()).toMatch(/swagger-ui/i);
      });

      it('/healthz and /readyz answer 200 while the database and queue are up', async () => {
        const health = await fetch(`${app.url}/healthz`);
        const ready = await fetch(`${app.url}/readyz`);

        expect(health.status).toBe(200);
        expect(ready.status).toBe(200);
      });

      it('/metrics exposes HTTP latency by route and the reply queue depth', async () => {
        await get(newVisitor().token);

        const res = await fetch(`${app.url}/metrics`);
        const text = await res.text();

        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
        expect(text).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/api\/v1\/message"/m);
        expect(text).toMatch(/^queue_jobs\{.*queue="replies"/m);
      });
    });
  });
}
