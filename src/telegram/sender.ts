/**
 * A bot's send queue processor: turns a job into Bot API calls. A `flush` job sends every text of
 * its chat still pending in the bot's delivery source, oldest first, under the chat's lock: so
 * texts keep their order whichever job runs first, and a retried job cannot be overtaken by a
 * later one. Each text is settled once all its parts are sent. 429 is waited out by grammY's
 * auto-retry (on `api`), up to its budget; beyond it, and on 5xx or network failures, the job
 * throws and the queue retries it with backoff; after the last attempt the resend sweep picks the
 * text up again. The same processor serves the customers' bot and the operators' bot; what differs
 * is the delivery source (where texts are stored) and the lock names.
 */
import { randomUUID } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import { ConversationBusyError } from '../core/errors.js';
import type { JobContext, Logger } from '../core/ports.js';
import { classifySendFailure, TelegramSendError } from './errors.js';
import type { Locks } from './locks.js';
import { markdownToTelegram } from './markdown.js';
import { splitMessage } from './split.js';

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup;

/** One text waiting to be sent (or an edit of one sent before). */
export interface OutgoingText {
  id: string;
  /** Markdown, as the model and the texts in messages.yml write it. */
  text: string;
  markup?: ReplyMarkup;
  /** Set for an edit: the chat's message id of the text to edit (undefined when that was never sent). */
  edit?: { messageId?: string };
}

/** Where a bot's texts are stored until sent: the conversation's messages, or the delivery log. */
export interface DeliverySource {
  /** The chat's texts not yet settled, oldest first. */
  pending(chatId: string, limit: number): Promise<OutgoingText[]>;
  /** `sentMessageId`: the chat's id for the (last part of the) sent message. */
  settle(chatId: string, id: string, outcome: 'sent' | 'rejected', sentMessageId?: string): Promise<void>;
  /** The user blocked the bot: settle everything of the chat; never retried. */
  blocked(chatId: string): Promise<void>;
  /** Chats with texts left unsent since before `before` (the resend sweep's work list). */
  stale(before: Date, limit: number): Promise<Array<{ chatId: string; firstId: string }>>;
}

/** A send job: ids only for stored texts; a fixed text that is not stored travels in the job. */
export type TelegramSendJob =
  /** Send the chat's pending texts (the one that caused this job among them). */
  | { kind: 'flush'; chatId: string; id: string }
  /** Send a fixed text (greeting, help, "I read only text"). */
  | { kind: 'text'; chatId: string; text: string; markup?: ReplyMarkup };

export interface TelegramSenderDeps {
  /** The Bot API client, with auto-retry installed. */
  api: Pick<Api, 'sendMessage' | 'editMessageText'>;
  source: DeliverySource;
  locks: Locks;
  /** Names this bot's locks (two bots may talk to the same user). */
  name: string;
  logger: Logger;
}

export interface TelegramSenderOptions {
  /**
   * The chat lock's lease, ms; renewed every third of it while the job runs (a 429 waited out by
   * auto-retry included), so a crashed sender blocks its chat for at most this long. @defaultValue 15000
   */
  lockMs?: number;
  /** How soon a job that found its chat busy runs again, ms. @defaultValue 200 */
  busyRetryMs?: number;
  /** Texts loaded per round. @defaultValue 20 */
  batch?: number;
}

type Outcome = { outcome: 'sent'; messageId?: string } | { outcome: 'blocked' | 'rejected' };

/** Returns the processor for the send queue's worker. */
export function createTelegramSender(deps: TelegramSenderDeps, options: TelegramSenderOptions = {}) {
  const lockMs = options.lockMs ?? 15_000;
  const batch = options.batch ?? 20;

  return async function send(job: TelegramSendJob, context: JobContext): Promise<void> {
    const log = deps.logger.child({ bot: deps.name, jobId: context.jobId });
    const lockKey = `${deps.name}-chat-${job.chatId}`;
    const owner = `${context.jobId}/${context.attempt}/${randomUUID()}`;
    if (!(await deps.locks.acquire(lockKey, owner, lockMs))) {
      // Another job is sending to this chat: wait for it without using up an attempt.
      throw new ConversationBusyError(`telegram chat ${job.chatId}`, options.busyRetryMs ?? 200);
    }
    const renew = async () => {
      await deps.locks.renew(lockKey, owner, lockMs).catch(() => false);
    };
    const heartbeat = setInterval(() => void renew(), lockMs / 3);
    try {
      if (job.kind === 'text') {
        const result = await sendText(job.chatId, { id: 'fixed', text: job.text, markup: job.markup }, renew);
        if (result.outcome === 'blocked') await blocked(job.chatId, log);
        return;
      }
      await flushChat(job.chatId, renew, log);
    } finally {
      clearInterval(heartbeat);
      await deps.locks.release(lockKey, owner).catch(() => undefined);
    }
  };

  async function flushChat(chatId: string, renew: () => Promise<void>, log: Logger): Promise<void> {
    // Rounds, because texts stored while this one sends are this job's to send too.
    for (let round = 0; round < 10; round += 1) {
      const texts = await deps.source.pending(chatId, batch);
      let reread = false;
      for (const [index, text] of texts.entries()) {
        // An edit read before its target was sent in this round: read again to learn the target's id.
        if (text.edit && !text.edit.messageId && index > 0) {
          reread = true;
          break;
        }
        const result = text.edit ? await editText(chatId, text) : await sendText(chatId, text, renew);
        if (result.outcome === 'blocked') return blocked(chatId, log);
        if (result.outcome === 'rejected') log.error({ chatId, id: text.id }, 'send to telegram: refused for good; the text is dropped');
        await deps.source.settle(chatId, text.id, result.outcome, result.outcome === 'sent' ? result.messageId : undefined);
      }
      if (!reread && texts.length < batch) return;
    }
  }

  async function blocked(chatId: string, log: Logger): Promise<void> {
    log.warn({ chatId }, 'send to telegram: the user blocked the bot; texts settled, not retried');
    await deps.source.blocked(chatId);
  }

  /** Sends one text, split into parts; HTML first, the same part as plain text if HTML is refused. */
  async function sendText(chatId: string, text: OutgoingText, renew: () => Promise<void>): Promise<Outcome> {
    const parts = splitMessage(text.text);
    if (parts.length === 0) return { outcome: 'rejected' };
    let messageId: string | undefined;
    for (const [index, part] of parts.entries()) {
      const reply_markup = index === parts.length - 1 ? text.markup : undefined;
      const rendered = markdownToTelegram(part);
      const plain = rendered.plain.trim() ? rendered.plain : part;
      let outcome = rendered.plain.trim()
        ? await call(chatId, () => deps.api.sendMessage(chatId, rendered.html, { parse_mode: 'HTML', reply_markup }))
        : 'parse';
      if (outcome === 'parse') outcome = await call(chatId, () => deps.api.sendMessage(chatId, plain, { reply_markup }));
      if (outcome === 'parse') return { outcome: 'rejected' };
      if (typeof outcome !== 'object') return { outcome };
      messageId = String(outcome.message_id);
      await renew();
    }
    return { outcome: 'sent', messageId };
  }

  /** Edits a sent text (an invite that was taken); an edit of a text never sent has nothing to change. */
  async function editText(chatId: string, text: OutgoingText): Promise<Outcome> {
    const target = Number(text.edit?.messageId);
    if (!Number.isInteger(target) || target <= 0) return { outcome: 'rejected' };
    const rendered = markdownToTelegram(text.text.slice(0, 4096));
    const markup = text.markup && 'inline_keyboard' in text.markup ? text.markup : undefined;
    let outcome = await call(chatId, () => deps.api.editMessageText(chatId, target, rendered.html, { parse_mode: 'HTML', reply_markup: markup }));
    if (outcome === 'parse') outcome = await call(chatId, () => deps.api.editMessageText(chatId, target, rendered.plain, { reply_markup: markup }));
    if (outcome === 'parse') return { outcome: 'rejected' };
    return typeof outcome === 'object' ? { outcome: 'sent', messageId: String(target) } : { outcome };
  }
}

/** One Bot API call: what it returned, the outcome the caller acts on, or a throw the queue retries. */
async function call(chatId: string, request: () => Promise<unknown>): Promise<{ message_id?: number } | 'parse' | 'blocked' | 'rejected'> {
  try {
    const result = await request();
    return typeof result === 'object' && result !== null ? (result as { message_id?: number }) : {};
  } catch (error) {
    // An edit that changes nothing did what was asked.
    if (error instanceof GrammyError && /message is not modified/i.test(error.description)) return {};
    const failure = classifySendFailure(error);
    if (failure === 'retry') throw TelegramSendError.from('sendMessage', chatId, error);
    return failure;
  }
}
