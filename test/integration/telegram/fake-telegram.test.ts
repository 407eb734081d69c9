/**
 * The Bot API fake itself, driven by grammY's client and by raw HTTP: the tests above are only as
 * good as its wire format and semantics.
 */
import { createServer } from 'node:http';
import { Api, Bot, GrammyError, InlineKeyboard } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/fake-telegram.js';

const refusal = (error: unknown) => (error instanceof GrammyError ? `${error.error_code} ${error.description}` : String(error));

describe('the fake Telegram Bot API', () => {
  let telegram: FakeTelegram;
  let api: Api;

  beforeAll(async () => {
    telegram = await startFakeTelegram({ webhookRetryMs: 20 });
    api = new Api(telegram.token, { apiRoot: telegram.url });
  });

  afterAll(async () => {
    await telegram?.close();
  });

  it('answers getMe with the bot', async () => {
    expect(await api.getMe()).toMatchObject({ is_bot: true, username: 'fake_support_bot' });
  });

  it('keeps updates until an offset past them confirms them', async () => {
    const first = telegram.pushText(1001, 'a');
    const second = telegram.pushText(1001, 'b');

    const unconfirmed = await api.getUpdates({ timeout: 0 });
    const afterFirst = await api.getUpdates({ offset: first.update_id + 1, timeout: 0 });
    const afterBoth = await api.getUpdates({ offset: second.update_id + 1, timeout: 0 });

    expect(unconfirmed.map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);
    expect(afterFirst.map((u) => u.update_id)).toEqual([second.update_id]);
    expect(afterBoth).toEqual([]);
  });

  it('holds a long poll until an update arrives', async () => {
    const poll = api.getUpdates({ timeout: 10 });
    await telegram.waitFor(() => telegram.calls.some((c) => c.method === 'getUpdates' && !c.answered));

    const update = telegram.pushText(1002, 'wake up');
    const updates = await poll;

    expect(updates.map((u) => u.update_id)).toEqual([update.update_id]);
    await api.getUpdates({ offset: update.update_id + 1, timeout: 0 });
  });

  it('ends the earlier of two long polls with 409, as Telegram does', async () => {
    const earlier = api.getUpdates({ timeout: 10 }).catch((error: unknown) => error);
    await telegram.waitFor(() => telegram.calls.filter((c) => c.method === 'getUpdates' && !c.answered).length === 1);
    const later = api.getUpdates({ timeout: 10 });

    const error = await earlier;
    telegram.pushText(1003, 'end the later poll');
    const updates = await later;

    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(409);
    await api.getUpdates({ offset: (updates.at(-1)?.update_id ?? 0) + 1, timeout: 0 });
  });

  it('takes form-encoded parameters', async () => {
    const res = await fetch(`${telegram.url}/bot${telegram.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ chat_id: '1004', text: 'form body', reply_markup: '{"remove_keyboard":true}' }).toString(),
    });

    expect(await res.json()).toMatchObject({ ok: true, result: { text: 'form body' } });
    expect(telegram.sentTo(1004)[0]?.replyMarkup).toEqual({ remove_keyboard: true });
  });

  it('refuses unbalanced or unknown HTML and over-long texts with the Bot API’s 400s', async () => {
    const refused = async (text: string, parse_mode?: 'HTML') =>
      api.sendMessage(1005, text, { parse_mode }).then(
        () => undefined,
        (error: GrammyError) => error.description,
      );

    expect(await refused('<b>unclosed', 'HTML')).toMatch(/can't parse entities: Can't find end tag/);
    expect(await refused('<div>x</div>', 'HTML')).toMatch(/can't parse entities: Unsupported start tag "div"/);
    expect(await refused('a < b', 'HTML')).toMatch(/can't parse entities/);
    expect(await refused('x'.repeat(4097))).toBe('Bad Request: message is too long');
    expect(await refused(`<b>${'x'.repeat(4096)}</b>`, 'HTML')).toBeUndefined();
  });

  it('plays scripted 429s with retry_after, and 403 for a blocked chat', async () => {
    telegram.failNext('sendMessage', { code: 429, retryAfter: 7 });
    telegram.blockChat(1006);

    const limited = await api.sendMessage(1005, 'x').catch((error: GrammyError) => error);
    const blocked = await api.sendMessage(1006, 'x').catch((error: GrammyError) => error);

    expect(limited).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect(blocked).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  });

  it('pushes updates to a webhook with the secret header, re-sending until a 2xx', async () => {
    const seen: Array<{ secret: unknown; id: number }> = [];
    let failFirst = true;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ secret: req.headers['x-telegram-bot-api-secret-token'], id: (JSON.parse(body) as { update_id: number }).update_id });
        res.writeHead(failFirst ? 500 : 200).end();
        failFirst = false;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;

    await api.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 'the_secret' });
    const update = telegram.pushText(1007, 'pushed');
    await telegram.waitFor(() => seen.length >= 2);
    const polling = await api.getUpdates({ timeout: 0 }).catch((error: GrammyError) => error.error_code);
    await api.deleteWebhook();
    server.close();

    expect(seen).toEqual([
      { secret: 'the_secret', id: update.update_id },
      { secret: 'the_secret', id: update.update_id },
    ]);
    expect(polling).toBe(409);
  });
});

describe('the fake Telegram Bot API with the operators’ bot beside the customers’ one', () => {
  let customers: FakeTelegram;
  let operators: FakeTelegram;
  let customersApi: Api;
  let operatorsApi: Api;

  beforeAll(async () => {
    customers = await startFakeTelegram({ webhookRetryMs: 20 });
    operators = customers.addBot({ username: 'fake_operators_bot' });
    customersApi = new Api(customers.token, { apiRoot: customers.url });
    operatorsApi = new Api(operators.token, { apiRoot: operators.url });
  });

  afterAll(async () => {
    await customers?.close();
  });

  /** Takes every pending update of `api`'s bot, confirming them. */
  async function drain(api: Api, allowed_updates?: ReadonlyArray<Exclude<keyof Update, 'update_id'>>): Promise<Update[]> {
    const updates = await api.getUpdates({ timeout: 0, allowed_updates });
    if (updates.length) await api.getUpdates({ offset: (updates.at(-1)?.update_id ?? 0) + 1, timeout: 0 });
    return updates;
  }

  it('serves two bots on one root, each with its own getMe and its own updates', async () => {
    const toCustomers = customers.pushText(2001, 'для клиентского бота');
    const toOperators = operators.pushText(2001, 'для операторского бота');

    const [customersMe, operatorsMe] = [await customersApi.getMe(), await operatorsApi.getMe()];
    const [customersGot, operatorsGot] = [await drain(customersApi), await drain(operatorsApi)];

    expect(operators.url).toBe(customers.url);
    expect(customersMe).toMatchObject({ id: 7000000001, username: 'fake_support_bot' });
    expect(operatorsMe).toMatchObject({ id: Number(operators.token.split(':')[0]), username: 'fake_operators_bot' });
    expect(customersGot.map((u) => u.update_id)).toEqual([toCustomers.update_id]);
    expect(operatorsGot.map((u) => u.update_id)).toEqual([toOperators.update_id]);
    expect(operators.calls.filter((c) => c.method === 'getUpdates')).toHaveLength(2);
  });

  it('answers 401 Unauthorized to a token of no bot', async () => {
    const stranger = new Api('123456:not-a-bot-here', { apiRoot: customers.url });

    const error = await stranger.getMe().catch(refusal);

    expect(error).toBe('401 Unauthorized');
    expect(customers.unrouted.map((c) => c.method)).toEqual(['getMe']);
  });

  it('delivers a button press to bot.on("callback_query:data") and takes its answer once', async () => {
    const keyboard = new InlineKeyboard().text('Взять', 'take:42').text('Отказаться', 'skip:42');
    const message = await operatorsApi.sendMessage(2002, 'Новый запрос', { reply_markup: keyboard });
    const sent = operators.messageById(2002, message.message_id);
    const pushed = operators.pushCallback(2002, sent!, 'take:42');
    const bot = new Bot(operators.token, { botInfo: operators.bot, client: { apiRoot: operators.url } });
    const seen: unknown[] = [];
    bot.on('callback_query:data', async (ctx) => {
      seen.push({ data: ctx.callbackQuery.data, messageId: ctx.callbackQuery.message?.message_id, keyboard: ctx.callbackQuery.message?.reply_markup });
      await ctx.answerCallbackQuery({ text: 'Запрос ваш' });
    });

    for (const update of await drain(operatorsApi, ['callback_query'])) await bot.handleUpdate(update);
    const twice = await operatorsApi.answerCallbackQuery(pushed.callback_query!.id).catch(refusal);
    const unknown = await operatorsApi.answerCallbackQuery('123').catch(refusal);

    expect(sent).toMatchObject({ chatId: '2002', text: 'Новый запрос', replyMarkup: { inline_keyboard: keyboard.inline_keyboard } });
    expect(seen).toEqual([{ data: 'take:42', messageId: message.message_id, keyboard: { inline_keyboard: keyboard.inline_keyboard } }]);
    expect(pushed.callback_query).toMatchObject({ from: { id: 2002, is_bot: false }, message: { chat: { id: 2002, type: 'private' } }, chat_instance: expect.any(String) });
    expect(operators.callbackAnswers).toMatchObject([{ callbackQueryId: pushed.callback_query!.id, text: 'Запрос ваш', showAlert: false }]);
    expect(twice).toBe('400 Bad Request: query is too old and response timeout expired or query ID is invalid');
    expect(unknown).toBe(twice);
  });

  it('refuses callback_data that is empty or over 64 bytes', async () => {
    const send = (data: string) => operatorsApi.sendMessage(2003, 'x', { reply_markup: new InlineKeyboard().text('кнопка', data) }).then(() => 'ok', refusal);

    expect(await send('я'.repeat(32))).toBe('ok');
    expect(await send('я'.repeat(33))).toBe('400 Bad Request: BUTTON_DATA_INVALID');
    expect(await send('')).toBe('400 Bad Request: BUTTON_DATA_INVALID');
    expect(operators.sentTo(2003)).toHaveLength(1);
  });

  it('edits a sent message, refusing an edit that changes nothing and a message it never sent', async () => {
    const keyboard = new InlineKeyboard().text('Взять', 'take:7');
    const message = await operatorsApi.sendMessage(2004, 'Ждёт оператора', { reply_markup: keyboard });

    const edited = await operatorsApi.editMessageText(2004, message.message_id, '<b>Взят</b> Ольгой', { parse_mode: 'HTML' });
    const again = await operatorsApi.editMessageText(2004, message.message_id, '<b>Взят</b> Ольгой', { parse_mode: 'HTML' }).catch(refusal);
    const missing = await operatorsApi.editMessageText(2004, message.message_id + 100, 'x').catch(refusal);
    const badHtml = await operatorsApi.editMessageText(2004, message.message_id, '<b>x', { parse_mode: 'HTML' }).catch(refusal);
    await operatorsApi.editMessageReplyMarkup(2004, message.message_id, { reply_markup: keyboard });

    expect(edited).toMatchObject({ message_id: message.message_id, text: 'Взят Ольгой', entities: [{ type: 'bold', offset: 0, length: 4 }] });
    expect(edited).not.toHaveProperty('reply_markup');
    expect(again).toBe(
      '400 Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    );
    expect(missing).toBe('400 Bad Request: message to edit not found');
    expect(badHtml).toMatch(/^400 Bad Request: can't parse entities/);
    expect(operators.messageById(2004, message.message_id)).toMatchObject({ text: 'Взят Ольгой', replyMarkup: { inline_keyboard: keyboard.inline_keyboard } });
    expect(operators.messageById(2004, message.message_id)?.history.map((h) => h.text)).toEqual(['Ждёт оператора', 'Взят Ольгой']);
    expect(operators.edits.map((e) => e.method)).toEqual(['editMessageText', 'editMessageReplyMarkup']);
  });

  it('long polls only for allowed_updates, confirming the other kinds, and keeps the setting for later polls', async () => {
    const poll = customersApi.getUpdates({ timeout: 10, allowed_updates: ['message'] });
    await customers.waitFor(() => customers.calls.some((c) => c.method === 'getUpdates' && !c.answered));

    customers.pushMyChatMember(2005, 'kicked');
    const text = customers.pushText(2005, 'снова здесь');
    const got = await poll;
    customers.pushMyChatMember(2005, 'member');
    const sticky = await drain(customersApi);
    const member = customers.pushMyChatMember(2005, 'kicked');
    const everything = await drain(customersApi, []);

    expect(got.map((u) => u.update_id)).toEqual([text.update_id]);
    expect(sticky.map((u) => u.update_id)).toEqual([text.update_id]);
    expect(everything).toEqual([member]);
    expect(member.my_chat_member).toMatchObject({ chat: { id: 2005, type: 'private' }, old_chat_member: { status: 'member' }, new_chat_member: { status: 'kicked', user: { id: 7000000001 } } });
  });

  it('answers 403 to sends while the user has the bot blocked', async () => {
    customers.pushMyChatMember(2006, 'kicked');
    const blocked = await customersApi.sendMessage(2006, 'x').catch(refusal);
    customers.pushMyChatMember(2006, 'member');
    const unblocked = await customersApi.sendMessage(2006, 'x').then(() => 'ok', refusal);
    await drain(customersApi);

    expect(blocked).toBe('403 Forbidden: bot was blocked by the user');
    expect(unblocked).toBe('ok');
  });

  it('pushes only allowed_updates to a webhook', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push(Object.keys(JSON.parse(body) as object).filter((k) => k !== 'update_id').join());
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const message = await operatorsApi.sendMessage(2007, 'Новый запрос', { reply_markup: new InlineKeyboard().text('Взять', 'take:9') });

    await operatorsApi.setWebhook(`http://127.0.0.1:${(server.address() as { port: number }).port}/ops`, { allowed_updates: ['callback_query'] });
    operators.pushText(2007, 'не для вебхука');
    const press = operators.pushCallback(2007, operators.messageById(2007, message.message_id)!, 'take:9');
    await operators.waitFor(() => operators.deliveries.some((d) => d.updateId === press.update_id && d.status === 200));
    await operatorsApi.deleteWebhook();
    server.close();

    expect(seen).toEqual(['callback_query']);
  });
});
