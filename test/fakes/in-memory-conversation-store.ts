/**
 * The ConversationStore port in memory, for unit tests. It keeps the PostgreSQL store's semantics
 * (test/contract/conversation-store.contract.ts runs the same suite against both): ids grow in
 * acceptance order and are compared as numbers, every guarded write checks its guard and writes
 * in one synchronous step (so concurrent calls cannot double it), notices stay out of the history.
 */
import type { AcceptedMessage, Clock, ConversationStore, NewReply, RunStart, Turn, UndeliveredReply } from '../../src/core/ports.js';
import type {
  ChannelId,
  CompletionUsage,
  Conversation,
  ConversationAddress,
  ConversationState,
  InboundMessage,
  ReplyKind,
  StoredMessage,
} from '../../src/core/types.js';

/** What the `message.kind` column holds: `text` for customers' messages, the reply kind otherwise. */
export type MessageKind = 'text' | ReplyKind;

/** Everything stored about one message, for tests that inspect what the core wrote. */
export interface MessageRecord extends StoredMessage {
  kind: MessageKind;
  externalId?: string;
  handoff?: string;
  deliveredAt?: Date;
  usage?: CompletionUsage;
}

interface ConversationRecord {
  conversation: Conversation;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Set when the customer blocked the bot (markBlocked); cleared by their next message. */
  blockedAt?: Date;
}

export interface InMemoryConversationStoreOptions {
  /** Stamps `createdAt` and judges lease expiry. @defaultValue the system clock */
  clock?: Clock;
}

export class InMemoryConversationStore implements ConversationStore {
  private readonly clock: Clock;
  private readonly conversations = new Map<string, ConversationRecord>();
  private readonly byAddress = new Map<string, string>();
  private readonly messages: MessageRecord[] = [];
  private nextConversationId = 1;
  private nextMessageId = 1;

  constructor(options: InMemoryConversationStoreOptions = {}) {
    this.clock = options.clock ?? { now: () => new Date() };
  }

  /** Every message of the conversation as stored, oldest first (copies). */
  records(conversationId: string): MessageRecord[] {
    return this.messages.filter((m) => m.conversationId === conversationId).map(copyRecord);
  }

  /** Who holds the conversation's lease, if anyone holds a live one. */
  leaseHolder(conversationId: string): string | undefined {
    const record = this.conversations.get(conversationId);
    return record && this.isLive(record) ? record.leaseOwner : undefined;
  }

  async accept(inbound: InboundMessage, options: { askForPerson?: boolean } = {}): Promise<AcceptedMessage> {
    const record = this.upsertConversation(inbound);
    delete record.blockedAt; // writing again unblocks, even when the message is a duplicate
    const conversationId = record.conversation.id;
    const existing = this.messages.find((m) => m.conversationId === conversationId && m.externalId === inbound.externalId);
    if (existing) return { conversation: copyConversation(record.conversation), message: toStored(existing), duplicate: true };
    const message = this.insert({
      conversationId,
      author: 'CUSTOMER',
      kind: 'text',
      text: inbound.text,
      externalId: inbound.externalId,
      status: record.conversation.state === 'bot' ? 'pending' : 'operator',
      ...(options.askForPerson ? { handoff: 'customer_request' } : {}),
    });
    return { conversation: copyConversation(record.conversation), message: toStored(message), duplicate: false };
  }

  async getConversation(id: string): Promise<Conversation | null> {
    const record = this.conversations.get(id);
    return record ? copyConversation(record.conversation) : null;
  }

  async acquireLease(conversationId: string, owner: string, ttlMs: number): Promise<boolean> {
    const record = this.conversations.get(conversationId);
    if (!record) return false;
    if (this.isLive(record) && record.leaseOwner !== owner) return false;
    record.leaseOwner = owner;
    record.leaseUntil = this.clock.now().getTime() + ttlMs;
    return true;
  }

  async beginRun(conversationId: string, owner: string, ttlMs: number, historyLimit: number): Promise<RunStart> {
    if (!this.conversations.has(conversationId)) return { leased: false, exists: false };
    if (!(await this.nextPending(conversationId))) return { leased: false, exists: true, idle: true };
    if (!(await this.acquireLease(conversationId, owner, ttlMs))) return { leased: false, exists: true };
    const conversation = (await this.getConversation(conversationId))!;
    return { leased: true, conversation, next: await this.turn(conversationId, historyLimit) };
  }

  async nextTurn(conversationId: string, historyLimit: number, owner: string): Promise<Turn | null> {
    const turn = await this.turn(conversationId, historyLimit);
    if (!turn) await this.releaseLease(conversationId, owner);
    return turn;
  }

  private async turn(conversationId: string, historyLimit: number): Promise<Turn | null> {
    const message = await this.nextPending(conversationId);
    return message ? { message, history: await this.history(conversationId, message.id, historyLimit) } : null;
  }

  async releaseLease(conversationId: string, owner: string): Promise<void> {
    const record = this.conversations.get(conversationId);
    if (record?.leaseOwner !== owner) return;
    delete record.leaseOwner;
    delete record.leaseUntil;
  }

  async releaseAllLeases(): Promise<void> {
    for (const record of this.conversations.values()) {
      delete record.leaseOwner;
      delete record.leaseUntil;
    }
  }

  async nextPending(conversationId: string): Promise<StoredMessage | null> {
    const message = this.messages.find((m) => m.conversationId === conversationId && m.status === 'pending');
    return message ? toStored(message) : null;
  }

  async history(conversationId: string, beforeId: string, limit: number): Promise<StoredMessage[]> {
    const before = Number(beforeId);
    const turn = (m: { id: string; replyToId?: string }) => Number(m.replyToId ?? m.id);
    const earlier = this.messages
      .filter(
        (m) =>
          m.conversationId === conversationId &&
          (Number(m.id) < before || (m.replyToId !== undefined && Number(m.replyToId) < before)) &&
          m.kind !== 'notice' &&
          m.kind !== 'operator',
      )
      .sort((a, b) => turn(a) - turn(b) || Number(a.id) - Number(b.id));
    return earlier.slice(Math.max(0, earlier.length - limit)).map(toStored);
  }

  async recordReply(reply: NewReply): Promise<StoredMessage | null> {
    const inbound = this.messages.find((m) => m.id === reply.inboundId);
    if (inbound?.status !== 'pending') return null;
    inbound.status = reply.status;
    if (reply.handoff !== undefined) inbound.handoff = reply.handoff;
    const stored = this.insert({
      conversationId: inbound.conversationId,
      author: reply.author,
      kind: reply.kind,
      text: reply.text,
      replyToId: inbound.id,
      ...(reply.usage ? { usage: { ...reply.usage } } : {}),
    });
    return toStored(stored);
  }

  async addOutbound(conversationId: string, text: string, author: 'GPT' | 'OPERATOR', kind: 'notice' | 'operator'): Promise<StoredMessage> {
    // PostgreSQL refuses the row through the foreign key.
    if (!this.conversations.has(conversationId)) throw new Error(`add outbound: no conversation ${conversationId}`);
    return toStored(this.insert({ conversationId, author, kind, text }));
  }

  async transition(conversationId: string, from: ConversationState[], to: ConversationState): Promise<boolean> {
    const record = this.conversations.get(conversationId);
    if (!record || !from.includes(record.conversation.state)) return false;
    record.conversation.state = to;
    if (to !== 'bot') {
      for (const m of this.messages) if (m.conversationId === conversationId && m.status === 'pending') m.status = 'operator';
    }
    return true;
  }

  async claimUndelivered(address: ConversationAddress): Promise<StoredMessage[]> {
    const conversationId = this.byAddress.get(addressKey(address));
    if (!conversationId) return [];
    const now = this.clock.now();
    const claimed = this.messages.filter((m) => m.conversationId === conversationId && m.author !== 'CUSTOMER' && !m.deliveredAt);
    for (const m of claimed) m.deliveredAt = now;
    return claimed.map(toStored);
  }

  async messagesSince(address: ConversationAddress, afterId: string | null, limit: number): Promise<StoredMessage[]> {
    const conversationId = this.byAddress.get(addressKey(address));
    const after = Number(afterId ?? 0);
    return this.messages
      .filter((m) => m.conversationId === conversationId && Number(m.id) > after)
      .slice(0, limit)
      .map(toStored);
  }

  async markDelivered(messageId: string): Promise<void> {
    const message = this.messages.find((m) => m.id === messageId);
    if (message && !message.deliveredAt) message.deliveredAt = this.clock.now();
  }

  async findStalePending(acceptedBefore: Date, limit: number): Promise<Array<{ conversationId: string; messageId: string }>> {
    return this.messages
      .filter((m) => m.status === 'pending' && m.createdAt.getTime() < acceptedBefore.getTime())
      .slice(0, limit)
      .map((m) => ({ conversationId: m.conversationId, messageId: m.id }));
  }

  /** When the customer blocked the bot, if they did and have not written since. */
  blockedAt(conversationId: string): Date | undefined {
    return this.conversations.get(conversationId)?.blockedAt;
  }

  async findUndelivered(channel: ChannelId, filter: { createdBefore?: Date; chatId?: string }, limit: number): Promise<UndeliveredReply[]> {
    const replies: UndeliveredReply[] = [];
    for (const m of this.messages) {
      if (replies.length >= limit) break;
      const conversation = this.conversations.get(m.conversationId)?.conversation;
      if (!conversation || conversation.address.channel !== channel) continue;
      if (m.author === 'CUSTOMER' || m.deliveredAt) continue;
      if (filter.chatId !== undefined && conversation.address.chatId !== filter.chatId) continue;
      if (filter.createdBefore && m.createdAt.getTime() >= filter.createdBefore.getTime()) continue;
      replies.push({ address: { ...conversation.address }, message: toStored(m) });
    }
    return replies;
  }

  async markBlocked(address: ConversationAddress): Promise<void> {
    const id = this.byAddress.get(addressKey(address));
    const record = id ? this.conversations.get(id) : undefined;
    if (!record) return;
    const now = this.clock.now();
    record.blockedAt = now;
    for (const m of this.messages) if (m.conversationId === id && m.author !== 'CUSTOMER' && !m.deliveredAt) m.deliveredAt = now;
  }

  private upsertConversation(inbound: InboundMessage): ConversationRecord {
    const key = addressKey(inbound.address);
    const id = this.byAddress.get(key);
    const existing = id ? this.conversations.get(id) : undefined;
    if (existing) {
      // Like the SQL upsert: a new name or username replaces the old one, a missing one keeps it.
      const sender = { ...existing.conversation.sender, ...definedOnly(inbound.sender) };
      if (Object.keys(sender).length) existing.conversation.sender = sender;
      return existing;
    }
    const conversation: Conversation = {
      id: String(this.nextConversationId++),
      address: { ...inbound.address },
      state: 'bot',
      createdAt: this.clock.now(),
    };
    const sender = definedOnly(inbound.sender);
    if (Object.keys(sender).length) conversation.sender = sender;
    const record: ConversationRecord = { conversation };
    this.conversations.set(conversation.id, record);
    this.byAddress.set(key, conversation.id);
    return record;
  }

  private insert(fields: Omit<MessageRecord, 'id' | 'createdAt'>): MessageRecord {
    const record: MessageRecord = { ...fields, id: String(this.nextMessageId++), createdAt: this.clock.now() };
    this.messages.push(record);
    return record;
  }

  private isLive(record: ConversationRecord): boolean {
    return record.leaseOwner !== undefined && (record.leaseUntil ?? 0) >= this.clock.now().getTime();
  }
}

function addressKey(address: ConversationAddress): string {
  return `${address.channel}\u0000${address.chatId}`;
}

function definedOnly(sender: InboundMessage['sender']): { name?: string; username?: string } {
  const result: { name?: string; username?: string } = {};
  if (sender?.name) result.name = sender.name;
  if (sender?.username) result.username = sender.username;
  return result;
}

/** The port's view of a message: what the PostgreSQL store returns (status only on customers' messages). */
function toStored(record: MessageRecord): StoredMessage {
  const message: StoredMessage = {
    id: record.id,
    conversationId: record.conversationId,
    author: record.author,
    text: record.text,
    createdAt: new Date(record.createdAt),
  };
  if (record.status) message.status = record.status;
  if (record.replyToId) message.replyToId = record.replyToId;
  if (record.handoff) message.handoff = record.handoff;
  return message;
}

function copyRecord(record: MessageRecord): MessageRecord {
  const copy: MessageRecord = { ...record, createdAt: new Date(record.createdAt) };
  if (record.deliveredAt) copy.deliveredAt = new Date(record.deliveredAt);
  if (record.usage) copy.usage = { ...record.usage };
  return copy;
}

function copyConversation(conversation: Conversation): Conversation {
  const copy: Conversation = { ...conversation, address: { ...conversation.address }, createdAt: new Date(conversation.createdAt) };
  if (conversation.sender) copy.sender = { ...conversation.sender };
  return copy;
}
