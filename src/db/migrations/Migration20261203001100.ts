import { Migration } from '@mikro-orm/migrations';

/**
 * Telegram updates that kept failing and were skipped so that the bot goes on with the next ones
 * (issue 11): kept for a person to inspect. `payload` is the update's JSON as text (jsonb would
 * refuse a `\u0000` escape, one of the ways an update can fail).
 */
export class Migration20261203001100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table telegram_failed_update (
      id bigserial primary key,
      bot text not null,
      update_id bigint not null,
      payload text not null,
      error text not null,
      failures int not null,
      created_at timestamptz not null default now(),
      unique (bot, update_id)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists telegram_failed_update');
  }
}
