/**
 * Property-based test of the chat API (fast-check) over a real socket and the run's PostgreSQL and
 * Redis: whatever the body, headers and token shape, the answer is never a 5xx, a refused request
 * stores nothing, and an accepted one stores exactly the cleaned text (U+0000 dropped, trimmed).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanCustomerText } from '../../../src/core/customer-text.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const MAX_CHARS = 60;
const SEND_PATHS = ['/api/v1/gpt', '/api/v1/gpt/', '/gpt', '/gpt/'];
const POLL_PATHS = ['/api/v1/message', '/api/v1/message/', '/message', '/message/'];

/** Header values fetch can send at all (no CR/LF, Latin-1 only); the rest is what a client could try. */
const headerSafe = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

const token = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{16,128}$/),
  fc.string({ maxLength: 140 }).filter(headerSafe),
  fc.constant(undefined),
);
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: MAX_CHARS + 10 }),
  fc.string({ unit: fc.constantFrom(' ', '\u0000', '\u200b', '\ufeff', '\n', 'a', 'я', '😀'), maxLength: MAX_CHARS + 5 }),
);
const body = fc.oneof(
  text.map((message) => JSON.stringify({ message })),
  fc.record({ message: fc.jsonValue() }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
);
const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined, 'application/json; charset=latin1');

describe('the chat API under random input', () => {
  let database: ScratchDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase('properties');
    app = await startTestApp('postgres+redis', {
      DATABASE_URL: database.url,
      MAX_MESSAGE_CHARS: MAX_CHARS,
      MAX_BODY_BYTES: 512,
      RATE_LIMIT_MESSAGES_PER_MINUTE: 100_000,
      RATE_LIMIT_ADDRESS_PER_MINUTE: 100_000,
      RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE: 100_000,
    });
  });

  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  const storedFor = async (chatId: string) =>
    database.query<{ text: string }>("select m.text from message m join conversation c on c.id = m.conversation_id where c.chat_id = $1 and m.author = 'CUSTOMER' order by m.id", [chatId]);

  it('a POST never gets a 5xx; a refused one stores nothing, an accepted one stores the cleaned text once', async () => {
    await fc.assert(
      fc.asyncProperty(token, body, contentType, fc.constantFrom(...SEND_PATHS), async (chatToken, payload, type, path) => {
        const headers: Record<string, string> = {};
        if (chatToken !== undefined) headers['chat-token'] = chatToken;
        if (type) headers['content-type'] = type;
        const before = chatToken ? await storedFor(chatToken) : [];

        const res = await fetch(`${app.url}${path}`, { method: 'POST', headers, body: payload });
        const answer = (await res.json()) as Record<string, unknown>;

        expect(res.status, JSON.stringify(answer)).toBeLessThan(500);
        const after = chatToken ? await storedFor(chatToken) : [];
        if (res.status !== 201) {
          expect(typeof answer.error).toBe('string');
          expect(after).toEqual(before);
          return;
        }
        const sent = (JSON.parse(String(payload)) as { message: string }).message;
        expect(after.slice(before.length).map((r) => r.text)).toEqual([cleanCustomerText(sent)]);
        expect(after.every((r) => !r.text.includes('\u0000'))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a poll never gets a 5xx, whatever its token', async () => {
    await fc.assert(
      fc.asyncProperty(token, fc.constantFrom(...POLL_PATHS), async (chatToken, path) => {
        const res = await fetch(`${app.url}${path}`, { headers: chatToken === undefined ? {} : { 'chat-token': chatToken } });
        const answer = (await res.json()) as Record<string, unknown>;

        expect(res.status, JSON.stringify(answer)).toBeLessThan(500);
        expect(res.status === 200 ? Array.isArray(answer.messages) : typeof answer.error === 'string').toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
