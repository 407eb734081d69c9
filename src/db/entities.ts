/**
 * MikroORM entity definitions (EntitySchema: esbuild-based runners emit no decorator metadata).
 * The schema itself is owned by the hand-written migrations in ./migrations; these describe it,
 * column for column, for ORM queries (the admin panel, the CLI). Hot paths use single SQL
 * statements in the stores. `bigint` ids map to strings, as in the core's types.
 */
import { BigIntType, EntitySchema, type Collection } from '@mikro-orm/core';
import type { Author, ChannelId, ConversationState, InboundStatus, ReplyKind } from '../core/types.js';

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

export const entities = [ConversationEntity, MessageEntity, AdminUserEntity];
