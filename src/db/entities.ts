/**
 * MikroORM entity definitions (EntitySchema: esbuild-based runners emit no decorator metadata).
 * The schema itself is owned by the hand-written migrations in ./migrations; these describe it for
 * ORM queries (admin, CLI). Hot paths use single SQL statements in the stores.
 */
import { EntitySchema } from '@mikro-orm/core';

export interface ConversationRow {
  id: string;
  channel: string;
  chatId: string;
  state: string;
  senderName?: string | null;
  senderUsername?: string | null;
  leaseOwner?: string | null;
  leaseUntil?: Date | null;
  blockedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageRow {
  id: string;
  conversation: ConversationRow;
  author: string;
  kind: string;
  text: string;
  externalId?: string | null;
  status?: string | null;
  replyTo?: MessageRow | null;
  handoff?: string | null;
  deliveredAt?: Date | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  totalTokens?: number | null;
  modelVersion?: string | null;
  createdAt: Date;
}

export const ConversationEntity = new EntitySchema<ConversationRow>({
  name: 'Conversation',
  tableName: 'conversation',
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    channel: { type: 'text' },
    chatId: { type: 'text', fieldName: 'chat_id' },
    state: { type: 'text' },
    senderName: { type: 'text', nullable: true },
    senderUsername: { type: 'text', nullable: true },
    leaseOwner: { type: 'text', nullable: true },
    leaseUntil: { type: 'datetime', nullable: true },
    blockedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

export const MessageEntity: EntitySchema<MessageRow> = new EntitySchema<MessageRow>({
  name: 'Message',
  tableName: 'message',
  properties: {
    id: { type: 'bigint', primary: true, autoincrement: true },
    conversation: { kind: 'm:1', entity: () => ConversationEntity },
    author: { type: 'text' },
    kind: { type: 'text' },
    text: { type: 'text' },
    externalId: { type: 'text', nullable: true },
    status: { type: 'text', nullable: true },
    replyTo: { kind: 'm:1', entity: () => MessageEntity, nullable: true },
    handoff: { type: 'text', nullable: true },
    deliveredAt: { type: 'datetime', nullable: true },
    inputTokens: { type: 'integer', nullable: true },
    outputTokens: { type: 'integer', nullable: true },
    totalTokens: { type: 'integer', nullable: true },
    modelVersion: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
  },
});

export const entities = [ConversationEntity, MessageEntity];
