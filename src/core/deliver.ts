import type { CoreDeps, NewReply } from './ports.js';
import type { Conversation, ConversationAddress, StoredMessage } from './types.js';

/**
 * Writes the reply to a customer's message, counts it and hands it to the channel. Returns null,
 * doing nothing else, when the message was already answered (a re-run job, a handoff meanwhile).
 */
export async function recordAndDeliver(
  deps: Pick<CoreDeps, 'store' | 'metrics' | 'outboxes' | 'logger'>,
  conversation: Conversation,
  reply: NewReply,
): Promise<StoredMessage | null> {
  const stored = await deps.store.recordReply(reply);
  if (!stored) return null;
  deps.metrics.reply(reply.kind);
  await deliverStored(deps, conversation.address, stored);
  return stored;
}

/**
 * Hands a stored message to its channel. The database already holds it, so a failure here only
 * delays it: the web visitor's next poll claims it anyway, and push channels retry from the store.
 */
export async function deliverStored(deps: Pick<CoreDeps, 'outboxes' | 'logger'>, to: ConversationAddress, message: StoredMessage): Promise<void> {
  const outbox = deps.outboxes[to.channel];
  if (!outbox) {
    deps.logger.error({ channel: to.channel, messageId: message.id }, 'deliver reply: channel is not running');
    return;
  }
  if (message.author === 'CUSTOMER') return;
  try {
    await outbox.deliver(to, { kind: 'reply', messageId: message.id, text: message.text, author: message.author });
  } catch (error) {
    deps.logger.warn({ err: error, channel: to.channel, messageId: message.id }, 'deliver reply: channel refused; stays stored for retry');
  }
}
