/**
 * An OperatorDesk that records what the core told operators. `enabled` is false by default, which
 * is what the desk is while the operators' bot is not configured (NO_OPERATOR_DESK).
 */
import type { OperatorDesk } from '../../src/core/ports.js';
import type { Conversation, Handoff, Operator, StoredMessage } from '../../src/core/types.js';

export class FakeOperatorDesk implements OperatorDesk {
  readonly invites: Array<{ handoff: Handoff; conversationId: string; operators: string[] }> = [];
  readonly relayed: StoredMessage[] = [];
  readonly events: string[] = [];

  constructor(public enabled = false) {}

  async invite(handoff: Handoff, conversation: Conversation, operators: Operator[]): Promise<void> {
    this.invites.push({ handoff, conversationId: conversation.id, operators: operators.map((o) => o.id) });
  }

  async accepted(handoff: Handoff, operator: Operator): Promise<void> {
    this.events.push(`accepted ${handoff.id} by ${operator.id}`);
  }

  async closed(handoff: Handoff, _conversation: Conversation, outcome: string): Promise<void> {
    this.events.push(`${outcome} ${handoff.id}`);
  }

  async relay(_operator: Operator, _conversation: Conversation, message: StoredMessage): Promise<void> {
    this.relayed.push({ ...message });
  }
}
