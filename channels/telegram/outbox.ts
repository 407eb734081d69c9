/**
 * Core reply → Telegram. The customers' texts are the conversation's own messages: delivering
 * only enqueues a flush of the chat (the reply is already stored), so a Telegram outage or a 429
 * delays a reply but never loses it. The transport's sender reads them back through this
 * delivery source, in order, and marks each delivered once sent.
 */
import type { ChannelOutbox, ConversationStore } from '../../src/core/ports.js';
import type { DeliverySource, TelegramTransport } from '../../src/telegram/transport.js';

export function createTelegramOutbox(transport: Pick<TelegramTransport, 'flush' | 'sendTyping'>): ChannelOutbox {
  return {
    channel: 'telegram',
    async deliver(to, message) {
      await transport.flush(to.chatId, message.messageId);
    },
    async showTyping(to) {
      await transport.sendTyping(to.chatId);
    },
  };
}

/** The customers' replies still unsent, from the conversation store. */
export function customerDeliverySource(store: Pick<ConversationStore, 'findUndelivered' | 'markDelivered' | 'markBlocked'>): DeliverySource {
  return {
    async pending(chatId, limit) {
      const replies = await store.findUndelivered('telegram', { chatId }, limit);
      return replies.map(({ message }) => ({ id: message.id, text: message.text }));
    },
    async settle(_chatId, id) {
      await store.markDelivered(id);
    },
    async blocked(chatId) {
      await store.markBlocked({ channel: 'telegram', chatId });
    },
    async stale(before, limit) {
      const undelivered = await store.findUndelivered('telegram', { createdBefore: before }, limit);
      const firstPerChat = new Map<string, string>();
      for (const { address, message } of undelivered) if (!firstPerChat.has(address.chatId)) firstPerChat.set(address.chatId, message.id);
      return [...firstPerChat].map(([chatId, firstId]) => ({ chatId, firstId }));
    },
  };
}
