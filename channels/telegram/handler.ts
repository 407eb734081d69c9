/**
 * The customers' bot's one middleware: an update → the core. Handling an update only stores and
 * enqueues — the model is never called here — so a webhook is answered fast and the poller stays
 * responsive.
 */
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../src/core/ports.js';
import type { ReceiveOptions } from '../../src/core/receive-message.js';
import type { InboundMessage } from '../../src/core/types.js';
import { classifyUpdate, updateType, type TelegramInbound } from './inbound.js';
import type { TelegramReplyKey } from './inbound.js';
import type { TelegramTexts } from './texts.js';

export interface UpdateHandlerDeps {
  /** The core's receiveMessage. */
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<unknown>;
  /** Sends a fixed text, once per customer's message `externalId`. */
  notify(chatId: string, externalId: string, key: TelegramReplyKey): Promise<void>;
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
        await deps.notify(action.chatId, action.externalId, action.key);
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
