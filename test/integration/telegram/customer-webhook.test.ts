/**
 * Webhook mode: the app registers `POST /telegram/customer/webhook` with Telegram on start, and the
 * Bot API fake pushes updates to it with the secret header, re-sending until it gets a 2xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import { echoResponder, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import type { TestApp } from '../../support/test-app.js';
import {
  createScratchDatabase,
  freshChatId,
  questionOf,
  requestsAbout,
  sleep,
  startFakeTelegram,
  startFakeYandexGpt,
  startTelegramApp,
  type ScratchDatabase,
} from './harness.js';
import { freePort } from '../../../src/free-port.js';

const SECRET = 'webhook_secret-For-tests_42';
const PATH = '/telegram/customer/webhook';

describe('Telegram customer, webhook mode', () => {
  let database: ScratchDatabase;
  let telegram: FakeTelegram;
  let gpt: FakeYandexGpt;
  let app: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase('tghook');
    telegram = await startFakeTelegram({ webhookRetryMs: 100 });
    gpt = await startFakeYandexGpt();
    const port = await freePort();
    app = await startTelegramApp(database, telegram, gpt, {
      env: { PORT: port, TELEGRAM_WEBHOOK_BASE_URL: `http://127.0.0.1:${port}/`, TELEGRAM_WEBHOOK_SECRET: SECRET },
    });
  });

  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await gpt?.close();
    await database?.drop();
  });

  function textUpdate(chat: number, text: string, updateId = 900_000 + Math.floor(Math.random() * 1e6)): Update {
    return {
      update_id: updateId,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat, type: 'private', first_name: 'Олег' },
        from: { id: chat, is_bot: false, first_name: 'Олег' },
        text,
      },
    } as Update;
  }

  async function post(body: unknown, secret?: string): Promise<{ status: number; body: unknown; ms: number }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    const started = performance.now();
    const res = await fetch(`${app.url}${PATH}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined, ms: performance.now() - started };
  }

  it('registers the webhook with its secret on start, and never polls', () => {
    const setWebhook = telegram.calls.find((c) => c.method === 'setWebhook');

    expect(setWebhook?.params).toMatchObject({ url: `${app.url}${PATH}`, secret_token: SECRET });
    expect(telegram.calls.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('answers an update Telegram pushes with the right secret', async () => {
    const chat = freshChatId();

    const update = telegram.pushText(chat, `Что есть из баннерной ткани? ${chat}`);
    const [reply] = await telegram.waitForSent(chat, 1);

    expect(reply?.text).toBe(`Ответ: Что есть из баннерной ткани? ${chat}`);
    expect(telegram.deliveries.find((d) => d.updateId === update.update_id)?.status).toBe(200);
  });

  it.each([
    ['without the secret header', undefined],
    ['with a wrong secret', 'not-the-secret'],
  ])('refuses an update %s with a JSON 401 and changes nothing', async (_, secret) => {
    const chat = freshChatId();

    const res = await post(textUpdate(chat, `подделка ${chat}`), secret);
    await sleep(300);

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.any(String) });
    expect(requestsAbout(gpt, `подделка ${chat}`)).toBe(0);
    expect(await database.query('select 1 from conversation where chat_id = $1', [String(chat)])).toEqual([]);
  });

  it('refuses a body that is not an update with a JSON 400', async () => {
    const res = await post({ hello: 'world' }, SECRET);

    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.any(String) });
  });

  it('processes an update Telegram sends twice only once', async () => {
    const chat = freshChatId();
    const update = telegram.pushText(chat, `дважды ${chat}`);
    await telegram.waitForSent(chat, 1);

    const again = await telegram.redeliver(update);
    await sleep(500);

    expect(again).toBe(200);
    expect(telegram.sentTo(chat)).toHaveLength(1);
    expect(requestsAbout(gpt, `дважды ${chat}`)).toBe(1);
  });

  it('acknowledges the webhook at once while the model is still thinking', async () => {
    const chat = freshChatId();
    gpt.setResponder((body, request) =>
      questionOf(body).includes(String(chat)) ? { delayMs: 1500, then: { text: `Ответ: ${questionOf(body)}` } } : echoResponder(body, request),
    );

    const res = await post(textUpdate(chat, `медленно ${chat}`), SECRET);
    const answeredAt = Date.now();
    const [reply] = await telegram.waitForSent(chat, 1);

    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(reply?.text).toBe(`Ответ: медленно ${chat}`);
    expect(reply?.at).toBeGreaterThan(answeredAt + 1000);
    gpt.setResponder(echoResponder);
  });

  it('answers /start pushed by webhook with the greeting', async () => {
    const chat = freshChatId();

    telegram.pushText(chat, '/start');
    const [greeting] = await telegram.waitForSent(chat, 1);

    expect(greeting?.text).toBe(app.deps.knowledge.text('greeting'));
  });
});
