/** Queue names and job ids, in one place; job ids derive from the inbound message and contain no ':'. */
export const REPLY_QUEUE = 'replies';
export const TELEGRAM_SEND_QUEUE = 'telegram-send';

/** The reply job of a customer's message: re-adding it while it waits or runs does nothing. */
export function replyJobId(messageId: string): string {
  return `reply-${messageId}`;
}
