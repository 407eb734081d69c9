/**
 * An OperatorDesk whose answer the test sets: `unavailable` by default, which is what the desk
 * does while the operators' bot is not configured (src/no-operator-desk.ts). Records every call.
 */
import type { OperatorDesk } from '../../src/core/ports.js';
import type { Conversation, StoredMessage } from '../../src/core/types.js';

export class FakeOperatorDesk implements OperatorDesk {
  readonly handoffs: Array<{ conversationId: string; reason: string }> = [];
  readonly forwarded: StoredMessage[] = [];

  constructor(public outcome: 'queued' | 'unavailable' = 'unavailable') {}

  async requestHandoff(conversation: Conversation, reason: string): Promise<'queued' | 'unavailable'> {
    this.handoffs.push({ conversationId: conversation.id, reason });
    return this.outcome;
  }

  async forwardToOperator(_conversation: Conversation, message: StoredMessage): Promise<void> {
    this.forwarded.push({ ...message });
  }
}
