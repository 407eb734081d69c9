/**
 * A Telegram customer talks to the whole app in long-polling mode, over real sockets: the app polls
 * the Bot API fake, the model is the YandexGPT fake, and every reply is a `sendMessage` to the
 * fake. Run on both queue backends (BullMQ on Redis, and in-process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import { echoResponder, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import type { TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';
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
  type TelegramBackend,
} from './harness.js';

describe.each<TelegramBackend>(['postgres+redis', 'postgres+in-process'])('Telegram customer, long polling: %s', (backend) => {
  let database: ScratchDatabase;
  let telegram: FakeTelegram;
  let gpt: FakeYandexGpt;
  let app: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase('tgpoll');
    telegram = await startFakeTelegram();
    gpt = await startFakeYandexGpt();
    app = await startTelegramApp(database, telegram, gpt, { backend });
  });

  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('registers the bot’s commands and polls instead of setting a webhook', async () => {
    await telegram.waitFor(() => telegram.calls.some((c) => c.method === 'getUpdates'), 5000, 'a getUpdates call');
    const commands = telegram.calls.find((c) => c.method === 'setMyCommands')?.params.commands as Array<{ command: string; description: string }>;

    expect(commands.map((c) => c.command)).toEqual(['start', 'help', 'operator']);
    expect(commands.every((c) => c.description.length > 0)).toBe(true);
    expect(telegram.calls.some((c) => c.method === 'setWebhook')).toBe(false);
  });

  it('answers a customer’s question with the model’s answer in the same chat', async () => {
    const chat = freshChatId();

    telegram.pushText(chat, `Есть плёнка Oracal 641? ${chat}`, { first_name: 'Мария', username: 'm_sokolova' });
    const [reply] = await telegram.waitForSent(chat, 1);

    expect(reply?.text).toBe(`Ответ: Есть плёнка Oracal 641? ${chat}`);
    expect(telegram.calls.some((c) => c.method === 'sendChatAction' && c.params.chat_id === String(chat) && c.params.action === 'typing')).toBe(true);
    const [conversation] = await database.query('select sender_name, sender_username from conversation where chat_id = $1', [String(chat)]);
    expect(conversation).toEqual({ sender_name: 'Мария', sender_username: 'm_sokolova' });
  });

  it('answers a burst of three messages in order', async () => {
    const chat = freshChatId();

    for (const word of ['один', 'два', 'три']) telegram.pushText(chat, `${word} ${chat}`);
    const replies = await telegram.waitForSent(chat, 3);

    expect(replies.map((r) => r.text)).toEqual([`Ответ: один ${chat}`, `Ответ: два ${chat}`, `Ответ: три ${chat}`]);
  });

  it('delays replies through a 429 storm but loses none and keeps their order', async () => {
    const chat = freshChatId();
    // Four refusals outlast auto-retry's budget (three retries): the queue's backoff takes over.
    telegram.failNext('sendMessage', { code: 429, retryAfter: 1 }, 5);

    for (const word of ['первый', 'второй', 'третий']) telegram.pushText(chat, `${word} ${chat}`);
    const replies = await telegram.waitForSent(chat, 3, 25_000);

    expect(replies.map((r) => r.text)).toEqual([`Ответ: первый ${chat}`, `Ответ: второй ${chat}`, `Ответ: третий ${chat}`]);
    expect(telegram.calls.filter((c) => c.method === 'sendMessage' && c.errorCode === 429)).toHaveLength(5);
  }, 30_000);

  it('sends a 5,000-character reply as two messages split between paragraphs', async () => {
    const chat = freshChatId();
    const paragraphs = Array.from({ length: 10 }, (_, i) => `Абзац ${i + 1}. ${'Текст ответа. '.repeat(40)}`.slice(0, 498));
    gpt.setResponder((body, request) => (questionOf(body).includes(String(chat)) ? { text: paragraphs.join('\n\n') } : echoResponder(body, request)));

    telegram.pushText(chat, `Расскажите подробно ${chat}`);
    const parts = await telegram.waitForSent(chat, 2);
    await sleep(300);

    expect(telegram.sentTo(chat)).toHaveLength(2);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(paragraphs.join('\n\n'));
    gpt.setResponder(echoResponder);
  });

  it('sends the model’s Markdown as Telegram HTML', async () => {
    const chat = freshChatId();
    gpt.setResponder((body, request) =>
      questionOf(body).includes(String(chat)) ? { text: '**Oracal 641** — от 450 ₽/м < 500 ₽, [каталог](https://example.ru/oracal)' } : echoResponder(body, request),
    );

    telegram.pushText(chat, `Цена? ${chat}`);
    const [reply] = await telegram.waitForSent(chat, 1);

    expect(reply?.parseMode).toBe('HTML');
    expect(reply?.raw).toBe('<b>Oracal 641</b> — от 450 ₽/м &lt; 500 ₽, <a href="https://example.ru/oracal">каталог</a>');
    gpt.setResponder(echoResponder);
  });

  it('greets /start with messages.yml’s greeting and the button that asks for a person', async () => {
    const chat = freshChatId();

    telegram.pushText(chat, '/start');
    const [greeting] = await telegram.waitForSent(chat, 1);

    expect(greeting?.text).toBe(app.deps.knowledge.text('greeting'));
    expect(greeting?.replyMarkup).toMatchObject({ keyboard: [[{ text: expect.any(String) }]] });
    expect(gpt.requests.some((r) => questionOf(r.body).includes('/start'))).toBe(false);
  });

  it('answers /help with the help text', async () => {
    const chat = freshChatId();

    telegram.pushText(chat, '/help');
    const [help] = await telegram.waitForSent(chat, 1);

    expect(help?.text).toBe(app.deps.knowledge.text('help'));
  });

  it('records /operator and the keyboard button as asking for a person, and tells the customer nobody is on duty', async () => {
    const chat = freshChatId();
    telegram.pushText(chat, '/start');
    const [greeting] = await telegram.waitForSent(chat, 1);
    const button = (greeting?.replyMarkup as { keyboard: Array<Array<{ text: string }>> }).keyboard[0]?.[0]?.text as string;

    telegram.pushText(chat, '/operator');
    telegram.pushText(chat, button);
    const replies = await telegram.waitForSent(chat, 3);

    expect(replies.slice(1).every((r) => r.text.startsWith(app.deps.knowledge.text('no_operator')))).toBe(true);
    const asked = await database.query(
      `select m.text, m.handoff from message m join conversation c on c.id = m.conversation_id
       where c.chat_id = $1 and m.author = 'CUSTOMER' order by m.id`,
      [String(chat)],
    );
    expect(asked).toEqual([
      { text: '/operator', handoff: 'customer_request:unavailable' },
      { text: button, handoff: 'customer_request:unavailable' },
    ]);
    expect(requestsAbout(gpt, '/operator')).toBe(0);
  });

  it('answers stickers, photos, voice and documents politely, ignores edits, groups and channel posts, and keeps working', async () => {
    const chat = freshChatId();
    const group = freshChatId();

    telegram.pushMessage(chat, { sticker: { file_id: 'CAAC', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } });
    telegram.pushMessage(chat, { photo: [{ file_id: 'AgAC', file_unique_id: 'AQAD', width: 90, height: 67 }], caption: 'сколько стоит?' });
    telegram.pushMessage(chat, { voice: { file_id: 'AwAC', file_unique_id: 'AgAD', duration: 3 } });
    telegram.pushMessage(chat, { document: { file_id: 'BQAC', file_unique_id: 'AgAD', file_name: 'макет.pdf' } });
    telegram.pushUpdate({ edited_message: { message_id: 1, date: 1, edit_date: 2, chat: { id: chat, type: 'private', first_name: 'Анна' }, text: 'правка' } } as never);
    telegram.pushMessage(group, { text: `в группе ${group}` }, 'supergroup');
    telegram.pushUpdate({ channel_post: { message_id: 1, date: 1, chat: { id: -100500, type: 'channel', title: 'Канал' }, text: 'пост' } } as never);
    telegram.pushText(chat, `а теперь вопрос ${chat}`);
    const replies = await telegram.waitForSent(chat, 5);

    // Fixed texts are not stored replies: they keep no order relative to the model's answers.
    expect(replies.map((r) => r.text).sort()).toEqual([...Array(4).fill(app.deps.knowledge.text('telegram_unsupported')), `Ответ: а теперь вопрос ${chat}`].sort());
    expect(telegram.sentTo(-group)).toEqual([]);
    expect(requestsAbout(gpt, 'правка') + requestsAbout(gpt, 'пост') + requestsAbout(gpt, `в группе ${group}`)).toBe(0);
  });

  it('marks a customer who blocked the bot and does not retry the reply', async () => {
    const chat = freshChatId();
    telegram.blockChat(chat);

    telegram.pushText(chat, `вопрос ${chat}`);
    await telegram.waitFor(() => telegram.calls.some((c) => c.method === 'sendMessage' && c.params.chat_id === String(chat) && c.errorCode === 403));

    const state = async () =>
      (
        await database.query<{ blocked: boolean; undelivered: number }>(
          `select c.blocked_at is not null as blocked,
                  (select count(*)::int from message m where m.conversation_id = c.id and m.author <> 'CUSTOMER' and m.delivered_at is null) as undelivered
           from conversation c where c.chat_id = $1`,
          [String(chat)],
        )
      )[0];
    await waitFor(async () => (await state())?.blocked, 5000, { what: 'the conversation marked blocked' });
    expect(await state()).toEqual({ blocked: true, undelivered: 0 });
    await sleep(500);
    expect(telegram.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === String(chat))).toHaveLength(1);
  });

  it('answers 404 on the webhook route: the bot is polling', async () => {
    const res = await fetch(`${app.url}/telegram/customer/webhook`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });

    expect(res.status).toBe(404);
  });
});
