import { deliverStored } from './deliver.js';
import type { CoreDeps } from './ports.js';
import type { Conversation, HandoffReason, Operator, StoredMessage } from './types.js';

/**
 * Asks for a person. Runs in the reply worker, in the conversation's order (under its lease), so
 * the notice never overtakes the answer to an earlier message. One transaction opens the request
 * (or joins the open one), answers `trigger` with the notice when it still waits (otherwise the
 * notice is a message of its own: the bot already answered and also wants a person), and, with
 * operators on duty, moves the conversation to `waiting_operator`; the invites go out after the
 * commit. With nobody on duty the bot keeps the conversation and the request stays open, so an
 * operator who comes on duty within HANDOFF_TIMEOUT_MINUTES is invited then. Returns whether
 * anybody was on duty.
 */
export async function requestHandoff(deps: CoreDeps, conversation: Conversation, trigger: StoredMessage, reason: HandoffReason): Promise<boolean> {
  const log = deps.logger.child({ conversationId: conversation.id, channel: conversation.address.channel });
  const operators = deps.desk.enabled ? await deps.handoffs.onDutyOperators() : [];
  const wait = operators.length > 0;
  const offline = wait ? null : await deps.knowledge.offlineAnswer(trigger.text);
  const text = wait ? deps.knowledge.text('connecting') : [deps.knowledge.text('no_operator'), offline].filter(Boolean).join('\n\n');
  const { handoff, created, notice } = await deps.handoffs.request({
    conversationId: conversation.id,
    triggerId: trigger.id,
    reason,
    wait,
    notice: { text, author: 'OPERATOR', status: wait ? 'operator' : offline ? 'offline' : 'answered', handoff: wait ? reason : `${reason}:unavailable` },
  });
  deps.metrics.reply('notice');
  if (created) deps.metrics.handoff(reason, wait ? 'requested' : 'unavailable');
  await deliverStored(deps, conversation.address, notice);
  log.info({ reason, handoffId: handoff.id, created, operatorsOnDuty: operators.length }, wait ? 'handoff requested' : 'handoff requested; nobody on duty');
  if (wait && handoff.state !== 'accepted') await offerHandoff(deps, handoff.id, operators);
  return wait;
}

/** Sends the invites of a waiting handoff to `operators` (idempotent per operator) and marks it offered. */
export async function offerHandoff(deps: Pick<CoreDeps, 'handoffs' | 'desk' | 'store'>, handoffId: string, operators: Operator[]): Promise<void> {
  const handoff = await deps.handoffs.getHandoff(handoffId);
  if (!handoff || (handoff.state !== 'requested' && handoff.state !== 'offered') || operators.length === 0) return;
  const conversation = await deps.store.getConversation(handoff.conversationId);
  if (!conversation) return;
  await deps.desk.invite(handoff, conversation, operators);
  await deps.handoffs.markOffered(handoff.id);
}
