import { GrammyError, HttpError } from 'grammy';
import { stdSerializers } from 'pino';
import { describe, expect, it } from 'vitest';
import { classifySendFailure, loggableError, TelegramSendError } from '../../../src/telegram/errors.js';

const TOKEN = '7000000001:SECRET-bot-token';

describe('Telegram errors in the logs', () => {
  it('never carry the bot token from a network failure’s URL', () => {
    const fetchError = Object.assign(new Error(`request to https://api.telegram.org/bot${TOKEN}/getUpdates failed, reason: connect ECONNREFUSED`), { code: 'ECONNREFUSED' });
    const error = new HttpError("Network request for 'getUpdates' failed!", fetchError);

    const logged = JSON.stringify(stdSerializers.err(loggableError(error) as Error));

    expect(logged).not.toContain(TOKEN);
    expect(logged).toContain('ECONNREFUSED');
  });

  it('never carry the request payload (the webhook secret, message texts)', () => {
    const error = new GrammyError("Call to 'setWebhook' failed!", { ok: false, error_code: 400, description: 'Bad Request: bad webhook' }, 'setWebhook', {
      url: 'https://example.ru/telegram/customer/webhook',
      secret_token: 'the-webhook-secret',
    });

    const logged = JSON.stringify(stdSerializers.err(loggableError(error) as Error));

    expect(logged).not.toContain('the-webhook-secret');
    expect(logged).toContain('400 Bad Request: bad webhook');
  });

  it('keep the customer’s text out of a failed send', () => {
    const error = new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code: 502, description: 'Bad Gateway' }, 'sendMessage', { chat_id: 1, text: 'личные данные' });

    const logged = JSON.stringify(stdSerializers.err(TelegramSendError.from('sendMessage', '1', error)));

    expect(logged).not.toContain('личные данные');
  });
});

describe('classifySendFailure', () => {
  const failure = (code: number, description: string) => new GrammyError('x', { ok: false, error_code: code, description }, 'sendMessage', {});

  it.each([
    [failure(400, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""), 'parse'],
    [failure(403, 'Forbidden: bot was blocked by the user'), 'blocked'],
    [failure(403, 'Forbidden: user is deactivated'), 'blocked'],
    [failure(400, 'Bad Request: chat not found'), 'rejected'],
    [failure(429, 'Too Many Requests: retry after 5'), 'retry'],
    [failure(500, 'Internal Server Error'), 'retry'],
    [new HttpError('Network request failed', new Error('reset')), 'retry'],
  ])('%s → %s', (error, expected) => {
    expect(classifySendFailure(error)).toBe(expected);
  });
});
