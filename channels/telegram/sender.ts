/**
 * The send queue's processor: turns a job into `sendMessage` calls. A reply job sends every reply
 * of its chat still undelivered, oldest first, under the chat's lock: so replies keep their order
 * whichever job runs first, and a retried job cannot be overtaken by a later one. Each reply is
 * marked delivered once all its parts are sent. 429 is waited out by grammY's auto-retry (on
 * `api`), up to its budget; beyond it, and on 5xx or network failures, the job throws and the
 * queue retries it with backoff; after the last attempt the resend sweep picks the reply up again.
 */
import { randomUUID } from 'node:crypto';
import type { Api } from 'grammy';
import type { ReplyKeyboardMarkup } from 'grammy/types';
import { ConversationBusyError } from '../../src/core/errors.js';
import type { ConversationStore, JobContext, Logger } from '../../src/core/ports.js';
import type { ConversationAddress } from '../../src/core/types.js';
import { classifySendFailure, TelegramSendError } from './errors.js';
import type { TelegramReplyKey } from './inbound.js';
import type { Locks } from './locks.js';
import { markdownToTelegram } from './markdown.js';
import { splitMessage } from './split.js';
import type { TelegramTexts } from './texts.js';

/** A send job: ids and keys only; texts are read from the store or messages.yml when it runs. */
export type TelegramSendJob =
  /** Send the chat's undelivered replies (the one that caused this job among them). */
  | { kind: 'reply'; chatId: string; messageId: string }
  /** Send a fixed text (greeting, help, "I read only text"). */
  | { kind: 'notice'; chatId: string; key: TelegramReplyKey };

export interface TelegramSenderDeps {
  /** The Bot API client, with auto-retry installed. */
  api: Pick<Api, 'sendMessage'>;
  store: Pick<ConversationStore, 'findUndelivered' | 'markDelivered' | 'markBlocked'>;
  locks: Locks;
  texts: TelegramTexts;
  logger: Logger;
}

export interface TelegramSenderOptions {
  /** How long one job may hold a chat's lock without sending anything, ms. @defaultValue 120000 */
  lockMs?: number;
  /** How soon a job that found its chat busy runs again, ms. @defaultValue 200 */
  busyRetryMs?: number;
  /** Replies loaded per round. @defaultValue 20 */
  batch?: number;
}

type Outcome = 'sent' | 'blocked' | 'rejected';

/** Returns the processor for the send queue's worker. */
export function createTelegramSender(deps: TelegramSenderDeps, options: TelegramSenderOptions = {}) {
  const lockMs = options.lockMs ?? 120_000;
  const batch = options.batch ?? 20;

  return async function send(job: TelegramSendJob, context: JobContext): Promise<void> {
    const log = deps.logger.child({ channel: 'telegram', jobId: context.jobId });
    const lockKey = `chat-${job.chatId}`;
    const owner = `${context.jobId}/${context.attempt}/${randomUUID()}`;
    if (!(await deps.locks.acquire(lockKey, owner, lockMs))) {
      // Another job is sending to this chat: wait for it without using up an attempt.
      throw new ConversationBusyError(`telegram chat ${job.chatId}`, options.busyRetryMs ?? 200);
    }
    const renew = async () => {
      await deps.locks.renew(lockKey, owner, lockMs).catch(() => false);
    };
    try {
      if (job.kind === 'notice') {
        const keyboard = job.key === 'unsupported' ? undefined : personKeyboard(deps.texts);
        const outcome = await sendText(job.chatId, deps.texts(job.key), keyboard, renew);
        await settle(outcome, { channel: 'telegram', chatId: job.chatId }, undefined, log);
        return;
      }
      await flushChat(job.chatId, renew, log);
    } finally {
      await deps.locks.release(lockKey, owner).catch(() => undefined);
    }
  };

  async function flushChat(chatId: string, renew: () => Promise<void>, log: Logger): Promise<void> {
    // Rounds, because replies stored while this one sends are this job's to send too.
    for (let round = 0; round < 10; round += 1) {
      const replies = await deps.store.findUndelivered('telegram', { chatId }, batch);
      for (const { address, message } of replies) {
        const outcome = await sendText(chatId, message.text, undefined, renew);
        if (outcome === 'blocked') return settle(outcome, address, message.id, log);
        await settle(outcome, address, message.id, log);
      }
      if (replies.length < batch) return;
    }
  }

  async function settle(outcome: Outcome, address: ConversationAddress, messageId: string | undefined, log: Logger): Promise<void> {
    if (outcome === 'blocked') {
      log.warn({ chatId: address.chatId, messageId }, 'send to telegram: the customer blocked the bot; replies settled, not retried');
      await deps.store.markBlocked(address);
      return;
    }
    if (outcome === 'rejected') log.error({ chatId: address.chatId, messageId }, 'send to telegram: refused for good; the reply is dropped');
    if (messageId) await deps.store.markDelivered(messageId);
  }

  /** Sends one text, split into parts; HTML first, the same part as plain text if HTML is refused. */
  async function sendText(chatId: string, markdown: string, keyboard: ReplyKeyboardMarkup | undefined, renew: () => Promise<void>): Promise<Outcome> {
    const parts = splitMessage(markdown);
    if (parts.length === 0) return 'rejected';
    for (const [index, part] of parts.entries()) {
      const reply_markup = index === parts.length - 1 ? keyboard : undefined;
      const rendered = markdownToTelegram(part);
      const plain = rendered.plain.trim() ? rendered.plain : part;
      let outcome = rendered.plain.trim()
        ? await call(chatId, () => deps.api.sendMessage(chatId, rendered.html, { parse_mode: 'HTML', reply_markup }))
        : 'parse';
      if (outcome === 'parse') outcome = await call(chatId, () => deps.api.sendMessage(chatId, plain, { reply_markup }));
      if (outcome === 'parse') outcome = 'rejected';
      if (outcome !== 'sent') return outcome;
      await renew();
    }
    return 'sent';
  }
}

/** One Bot API call: the outcome the caller acts on, or a throw the queue retries. */
async function call(chatId: string, request: () => Promise<unknown>): Promise<Outcome | 'parse'> {
  try {
    await request();
    return 'sent';
  } catch (error) {
    const failure = classifySendFailure(error);
    if (failure === 'retry') throw TelegramSendError.from('sendMessage', chatId, error);
    return failure;
  }
}

/** The reply keyboard with the one button that asks for a person; it stays until replaced. */
function personKeyboard(texts: TelegramTexts): ReplyKeyboardMarkup {
  return { keyboard: [[{ text: texts('person_button') }]], resize_keyboard: true, is_persistent: true };
}
