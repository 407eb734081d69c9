/**
 * The grammY bot: the Bot API client (API root, auto-retry) and the one middleware that acts on
 * an update. Handling an update only stores and enqueues — the model is never called here — so
 * a webhook is answered fast and the poller stays responsive.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Api, Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../src/core/ports.js';
import type { ReceiveOptions } from '../../src/core/receive-message.js';
import type { InboundMessage } from '../../src/core/types.js';
import { classifyUpdate, updateType, type TelegramInbound } from './inbound.js';
import type { TelegramOutbox } from './outbox.js';
import type { TelegramTexts } from './texts.js';

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

export interface UpdateHandlerDeps {
  /** The core's receiveMessage. */
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<unknown>;
  outbox: Pick<TelegramOutbox, 'notify'>;
  texts: TelegramTexts;
  logger: Logger;
}

/** Installs the middleware and the error handler; `handle` runs one update through them. */
export function installHandler(bot: Bot, deps: UpdateHandlerDeps, options: { maxMessageChars: number }): void {
  bot.use(async (ctx) => {
    const update = ctx.update;
    const log = deps.logger.child({ updateId: update.update_id });
    let action: TelegramInbound;
    try {
      action = classifyUpdate(update, { personButton: deps.texts('person_button'), maxChars: options.maxMessageChars });
    } catch (error) {
      // A payload our mapping cannot read is our bug: report it and move on, rather than have the
      // poller or Telegram's webhook retries stall on it. Failures below (storage) are retried.
      reportUpdateError(log, update, error);
      return;
    }
    switch (action.kind) {
      case 'message':
        await deps.receive(action.inbound);
        return;
      case 'ask_person':
        await deps.receive(action.inbound, { askForPerson: true });
        return;
      case 'reply':
        await deps.outbox.notify(action.chatId, action.externalId, action.key);
        return;
      case 'ignore':
        log.debug({ type: updateType(update), reason: action.reason }, 'telegram update ignored');
        return;
    }
  });
  // Used by bot.start(); our poller and webhook report through it too (see reportUpdateError).
  bot.catch((error) => reportUpdateError(deps.logger, error.ctx.update, error.error));
}

/** Logs a failed update without its text (personal data stays at debug level). */
export function reportUpdateError(logger: Logger, update: Update, error: unknown): void {
  logger.error({ err: error, updateId: update.update_id, type: updateType(update) }, 'telegram update failed');
}
