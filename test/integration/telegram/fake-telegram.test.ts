/**
 * The Bot API fake itself, driven by grammY's client and by raw HTTP: the tests above are only as
 * good as its wire format and semantics.
 */
import { Api, GrammyError } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/fake-telegram.js';

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
    const { createServer } = await import('node:http');
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
