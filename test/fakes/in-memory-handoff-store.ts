/**
 * The part of the HandoffStore that the core's unit tests reach (a request for a person, with or
 * without operators on duty), in memory over InMemoryConversationStore. The operators' desk itself
 * (accept races, relays, finish, expiry) is tested on PostgreSQL, where its guarantees live; the
 * other methods fail loudly here rather than pretend.
 */
import type { HandoffRequestResult, HandoffStore } from '../../src/core/ports.js';
import type { Handoff, Operator } from '../../src/core/types.js';
import type { InMemoryConversationStore } from './in-memory-conversation-store.js';

export class InMemoryHandoffStore implements Partial<HandoffStore> {
  readonly handoffs: Handoff[] = [];
  /** Who is on duty; tests set it. */
  operators: Operator[] = [];

  constructor(private readonly store: InMemoryConversationStore) {}

  async onDutyOperators(): Promise<Operator[]> {
    return this.operators.filter((o) => o.onDuty && o.status === 'approved');
  }

  async openHandoff(conversationId: string): Promise<Handoff | null> {
    return this.handoffs.find((h) => h.conversationId === conversationId && ['requested', 'offered', 'accepted'].includes(h.state)) ?? null;
  }

  async getHandoff(id: string): Promise<Handoff | null> {
    return this.handoffs.find((h) => h.id === id) ?? null;
  }

  async markOffered(id: string): Promise<void> {
    const handoff = this.handoffs.find((h) => h.id === id);
    if (handoff?.state === 'requested') handoff.state = 'offered';
  }

  async request(input: Parameters<HandoffStore['request']>[0]): Promise<HandoffRequestResult> {
    let handoff = this.handoffs.find((h) => h.conversationId === input.conversationId && ['requested', 'offered', 'accepted'].includes(h.state));
    const created = !handoff;
    if (!handoff) {
      handoff = { id: String(this.handoffs.length + 1), conversationId: input.conversationId, state: 'requested', reason: input.reason, round: 0, requestedAt: new Date() };
      this.handoffs.push(handoff);
    }
    const reply = await this.store.recordReply({ ...input.notice, inboundId: input.triggerId, kind: 'notice' });
    const notice = reply ?? (await this.store.addOutbound(input.conversationId, input.notice.text, input.notice.author, 'notice'));
    if (input.wait) await this.store.transition(input.conversationId, ['bot'], 'waiting_operator');
    return { handoff: { ...handoff }, created, notice };
  }
}

/** An approved operator on duty, for `InMemoryHandoffStore.operators`. */
export function operatorOnDuty(id = '1'): Operator {
  return { id, telegramUserId: `7${id}`, chatId: `7${id}`, status: 'approved', onDuty: true, createdAt: new Date() };
}
