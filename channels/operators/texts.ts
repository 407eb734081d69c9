/**
 * What operators read, from `messages.yml` (keys `operators_*`), with `{placeholders}` filled. How
 * a customer is shown: their Telegram name, or the first 5 characters of a web visitor's token —
 * never the whole token, which is the key to their conversation.
 */
import type { Conversation, Handoff, Operator, StoredMessage } from '../../src/core/types.js';

export type OperatorTexts = (key: string, values?: Record<string, string>) => string;

export function operatorTextsFrom(text: (key: string) => string): OperatorTexts {
  return (key, values = {}) => text(`operators_${key}`).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

export function customerLabel(conversation: Conversation): string {
  if (conversation.address.channel === 'web') return `${conversation.address.chatId.slice(0, 5)}… (web)`;
  const { name, username } = conversation.sender ?? {};
  const label = [name, username ? `@${username}` : undefined].filter(Boolean).join(' ');
  return `${label || conversation.address.chatId} (telegram)`;
}

export function operatorLabel(operator: Operator): string {
  return [operator.name, operator.username ? `@${operator.username}` : undefined].filter(Boolean).join(' ') || operator.telegramUserId;
}

export function reasonText(texts: OperatorTexts, handoff: Handoff): string {
  return texts(`reason_${handoff.reason}`);
}

/** The conversation so far as the operator reads it: who said what, oldest first. */
export function transcriptText(texts: OperatorTexts, conversation: Conversation, messages: StoredMessage[]): string {
  const lines = messages.map((m) => {
    const who = m.author === 'CUSTOMER' ? texts('customer') : m.author === 'OPERATOR' ? texts('operator') : texts('bot');
    return `${who}: ${m.text}`;
  });
  return [texts('transcript', { customer: customerLabel(conversation) }), '', ...lines].join('\n');
}
