/**
 * Two channels into one core at once: web visitors poll the chat API while Telegram customers get
 * pushed replies, and nobody ever sees a reply meant for someone else.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import type { TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';
import {
  createScratchDatabase,
  freshChatId,
  sleep,
  startFakeTelegram,
  startFakeYandexGpt,
  startTelegramApp,
  type ScratchDatabase,
} from './harness.js';

describe('a web visitor and a Telegram customer talking at once', () => {
  let database: ScratchDatabase;
  let telegram: FakeTelegram;
  let gpt: FakeYandexGpt;
  let app: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase('tgweb');
    telegram = await startFakeTelegram();
    gpt = await startFakeYandexGpt();
    app = await startTelegramApp(database, telegram, gpt);
  });

  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await gpt?.close();
    await database?.drop();
  });

  async function webSay(token: string, message: string): Promise<void> {
    const res = await fetch(`${app.url}/api/v1/gpt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'chat-token': token },
      body: JSON.stringify({ message }),
    });
    expect(res.status).toBe(201);
  }

  async function webReplies(token: string, count: number): Promise<string[]> {
    const got: string[] = [];
    await waitFor(
      async () => {
        const res = await fetch(`${app.url}/api/v1/message`, { headers: { 'chat-token': token } });
        const body = (await res.json()) as { messages: Array<{ message: string }> };
        got.push(...body.messages.map((m) => m.message));
        return got.length >= count;
      },
      10_000,
      { intervalMs: 25, what: `${count} web replies` },
    );
    return got;
  }

  it('never shows either of them the other’s replies', async () => {
    const pairs = Array.from({ length: 5 }, (_, i) => ({ token: `visitor-${randomUUID()}`, chat: freshChatId(), i }));

    await Promise.all(
      pairs.map(async ({ token, chat, i }) => {
        telegram.pushText(chat, `телеграм ${i} ${chat}`);
        await webSay(token, `сайт ${i} ${token}`);
        telegram.pushText(chat, `телеграм ещё ${i} ${chat}`);
        await webSay(token, `сайт ещё ${i} ${token}`);
      }),
    );
    const results = await Promise.all(
      pairs.map(async ({ token, chat }) => ({ web: await webReplies(token, 2), telegram: (await telegram.waitForSent(chat, 2)).map((m) => m.text) })),
    );
    await sleep(300);

    for (const [index, { token, chat, i }] of pairs.entries()) {
      expect(results[index]?.web).toEqual([`Ответ: сайт ${i} ${token}`, `Ответ: сайт ещё ${i} ${token}`]);
      expect(telegram.sentTo(chat).map((m) => m.text)).toEqual([`Ответ: телеграм ${i} ${chat}`, `Ответ: телеграм ещё ${i} ${chat}`]);
    }
    const webTokens = pairs.map((p) => p.token);
    expect(telegram.sent.some((m) => webTokens.some((token) => m.text.includes(token)))).toBe(false);
  });
});
