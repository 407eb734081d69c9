/**
 * MikroORM entity definitions (EntitySchema: esbuild-based runners emit no decorator metadata).
 * The schema itself is owned by the hand-written migrations in ./migrations; these describe it,
 * column for column, for ORM queries (the admin panel, the CLI). Hot paths use single SQL
 * statements in the stores. `bigint` ids map to strings, as in the core's types.
 */
import { BigIntType, EntitySchema, type Collection } from '@mikro-orm/core';
import type { Author, ChannelId, ConversationState, HandoffState, InboundStatus, OperatorStatus, ReplyKind } from '../core/types.js';

/** What a stored message is: a customer's `text`, or one of the reply kinds. */
export type MessageKind = 'text' | ReplyKind;

/** A row of `conversation`. */
export interface ConversationRow {
  id: string;
  channel: ChannelId;
  chatId: string;
  state: ConversationState;
  senderName: string | null;
  senderUsername: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  blockedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** The first message of the current episode the model sees (set when an operator chat ends). */
  historyFromId: string | null;
  messages: Collection<MessageRow>;
}

/** A row of `message`. */
export interface MessageRow {
  id: string;
  conversation: ConversationRow;
  author: Author;
  kind: MessageKind;
  text: string;
  externalId: string | null;
  /** Customers' messages only: what became of them. */
  status: InboundStatus | null;
  /** Replies only: the customer's message answered. */
  replyTo: MessageRow | null;
  /** Why a handoff was decided for this customer's message, if one was. */
  handoff: string | null;
  deliveredAt: Date | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  modelVersion: string | null;
  createdAt: Date;
}

/** A row of `admin_user`: who may log in to /admin. */
export interface AdminUserRow {
  id: string;
  username: string;
  /** An argon2id PHC string; never the password. */
  passwordHash: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export const ConversationEntity: EntitySchema<ConversationRow> = new EntitySchema<ConversationRow>({
  name: 'Conversation',
  tableName: 'conversation',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    channel: { type: 'text' },
    chatId: { type: 'text', fieldName: 'chat_id' },
    state: { type: 'text', default: 'bot' },
    senderName: { type: 'text', nullable: true },
    senderUsername: { type: 'text', nullable: true },
    leaseOwner: { type: 'text', nullable: true },
    leaseUntil: { type: 'datetime', nullable: true },
    blockedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
    historyFromId: { type: new BigIntType('string'), nullable: true },
    messages: { kind: '1:m', entity: () => MessageEntity, mappedBy: 'conversation' },
  },
});

export const MessageEntity: EntitySchema<MessageRow> = new EntitySchema<MessageRow>({
  name: 'Message',
  tableName: 'message',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    conversation: { kind: 'm:1', entity: () => ConversationEntity, deleteRule: 'cascade' },
    author: { type: 'text' },
    kind: { type: 'text' },
    text: { type: 'text' },
    externalId: { type: 'text', nullable: true },
    status: { type: 'text', nullable: true },
    replyTo: { kind: 'm:1', entity: () => MessageEntity, nullable: true, deleteRule: 'cascade' },
    handoff: { type: 'text', nullable: true },
    deliveredAt: { type: 'datetime', nullable: true },
    inputTokens: { type: 'integer', nullable: true },
    outputTokens: { type: 'integer', nullable: true },
    totalTokens: { type: 'integer', nullable: true },
    modelVersion: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

export const AdminUserEntity: EntitySchema<AdminUserRow> = new EntitySchema<AdminUserRow>({
  name: 'AdminUser',
  tableName: 'admin_user',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    username: { type: 'text', unique: 'admin_user_username_unique' },
    passwordHash: { type: 'text' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    lastLoginAt: { type: 'datetime', nullable: true },
  },
});

/** A row of `operator`: a person who registered through the operators' bot. */
export interface OperatorRow {
  id: string;
  telegramUserId: string;
  chatId: string;
  name: string | null;
  username: string | null;
  status: OperatorStatus;
  onDuty: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A row of `handoff`: one request for a person, through its states. */
export interface HandoffRow {
  id: string;
  conversation: ConversationRow;
  state: HandoffState;
  reason: string;
  operator: OperatorRow | null;
  round: number;
  requestedAt: Date;
  offeredAt: Date | null;
  acceptedAt: Date | null;
  closedAt: Date | null;
}

/** A row of `delivery`: a text a bot sends outside the conversation's own messages (invites, relays). */
export interface DeliveryRow {
  id: string;
  bot: string;
  chatId: string;
  text: string;
  markup: unknown;
  editOf: DeliveryRow | null;
  handoff: HandoffRow | null;
  dedupKey: string | null;
  sentMessageId: string | null;
  outcome: 'sent' | 'rejected' | 'blocked' | null;
  createdAt: Date;
  settledAt: Date | null;
}

export const OperatorEntity: EntitySchema<OperatorRow> = new EntitySchema<OperatorRow>({
  name: 'Operator',
  tableName: 'operator',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    telegramUserId: { type: new BigIntType('string'), unique: true },
    chatId: { type: 'text' },
    name: { type: 'text', nullable: true },
    username: { type: 'text', nullable: true },
    status: { type: 'text', default: 'pending' },
    onDuty: { type: 'boolean', default: false },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    updatedAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

export const HandoffEntity: EntitySchema<HandoffRow> = new EntitySchema<HandoffRow>({
  name: 'Handoff',
  tableName: 'handoff',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    conversation: { kind: 'm:1', entity: () => ConversationEntity, deleteRule: 'cascade' },
    state: { type: 'text' },
    reason: { type: 'text' },
    operator: { kind: 'm:1', entity: () => OperatorEntity, nullable: true },
    round: { type: 'integer', default: 0 },
    requestedAt: { type: 'datetime', defaultRaw: 'now()' },
    offeredAt: { type: 'datetime', nullable: true },
    acceptedAt: { type: 'datetime', nullable: true },
    closedAt: { type: 'datetime', nullable: true },
  },
});

export const DeliveryEntity: EntitySchema<DeliveryRow> = new EntitySchema<DeliveryRow>({
  name: 'Delivery',
  tableName: 'delivery',
  properties: {
    id: { type: new BigIntType('string'), primary: true, autoincrement: true },
    bot: { type: 'text' },
    chatId: { type: 'text' },
    text: { type: 'text' },
    markup: { type: 'json', nullable: true },
    editOf: { kind: 'm:1', entity: () => DeliveryEntity, nullable: true, deleteRule: 'cascade', fieldName: 'edit_of' },
    handoff: { kind: 'm:1', entity: () => HandoffEntity, nullable: true, deleteRule: 'cascade' },
    dedupKey: { type: 'text', nullable: true },
    sentMessageId: { type: new BigIntType('string'), nullable: true },
    outcome: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
    settledAt: { type: 'datetime', nullable: true },
  },
});

export const entities = [ConversationEntity, MessageEntity, AdminUserEntity, OperatorEntity, HandoffEntity, DeliveryEntity];
