import { recordAndDeliver } from './deliver.js';
import type { CoreDeps } from './ports.js';
import type { Conversation, StoredMessage } from './types.js';

/** Why a conversation goes to a person. */
export type HandoffReason = 'customer_request' | 'out_of_depth';

/**
 * Asks operators to take the conversation, answering the customer's message `inbound` with the
 * matching notice. With nobody on duty the conversation stays with the bot, the customer is told
 * so and, where the knowledge base has something, gets it. Returns whether a person was asked.
 */
export async function requestHandoff(
  deps: CoreDeps,
  conversation: Conversation,
  inbound: StoredMessage,
  reason: HandoffReason,
): Promise<boolean> {
  const outcome = await deps.desk.requestHandoff(conversation, reason);
  const log = deps.logger.child({ conversationId: conversation.id, channel: conversation.address.channel });
  if (outcome === 'queued') {
    // The notice is written before the transition, which would park the message it answers.
    await recordAndDeliver(deps, conversation, {
      inboundId: inbound.id,
      text: deps.knowledge.text('connecting'),
      author: 'OPERATOR',
      kind: 'notice',
      status: 'operator',
      handoff: reason,
    });
    // TODO(operators issue): the desk's accept must wait for this transition.
    await deps.store.transition(conversation.id, ['bot'], 'waiting_operator');
    log.info({ reason }, 'handoff requested');
    return true;
  }
  const offline = deps.knowledge.offlineAnswer(inbound.text);
  const text = [deps.knowledge.text('no_operator'), offline].filter(Boolean).join('\n\n');
  log.info({ reason }, 'handoff wanted, but no operator is on duty');
  await recordAndDeliver(deps, conversation, {
    inboundId: inbound.id,
    text,
    author: 'GPT',
    kind: 'notice',
    status: offline ? 'offline' : 'answered',
    handoff: `${reason}:unavailable`,
  });
  return false;
}
