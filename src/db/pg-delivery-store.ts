/** The DeliveryStore on PostgreSQL: one row a text, settled once by the bot's sender. */
import type pg from 'pg';
import type { Delivery, DeliveryStore } from '../core/ports.js';
import { preparedQuery, type Row } from './pg-rows.js';

const COLUMNS = 'd.id, d.bot, d.chat_id, d.text, d.markup, d.dedup_key, d.handoff_id, d.edit_of, d.sent_message_id, d.created_at';

function toDelivery(row: Row): Delivery {
  const delivery: Delivery = {
    id: String(row.id),
    bot: row.bot as string,
    chatId: row.chat_id as string,
    text: row.text as string,
    createdAt: new Date(row.created_at as string | Date),
  };
  if (row.markup !== null && row.markup !== undefined) delivery.markup = row.markup;
  if (row.dedup_key) delivery.dedupKey = row.dedup_key as string;
  if (row.handoff_id) delivery.handoffId = String(row.handoff_id);
  if (row.edit_of) delivery.editOf = String(row.edit_of);
  if (row.sent_message_id) delivery.sentMessageId = String(row.sent_message_id);
  if (row.edit_target) delivery.editTarget = String(row.edit_target);
  return delivery;
}

export function createPgDeliveryStore(pool: pg.Pool): DeliveryStore {
  const all = preparedQuery(pool, 'delivery');
  return {
    async add(items) {
      if (items.length === 0) return [];
      // One statement for the batch: an invite to every operator on duty is written at once.
      const rows = await all(
        `insert into delivery (bot, chat_id, text, markup, dedup_key, handoff_id, edit_of)
         select * from unnest(?::text[], ?::text[], ?::text[], ?::jsonb[], ?::text[], ?::bigint[], ?::bigint[])
         on conflict (bot, dedup_key) where dedup_key is not null do nothing
         returning ${COLUMNS.replaceAll('d.', '')}`,
        [
          items.map((i) => i.bot),
          items.map((i) => i.chatId),
          items.map((i) => i.text),
          items.map((i) => (i.markup === undefined ? null : JSON.stringify(i.markup))),
          items.map((i) => i.dedupKey ?? null),
          items.map((i) => i.handoffId ?? null),
          items.map((i) => i.editOf ?? null),
        ],
      );
      return rows.map(toDelivery).sort((a, b) => Number(a.id) - Number(b.id));
    },

    async pending(bot, chatId, limit) {
      const rows = await all(
        `select ${COLUMNS}, target.sent_message_id as edit_target from delivery d left join delivery target on target.id = d.edit_of
         where d.bot = ? and d.chat_id = ? and d.settled_at is null order by d.id limit ?`,
        [bot, chatId, limit],
      );
      return rows.map(toDelivery);
    },

    async settle(id, outcome, sentMessageId) {
      await all(`update delivery set outcome = ?, sent_message_id = ?, settled_at = now() where id = ? and settled_at is null`, [
        outcome,
        sentMessageId ?? null,
        id,
      ]);
    },

    async settleChat(bot, chatId, outcome) {
      await all(`update delivery set outcome = ?, settled_at = now() where bot = ? and chat_id = ? and settled_at is null`, [outcome, bot, chatId]);
    },

    async staleChats(bot, createdBefore, limit) {
      const rows = await all(
        `select chat_id, min(id) as first_id from delivery where bot = ? and settled_at is null and created_at < ?
         group by chat_id order by min(id) limit ?`,
        [bot, createdBefore, limit],
      );
      return rows.map((r) => ({ chatId: r.chat_id as string, firstId: String(r.first_id) }));
    },

    async invitesOf(handoffId) {
      const rows = await all(`select ${COLUMNS} from delivery d where d.handoff_id = ? and d.edit_of is null and d.markup is not null order by d.id`, [handoffId]);
      return rows.map(toDelivery);
    },
  };
}
