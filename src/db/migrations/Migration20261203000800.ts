import { Migration } from '@mikro-orm/migrations';

/**
 * The operators' desk: operators who registered through the operators' bot, handoffs as a state
 * machine (one open per conversation, one accepted per operator), the delivery log of texts the
 * bots send outside the conversation's own messages (invites, transcripts, relays, edits), and the
 * episode boundary that keeps an operator's part out of the model's history.
 */
export class Migration20261203000800 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table operator (
        id bigint generated always as identity primary key,
        telegram_user_id bigint not null unique,
        chat_id text not null,
        name text,
        username text,
        status text not null default 'pending' check (status in ('pending', 'approved', 'disabled')),
        on_duty boolean not null default false,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table handoff (
        id bigint generated always as identity primary key,
        conversation_id bigint not null references conversation (id) on delete cascade,
        state text not null check (state in ('requested', 'offered', 'accepted', 'finished', 'expired')),
        reason text not null,
        operator_id bigint references operator (id),
        -- Bumped each time an operator leaves it: a new round of invites.
        round integer not null default 0,
        requested_at timestamptz not null default now(),
        offered_at timestamptz,
        accepted_at timestamptz,
        closed_at timestamptz
      )`);
    // One open request per conversation: asking twice joins the open one.
    this.addSql(`create unique index handoff_open_unique on handoff (conversation_id) where state in ('requested', 'offered', 'accepted')`);
    // An operator talks to one customer at a time: their texts go to that customer.
    this.addSql(`create unique index handoff_operator_unique on handoff (operator_id) where state = 'accepted'`);
    this.addSql(`create index handoff_waiting_idx on handoff (requested_at) where state in ('requested', 'offered')`);
    this.addSql(`
      create table delivery (
        id bigint generated always as identity primary key,
        bot text not null,
        chat_id text not null,
        text text not null,
        markup jsonb,
        edit_of bigint references delivery (id) on delete cascade,
        handoff_id bigint references handoff (id) on delete cascade,
        dedup_key text,
        sent_message_id bigint,
        outcome text check (outcome in ('sent', 'rejected', 'blocked')),
        created_at timestamptz not null default now(),
        settled_at timestamptz
      )`);
    this.addSql(`create unique index delivery_dedup_unique on delivery (bot, dedup_key) where dedup_key is not null`);
    this.addSql(`create index delivery_unsettled_idx on delivery (bot, chat_id, id) where settled_at is null`);
    this.addSql(`create index delivery_handoff_idx on delivery (handoff_id) where handoff_id is not null`);
    this.addSql(`alter table conversation add column history_from_id bigint`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table conversation drop column if exists history_from_id');
    this.addSql('drop table if exists delivery');
    this.addSql('drop table if exists handoff');
    this.addSql('drop table if exists operator');
  }
}
