/**
 * RATE_LIMIT_TELEGRAM_PER_MINUTE: a customer who sends faster than the limit gets the
 * `rate_limited` text (at most once a minute) and the extra messages are not stored, so they
 * cost no model call. Wraps the core's receive; the counter is shared through Redis when set.
 */
import type { Logger } from '../../src/core/ports.js';
import type { ReceiveOptions } from '../../src/core/receive-message.js';
import type { InboundMessage } from '../../src/core/types.js';
import type { TelegramReplyKey } from './inbound.js';

export interface TelegramRateLimitDeps {
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<unknown>;
  /** Counts one message of this chat; false over the limit. */
  allow(chatId: string): Promise<boolean>;
  notify(chatId: string, externalId: string, key: TelegramReplyKey): Promise<void>;
  logger: Logger;
  now?: () => number;
}

export function limitTelegramReceive(deps: TelegramRateLimitDeps): (message: InboundMessage, options?: ReceiveOptions) => Promise<unknown> {
  const now = deps.now ?? Date.now;
  return async (message, options) => {
    const chatId = message.address.chatId;
    if (await deps.allow(chatId)) return deps.receive(message, options);
    deps.logger.warn({ channel: 'telegram', externalId: message.externalId }, 'telegram message refused: customer over RATE_LIMIT_TELEGRAM_PER_MINUTE');
    // One notice per chat and minute: its job id repeats within the minute, so the queue keeps one.
    await deps.notify(chatId, `rate-${Math.floor(now() / 60_000)}`, 'rate_limited');
    return undefined;
  };
}
