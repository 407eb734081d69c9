/**
 * Issue 11 on the Telegram channel, over real sockets: no single update may stop the bot (a text
 * with U+0000 is stored without it; an update that keeps failing — a database trigger refuses it
 * here — is recorded in telegram_failed_update, counted and skipped, by the poller and by the
 * webhook), and a customer over RATE_LIMIT_TELEGRAM_PER_MINUTE is told so and not stored.
 */
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/free-port.js';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import type { TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';
import { createScratchDatabase, freshChatId, startFakeTelegram, startFakeYandexGpt, startTelegramApp, type ScratchDatabase } from './harness.js';

const POISON = 'POISON-PILL';

/** A real fault in the real database: every insert of a text with the marker fails. */
async function poisonInserts(database: ScratchDatabase): Promise<void> {
  await database.query(`create or replace function refuse_poison() returns trigger language plpgsql as $$
    begin
      if new.text like '%${POISON}%' then raise exception 'poisoned text refused by the test trigger'; end if;
      return new;
    end $$`);
  await database.query('create trigger refuse_poison before insert on message for each row execute function refuse_poison()');
}

describe('Telegram hardening, long polling', () => {
  let database: ScratchDatabase;
  let telegram: FakeTelegram;
  let gpt: FakeYandexGpt;
  let app: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase('tgharden');
    telegram = await startFakeTelegram();
    gpt = await startFakeYandexGpt();
    app = await startTelegramApp(database, telegram, gpt, { env: { TELEGRAM_UPDATE_MAX_FAILURES: 2, RATE_LIMIT_TELEGRAM_PER_MINUTE: 3 } });
    await poisonInserts(database);
  });

  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('answers a text holding U+0000, stored without the character', async () => {
    const chat = freshChatId();

    telegram.pushText(chat, `плёнка\u0000 Oracal ${chat}`);
    const [reply] = await telegram.waitForSent(chat, 1);

    expect(reply?.text).toBe(`Ответ: плёнка Oracal ${chat}`);
  });

  it('records an update that keeps failing, skips it, counts it, and answers the customers after it', async () => {
    const poisoned = freshChatId();
    const next = freshChatId();

    const update = telegram.pushText(poisoned, `${POISON} ${poisoned}`);
    telegram.pushText(next, `после отравленного ${next}`);
    const [reply] = await telegram.waitForSent(next, 1, 20_000);

    expect(reply?.text).toBe(`Ответ: после отравленного ${next}`);
    const rows = await database.query<{ update_id: string; failures: number; error: string; payload: string }>(
      'select update_id::text, failures, error, payload from telegram_failed_update where update_id = $1',
      [update.update_id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.failures).toBe(2);
    expect(rows[0]?.error).toContain('poisoned text refused');
    expect(JSON.parse(rows[0]?.payload ?? '{}')).toMatchObject({ update_id: update.update_id });
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^telegram_updates_failed_total 1$/m);
    expect(telegram.sentTo(poisoned)).toEqual([]);
  });

  it('tells a customer over RATE_LIMIT_TELEGRAM_PER_MINUTE to slow down, and stores no message past the limit', async () => {
    const chat = freshChatId();

    for (const word of ['один', 'два', 'три', 'четыре', 'пять']) telegram.pushText(chat, `${word} ${chat}`);
    const sent = await telegram.waitForSent(chat, 4, 15_000);

    const texts = sent.map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('Ответ:')).sort()).toEqual([`Ответ: два ${chat}`, `Ответ: один ${chat}`, `Ответ: три ${chat}`]);
    expect(texts.filter((t) => t === app.deps.knowledge.text('rate_limited'))).toHaveLength(1);
    const stored = await database.query(
      "select m.text from message m join conversation c on c.id = m.conversation_id where c.chat_id = $1 and m.author = 'CUSTOMER'",
      [String(chat)],
    );
    expect(stored).toHaveLength(3);
  });
});

describe('Telegram hardening, webhook mode', () => {
  const SECRET = 'webhook_secret-For-hardening_11';
  let database: ScratchDatabase;
  let telegram: FakeTelegram;
  let gpt: FakeYandexGpt;
  let app: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase('tghookharden');
    telegram = await startFakeTelegram({ webhookRetryMs: 100 });
    gpt = await startFakeYandexGpt();
    const port = await freePort();
    app = await startTelegramApp(database, telegram, gpt, {
      env: { PORT: port, TELEGRAM_WEBHOOK_BASE_URL: `http://127.0.0.1:${port}/`, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_UPDATE_MAX_FAILURES: 3 },
    });
    await poisonInserts(database);
  });

  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('answers 5xx while an update fails, then records it and answers 200 so that Telegram stops re-sending it', async () => {
    const chat = freshChatId();

    const update: Update = telegram.pushText(chat, `${POISON} ${chat}`);
    await waitFor(() => telegram.deliveries.some((d) => d.updateId === update.update_id && d.status === 200), 15_000, { intervalMs: 50, what: 'a 200 for the poisoned update' });

    const statuses = telegram.deliveries.filter((d) => d.updateId === update.update_id).map((d) => d.status);
    expect(statuses.slice(0, 2).every((s) => s >= 500)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    const rows = await database.query('select failures from telegram_failed_update where update_id = $1', [update.update_id]);
    expect(rows).toEqual([{ failures: 3 }]);
  });
});
