/** The grammY bot and Bot API clients (API root, auto-retry), the same for every bot we run. */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api, Bot } from 'grammy';

export interface TelegramBotOptions {
  token: string;
  /** Bot API root. @defaultValue https://api.telegram.org */
  apiRoot: string;
  /**
   * 429s waited out inside one call (honouring `retry_after`) before the call fails and the send
   * queue's backoff takes over. @defaultValue 3
   */
  maxRetryAttempts?: number;
  /** The longest `retry_after` waited inside a call, seconds; a longer one fails the call. @defaultValue 30 */
  maxDelaySeconds?: number;
}

/**
 * A bot whose API retries 429s (not 5xx or network failures: those go back to the queue, whose
 * backoff and attempts are visible and bounded, where auto-retry would wait without limit).
 */
export function createBot(options: TelegramBotOptions): Bot {
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: options.maxRetryAttempts ?? 3,
      maxDelaySeconds: options.maxDelaySeconds ?? 30,
      rethrowInternalServerErrors: true,
      rethrowHttpErrors: true,
    }),
  );
  return bot;
}

/** A client without retries, for calls that are worthless late (the typing indicator). */
export function createPlainApi(options: TelegramBotOptions): Api {
  return new Api(options.token, { apiRoot: options.apiRoot });
}

