/**
 * Core reply → Telegram. Delivering only enqueues a send job (the reply is already stored), so a
 * Telegram outage or a 429 delays a reply but never loses it; the send queue's worker does the
 * calls (sender.ts). The resend sweep re-enqueues replies that no job is going to send: stored
 * just before a crash, or given up on after the queue's last attempt.
 */
import { telegramNoticeJobId, telegramSendJobId } from '../../src/core/jobs.js';
import type { ChannelOutbox, ConversationStore, JobQueue, Logger } from '../../src/core/ports.js';
import type { TelegramReplyKey } from './inbound.js';
import type { TelegramSendJob } from './sender.js';

export interface TelegramOutbox extends ChannelOutbox {
  /** Enqueues a fixed text for `chatId`, once per customer's message `externalId`. */
  notify(chatId: string, externalId: string, key: TelegramReplyKey): Promise<void>;
}

export interface TelegramOutboxDeps {
  sends: JobQueue<TelegramSendJob>;
  /** Best effort "typing…": a direct call, as a late indicator is worthless. */
  sendTyping(chatId: string): Promise<unknown>;
}

export function createTelegramOutbox(deps: TelegramOutboxDeps): TelegramOutbox {
  return {
    channel: 'telegram',
    async deliver(to, message) {
      await deps.sends.enqueue(telegramSendJobId(message.messageId), { kind: 'reply', chatId: to.chatId, messageId: message.messageId });
    },
    async showTyping(to) {
      await deps.sendTyping(to.chatId);
    },
    async notify(chatId, externalId, key) {
      await deps.sends.enqueue(telegramNoticeJobId(chatId, externalId), { kind: 'notice', chatId, key });
    },
  };
}

export interface ResendSweepOptions {
  /** How often the sweep runs, ms. @defaultValue 30000 */
  everyMs?: number;
  /** Only replies stored at least this long ago: younger ones are still on their way, ms. @defaultValue 60000 */
  olderThanMs?: number;
  /** Replies looked at per run. @defaultValue 1000 */
  limit?: number;
}

/**
 * Re-enqueues one send job per chat with undelivered replies (the job sends them all, in order).
 * `requeue` leaves a waiting or retrying job alone and replaces a finished one, so this is safe
 * to run at any time. Returns a function that stops it.
 */
export function startResendSweep(
  deps: { store: Pick<ConversationStore, 'findUndelivered'>; sends: JobQueue<TelegramSendJob>; logger: Logger },
  options: ResendSweepOptions = {},
): { runOnce(): Promise<number>; stop(): void } {
  const runOnce = async () => {
    const before = new Date(Date.now() - (options.olderThanMs ?? 60_000));
    const undelivered = await deps.store.findUndelivered('telegram', { createdBefore: before }, options.limit ?? 1000);
    const firstPerChat = new Map<string, string>();
    for (const { address, message } of undelivered) if (!firstPerChat.has(address.chatId)) firstPerChat.set(address.chatId, message.id);
    for (const [chatId, messageId] of firstPerChat) {
      await deps.sends.requeue(telegramSendJobId(messageId), { kind: 'reply', chatId, messageId });
    }
    if (firstPerChat.size) deps.logger.info({ chats: firstPerChat.size, replies: undelivered.length }, 'telegram resend sweep re-enqueued undelivered replies');
    return firstPerChat.size;
  };
  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => deps.logger.warn({ err: error }, 'telegram resend sweep failed; next run retries'));
  }, options.everyMs ?? 30_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
