/**
 * What a failed Bot API call means for the sender. "Telegram said no" (GrammyError: an error code
 * and description) and "Telegram could not be reached" (HttpError) are different: the first may
 * be final, the second always passes with time.
 */
import { GrammyError, HttpError } from 'grammy';
import { AppError } from '../core/errors.js';

/**
 * How a send continues after a failure:
 * `parse` — the HTML was refused: send the same part as plain text;
 * `blocked` — the customer blocked the bot or deleted their account: never retry;
 * `rejected` — another 400 (chat not found, empty text): retrying cannot help;
 * `retry` — 429 beyond the auto-retry budget, 5xx, network: the queue retries later.
 */
export type SendFailure = 'parse' | 'blocked' | 'rejected' | 'retry';

export function classifySendFailure(error: unknown): SendFailure {
  if (!(error instanceof GrammyError)) return 'retry';
  if (error.error_code === 400 && /can't parse entities|can't find end tag|unsupported start tag/i.test(error.description)) return 'parse';
  if (error.error_code === 403) return 'blocked';
  if (error.error_code === 400) return 'rejected';
  return 'retry';
}

/** A Bot API call failed in a way that passes with time; the send queue retries the job. */
export class TelegramSendError extends AppError {
  constructor(
    method: string,
    chatId: string,
    readonly status: number | undefined,
    readonly retryAfterMs: number | undefined,
    cause: unknown,
  ) {
    const detail = cause instanceof GrammyError ? `${cause.error_code} ${cause.description}` : cause instanceof HttpError ? 'unreachable' : String(cause);
    super(status === undefined ? 'telegram.unreachable' : 'telegram.request_failed', `${method} to chat ${chatId}: ${detail}`, { cause });
  }

  static from(method: string, chatId: string, error: unknown): TelegramSendError {
    if (error instanceof GrammyError) {
      const retryAfter = error.parameters.retry_after;
      return new TelegramSendError(method, chatId, error.error_code, retryAfter === undefined ? undefined : retryAfter * 1000, error);
    }
    return new TelegramSendError(method, chatId, undefined, undefined, error);
  }
}

/** The bot token was refused (401) or names no bot (404): a person must fix the configuration. */
export class TelegramConfigError extends AppError {
  constructor(cause: GrammyError, setting = 'the bot token') {
    super('telegram.unauthorized', `Telegram getMe: ${cause.error_code} ${cause.description}; check ${setting}`, { cause });
  }
}

/** Whether `error` says the token itself is wrong, rather than that Telegram is away. */
export function isTokenRefused(error: unknown): error is GrammyError {
  return error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404);
}

/**
 * An error fit for the logs. grammY's errors carry the request (`payload`: message texts, the
 * webhook secret) and, for network failures, the fetch error whose message holds the request URL
 * — with the bot token in it. Logged as they are, pino would print all of that.
 */
export function loggableError(error: unknown): unknown {
  if (error instanceof GrammyError) return new AppError('telegram.request_failed', `${error.method}: ${error.error_code} ${error.description}`);
  if (error instanceof HttpError) {
    const code = (error.error as { code?: unknown } | undefined)?.code;
    return new AppError('telegram.unreachable', `${error.message}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  return error;
}
