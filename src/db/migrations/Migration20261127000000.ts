import { Migration } from '@mikro-orm/migrations';

/**
 * When a customer blocked the bot on a push channel (Telegram answers 403): set by the sender,
 * cleared by the customer's next message. Replies are not retried while it is set.
 */
export class Migration20261127000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table conversation add column blocked_at timestamptz');
  }

  override async down(): Promise<void> {
    this.addSql('alter table conversation drop column if exists blocked_at');
  }
}
