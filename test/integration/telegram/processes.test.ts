/**
 * Telegram across processes and restarts: one poller per bot token among several workers, and a
 * reply stored but never sent (the process died in between) sent after the restart.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import type { TestApp } from '../../support/test-app.js';
import {
  createScratchDatabase,
  freshChatId,
  sleep,
  startFakeTelegram,
  startFakeYandexGpt,
  startTelegramApp,
  type ScratchDatabase,
} from './harness.js';
import { freePort } from '../../../src/free-port.js';

describe('Telegram across processes', () => {
  let database: ScratchDatabase;
  let telegram: FakeTelegram;
  let gpt: FakeYandexGpt;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase('tgproc');
    telegram = await startFakeTelegram();
    gpt = await startFakeYandexGpt();
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await telegram?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('polls with one worker at a time: Telegram never sees a rival poller, and each update is answered once', async () => {
    // Workers of one deployment share the queue prefix, and with it the poller's lease.
    const env = { BULLMQ_PREFIX: `test-${inject('runId')}-tg-${randomUUID().slice(0, 8)}` };
    const first = await startTelegramApp(database, telegram, gpt, { role: 'worker', env });
    const second = await startTelegramApp(database, telegram, gpt, { role: 'worker', env });
    apps.push(first, second);
    const chat = freshChatId();

    for (const word of ['раз', 'два', 'три']) telegram.pushText(chat, `${word} ${chat}`);
    await telegram.waitForSent(chat, 3);
    await sleep(1000);

    expect(telegram.calls.filter((c) => c.method === 'getUpdates' && c.errorCode === 409)).toEqual([]);
    expect(telegram.sentTo(chat).map((m) => m.text)).toEqual([`Ответ: раз ${chat}`, `Ответ: два ${chat}`, `Ответ: три ${chat}`]);
    await first.stop();
    await second.stop();
  });

  it('hands polling over to a standing-by worker when the polling one stops', async () => {
    const env = { BULLMQ_PREFIX: `test-${inject('runId')}-tg-${randomUUID().slice(0, 8)}` };
    const first = await startTelegramApp(database, telegram, gpt, { role: 'worker', env });
    await telegram.waitFor(() => telegram.calls.some((c) => c.method === 'getUpdates' && !c.answered), 5000, 'a pending long poll');
    const second = await startTelegramApp(database, telegram, gpt, { role: 'worker', env });
    apps.push(first, second);

    await first.stop();
    const chat = freshChatId();
    telegram.pushText(chat, `после смены ${chat}`);
    const [reply] = await telegram.waitForSent(chat, 1, 20_000);

    expect(reply?.text).toBe(`Ответ: после смены ${chat}`);
    expect(telegram.calls.filter((c) => c.method === 'getUpdates' && c.errorCode === 409)).toEqual([]);
  }, 30_000);

  it('splits webhook mode across roles: the API process takes the update, a worker answers and sends', async () => {
    const port = await freePort();
    const env = {
      BULLMQ_PREFIX: `test-${inject('runId')}-tg-${randomUUID().slice(0, 8)}`,
      PORT: port,
      TELEGRAM_WEBHOOK_BASE_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_WEBHOOK_SECRET: 'split_roles_secret',
    };
    const api = await startTelegramApp(database, telegram, gpt, { role: 'api', env });
    const worker = await startTelegramApp(database, telegram, gpt, { role: 'worker', env: { ...env, PORT: 0 } });
    apps.push(api, worker);
    const chat = freshChatId();

    telegram.pushText(chat, `раздельные роли ${chat}`);
    const [reply] = await telegram.waitForSent(chat, 1);

    expect(reply?.text).toBe(`Ответ: раздельные роли ${chat}`);
    expect(telegram.calls.filter((c) => c.method === 'setWebhook')).toHaveLength(1);
    await api.stop();
    await worker.stop();
  });

  it('sends, after a restart, a reply that was stored but never sent', async () => {
    const chat = String(freshChatId());
    const before = await startTelegramApp(database, telegram, gpt);
    apps.push(before);
    // What the reply worker leaves behind when the process dies between storing and enqueueing the send.
    const { message } = await before.deps.store.accept({ address: { channel: 'telegram', chatId: chat }, externalId: '1-1', text: 'вопрос', at: new Date() });
    await before.deps.store.recordReply({ inboundId: message.id, text: `сохранённый ответ ${chat}`, author: 'GPT', kind: 'answer', status: 'answered' });
    await before.stop();
    await database.query(`update message set created_at = now() - interval '5 minutes' where conversation_id = $1`, [message.conversationId]);

    const after = await startTelegramApp(database, telegram, gpt);
    apps.push(after);
    const [reply] = await telegram.waitForSent(chat, 1);
    await sleep(500);

    expect(reply?.text).toBe(`сохранённый ответ ${chat}`);
    expect(telegram.sentTo(chat)).toHaveLength(1);
    expect(await after.deps.store.findUndelivered('telegram', { chatId: chat }, 10)).toEqual([]);
  });
});
