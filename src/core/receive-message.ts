import { relayToOperator } from './desk.js';
import { replyJobId } from './jobs.js';
import type { CoreDeps } from './ports.js';
import type { InboundMessage, StoredMessage } from './types.js';

export interface ReceiveOptions {
  /**
   * The customer asked for a person explicitly (a command or a button, not a phrase the knowledge
   * base has to recognise): the message goes down the handoff path whatever it says.
   */
  askForPerson?: boolean;
}

export interface ReceivedMessage {
  message: StoredMessage;
  duplicate: boolean;
}

/**
 * Accepts a customer's message from any channel: stores it (the database is the source of truth),
 * then routes it by the conversation's state: to the reply queue (which also hands off when the
 * customer asks for a person), or to the operator in charge.
 * Once this returns, the message will get an outcome even if the queue was unreachable: the
 * recovery sweep re-enqueues every pending message.
 */
export async function receiveMessage(deps: CoreDeps, inbound: InboundMessage, options: ReceiveOptions = {}): Promise<ReceivedMessage> {
  const { conversation, message, duplicate } = await deps.store.accept(inbound, { askForPerson: options.askForPerson });
  const log = deps.logger.child({ conversationId: conversation.id, channel: conversation.address.channel });
  if (duplicate) {
    log.debug({ messageId: message.id }, 'duplicate inbound message ignored');
    return { message, duplicate };
  }
  if (message.status === 'operator') {
    await relayToOperator(deps, conversation.id, message);
    return { message, duplicate };
  }
  // Even a request for a person goes through the reply queue: the worker answers a conversation's
  // messages in order, so the handoff notice cannot overtake the answer to an earlier message.
  try {
    await deps.replies.enqueue(replyJobId(message.id), { conversationId: conversation.id, messageId: message.id });
  } catch (error) {
    log.warn({ err: error, messageId: message.id }, 'enqueue reply: queue unreachable; the recovery sweep will retry');
  }
  return { message, duplicate };
}
