/**
 * The operators' side of a handoff, as use cases: duty, accept, relaying both ways, finish, an
 * operator leaving, expiry. State changes are the store's guarded transitions; operators and
 * customers are told after the commit (the desk and the outboxes only queue durable sends).
 */
import { deliverStored } from './deliver.js';
import { offerHandoff } from './handoff.js';
import { replyJobId } from './jobs.js';
import type { CoreDeps, HandoffChange, OperatorIdentity } from './ports.js';
import type { Handoff, Operator, StoredMessage } from './types.js';

type DeskDeps = Pick<CoreDeps, 'store' | 'handoffs' | 'desk' | 'knowledge' | 'outboxes' | 'replies' | 'logger' | 'metrics' | 'clock'>;

/** What `/start` in the operators' bot did. */
export type StartOutcome = 'registered' | 'pending' | 'disabled' | 'on_duty';

/**
 * `/start`: an unknown user becomes a pending operator; an approved one goes on duty and is
 * invited to every request still waiting (those made while nobody was on duty too).
 */
export async function startOperator(deps: DeskDeps, identity: OperatorIdentity): Promise<StartOutcome> {
  const { operator, created } = await deps.handoffs.registerOperator(identity);
  if (created) deps.logger.info({ operatorId: operator.id }, 'operator registered; waiting for approval');
  if (operator.status === 'pending') return created ? 'registered' : 'pending';
  if (operator.status === 'disabled') return 'disabled';
  const onDuty = await deps.handoffs.setOnDuty(identity.telegramUserId, true);
  if (!onDuty?.onDuty) return 'disabled';
  deps.logger.info({ operatorId: operator.id }, 'operator on duty');
  for (const handoff of await deps.handoffs.waitingHandoffs(100)) await offerHandoff(deps, handoff.id, [onDuty]);
  return 'on_duty';
}

/**
 * `/stop`, `operators disable`, or the operator blocked the bot: off duty, and a conversation they
 * were in charge of goes back to the queue (the others are invited again; the customer's messages
 * wait for whoever takes it).
 */
export async function stopOperator(deps: DeskDeps, telegramUserId: string, why: 'off_duty' | 'disabled' | 'blocked'): Promise<Operator | null> {
  const operator =
    why === 'disabled' ? await deps.handoffs.setOperatorStatus(telegramUserId, 'disabled') : await deps.handoffs.setOnDuty(telegramUserId, false);
  if (!operator) return null;
  deps.logger.info({ operatorId: operator.id, why }, 'operator off duty');
  const change = await deps.handoffs.release(operator.id, deps.knowledge.text('connecting'));
  if (change) {
    deps.logger.info({ conversationId: change.handoff.conversationId, handoffId: change.handoff.id, operatorId: operator.id }, 'handoff back in the queue: its operator left');
    deps.metrics.handoff(change.handoff.reason, 'released');
    await afterChange(deps, change, 'released', operator);
    const others = await deps.handoffs.onDutyOperators();
    await offerHandoff(deps, change.handoff.id, others);
  }
  return operator;
}

/** `operators approve`: the operator may go on duty (by /start). */
export async function approveOperator(deps: DeskDeps, telegramUserId: string): Promise<Operator | null> {
  return deps.handoffs.setOperatorStatus(telegramUserId, 'approved');
}

export type AcceptOutcome = { outcome: 'accepted'; handoff: Handoff } | { outcome: 'taken' | 'busy' | 'off_duty' | 'unknown'; handoff: Handoff | null };

/** The invite's button: first press wins; the winner gets the conversation so far. */
export async function acceptHandoff(deps: DeskDeps, handoffId: string, telegramUserId: string): Promise<AcceptOutcome> {
  const operator = await deps.handoffs.findOperator(telegramUserId);
  if (!operator) return { outcome: 'unknown', handoff: null };
  const result = await deps.handoffs.accept(handoffId, operator.id, deps.knowledge.text('operator_joined'));
  if (result.outcome !== 'accepted') return result;
  const { handoff } = result.change;
  deps.metrics.handoff(handoff.reason, 'accepted');
  deps.metrics.handoffAccepted((deps.clock.now().getTime() - handoff.requestedAt.getTime()) / 1000);
  deps.logger.info({ conversationId: handoff.conversationId, handoffId, operatorId: operator.id }, 'handoff accepted');
  const conversation = await deps.store.getConversation(handoff.conversationId);
  if (conversation) {
    const transcript = await deps.handoffs.transcript(conversation.id, 200);
    await deps.desk.accepted(handoff, operator, conversation, transcript);
    if (result.change.notice) await deliverStored(deps, conversation.address, result.change.notice);
  }
  return { outcome: 'accepted', handoff };
}

/** An operator's text: to the customer of their conversation. False when they have none. */
export async function relayToCustomer(deps: DeskDeps, telegramUserId: string, text: string): Promise<boolean> {
  const operator = await deps.handoffs.findOperator(telegramUserId);
  if (!operator || operator.status !== 'approved') return false;
  const relayed = await deps.handoffs.relayFromOperator(operator.id, text);
  if (!relayed) return false;
  deps.metrics.reply('operator');
  const conversation = await deps.store.getConversation(relayed.handoff.conversationId);
  if (conversation) await deliverStored(deps, conversation.address, relayed.message);
  return true;
}

/**
 * A customer's message while a person has (or waits for) the conversation: to the operator in
 * charge; while nobody has taken it yet it stays parked and reaches the operator with the transcript.
 */
export async function relayToOperator(deps: DeskDeps, conversationId: string, message: StoredMessage): Promise<void> {
  const handoff = await deps.handoffs.openHandoff(conversationId);
  if (handoff?.state !== 'accepted' || !handoff.operatorId) return;
  const [operator, conversation] = await Promise.all([deps.handoffs.getOperator(handoff.operatorId), deps.store.getConversation(conversationId)]);
  if (operator && conversation) await deps.desk.relay(operator, conversation, message);
}

/** `/finish`: the customer gets «Чат окончен.», the bot takes over again with a new episode. */
export async function finishHandoff(deps: DeskDeps, telegramUserId: string): Promise<Handoff | null> {
  const operator = await deps.handoffs.findOperator(telegramUserId);
  if (!operator) return null;
  const change = await deps.handoffs.finish(operator.id, deps.knowledge.text('finished'));
  if (!change) return null;
  deps.metrics.handoff(change.handoff.reason, 'finished');
  deps.logger.info({ conversationId: change.handoff.conversationId, handoffId: change.handoff.id }, 'handoff finished');
  await afterChange(deps, change, 'finished', operator);
  return change.handoff;
}

/**
 * Expires requests nobody took within `timeoutMs`: the customer is told, the bot answers what
 * was parked for the person, invites are updated. Safe to run anywhere at any time.
 */
export async function expireHandoffs(deps: DeskDeps, timeoutMs: number): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - timeoutMs);
  const changes = await deps.handoffs.expire(before, deps.knowledge.text('handoff_expired'), 100);
  for (const change of changes) {
    deps.metrics.handoff(change.handoff.reason, 'expired');
    deps.logger.info({ conversationId: change.handoff.conversationId, handoffId: change.handoff.id }, 'handoff expired: nobody took it');
    await afterChange(deps, change, 'expired');
    for (const messageId of change.repended) {
      await deps.replies
        .enqueue(replyJobId(messageId), { conversationId: change.handoff.conversationId, messageId })
        .catch((error: unknown) => deps.logger.warn({ err: error, messageId }, 'enqueue reply after expiry failed; the recovery sweep will retry'));
    }
  }
  return changes.length;
}

/**
 * Invites every operator on duty to requests still waiting that they have no invite for: heals a
 * crash between a commit and its invites, and a request made just as someone came on duty.
 */
export async function reofferWaiting(deps: DeskDeps): Promise<void> {
  if (!deps.desk.enabled) return;
  const operators = await deps.handoffs.onDutyOperators();
  if (operators.length === 0) return;
  for (const handoff of await deps.handoffs.waitingHandoffs(100)) await offerHandoff(deps, handoff.id, operators);
}

async function afterChange(deps: DeskDeps, change: HandoffChange, outcome: 'finished' | 'expired' | 'released', operator?: Operator): Promise<void> {
  const conversation = await deps.store.getConversation(change.handoff.conversationId);
  if (!conversation) return;
  if (change.notice) await deliverStored(deps, conversation.address, change.notice);
  await deps.desk.closed(change.handoff, conversation, outcome, operator);
}

/** The desk while the operators' bot is not configured: nobody can be on duty, so requests stay open and expire. */
export const NO_OPERATOR_DESK: CoreDeps['desk'] = {
  enabled: false,
  async invite() {},
  async accepted() {},
  async closed() {},
  async relay() {},
};
