import { Migration } from '@mikro-orm/migrations';

/** Conversations and their messages, with indexes for the hot paths. */
export class Migration20261126000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table conversation (
        id bigint generated always as identity primary key,
        channel text not null,
        chat_id text not null,
        state text not null default 'bot' check (state in ('bot', 'waiting_operator', 'with_operator')),
        sender_name text,
        sender_username text,
        lease_owner text,
        lease_until timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint conversation_address_unique unique (channel, chat_id)
      )`);
    this.addSql(`
      create table message (
        id bigint generated always as identity primary key,
        conversation_id bigint not null references conversation (id) on delete cascade,
        author text not null check (author in ('CUSTOMER', 'GPT', 'OPERATOR')),
        kind text not null check (kind in ('text', 'answer', 'offline', 'fallback', 'notice', 'operator')),
        text text not null,
        external_id text,
        status text check (status in ('pending', 'answered', 'offline', 'fallback', 'operator')),
        reply_to_id bigint references message (id) on delete cascade,
        handoff text,
        delivered_at timestamptz,
        input_tokens integer,
        output_tokens integer,
        total_tokens integer,
        model_version text,
        created_at timestamptz not null default now()
      )`);
    // A channel's message id is accepted once per conversation (Telegram re-sends updates).
    this.addSql(`create unique index message_external_unique on message (conversation_id, external_id) where external_id is not null`);
    // At most one reply per customer's message, whatever re-runs a job.
    this.addSql(`create unique index message_reply_to_unique on message (reply_to_id) where reply_to_id is not null`);
    // History: a conversation's recent messages.
    this.addSql(`create index message_conversation_idx on message (conversation_id, id)`);
    // A visitor's undelivered replies (the poll's claim); stays small as replies get delivered.
    this.addSql(`create index message_undelivered_idx on message (conversation_id, id) where author <> 'CUSTOMER' and delivered_at is null`);
    // The reply worker's next message, and the recovery sweep's work list.
    this.addSql(`create index message_pending_idx on message (conversation_id, id) where status = 'pending'`);
    this.addSql(`create index message_pending_age_idx on message (created_at) where status = 'pending'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists message');
    this.addSql('drop table if exists conversation');
  }
}
