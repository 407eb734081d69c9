/** Queue names and job ids, in one place; job ids derive from the inbound message and contain no ':'. */
export const REPLY_QUEUE = 'replies';
export const TELEGRAM_SEND_QUEUE = 'telegram-send';

/** The reply job of a customer's message: re-adding it while it waits or runs does nothing. */
export function replyJobId(messageId: string): string {
  return `reply-${messageId}`;
}

/** The send job of a reply on Telegram: the same reply re-enqueued (by the resend sweep) is one job. */
export function telegramSendJobId(messageId: string): string {
  return `tg-send-${messageId}`;
}

/**
 * The send job of a fixed text the Telegram channel answers by itself (a greeting, help), keyed by
 * the customer's message it answers: a re-sent update does not greet twice.
 */
export function telegramNoticeJobId(chatId: string, externalId: string): string {
  return `tg-notice-${chatId}-${externalId}`;
}
