import { Migration } from '@mikro-orm/migrations';

/**
 * Message ids of one conversation become visible in id order: every insert into `message` first
 * takes the conversation's row lock (held until commit), then draws its id. Without it, two
 * transactions could draw ids 10 and 11 and commit 11 first, and a reader following a cursor
 * (ConversationStore.messagesSince: the widget's history and stream) would step past 10 for good.
 * A trigger rather than a rule in each statement, so every writer (the conversation store, the
 * handoff store, the next one) keeps the guarantee. The identity default's value is discarded:
 * ids get gaps, which nothing relies on.
 */
export class Migration20261203001000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function message_take_conversation_turn() returns trigger language plpgsql as $$
      begin
        perform 1 from conversation where id = new.conversation_id for update;
        new.id := nextval(pg_get_serial_sequence('message', 'id')::regclass);
        return new;
      end $$`);
    this.addSql(`create trigger message_take_conversation_turn before insert on message
      for each row execute function message_take_conversation_turn()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists message_take_conversation_turn on message');
    this.addSql('drop function if exists message_take_conversation_turn()');
  }
}
