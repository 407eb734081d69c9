/**
 * The HandoffStore on PostgreSQL: operators and the handoff state machine. Each transition is one
 * guarded statement, or one transaction that also moves the conversation's state, so a race has
 * exactly one winner: two operators pressing one invite both run the accept below, and the
 * `where state in ('requested', 'offered')` guard (plus the unique indexes on open handoffs per
 * conversation and accepted handoffs per operator) lets one of them through.
 */
import type pg from 'pg';
import type { HandoffChange, HandoffStore, NewReply } from '../core/ports.js';
import type { StoredMessage } from '../core/types.js';
import {
  HANDOFF_COLUMNS,
  inTransaction,
  MESSAGE_COLUMNS,
  OPERATOR_COLUMNS,
  preparedQuery,
  toHandoff,
  toMessage,
  toOperator,
  type Query,
  type Row,
} from './pg-rows.js';

/** PostgreSQL's unique_violation: a concurrent accept by the same operator won the index. */
const UNIQUE_VIOLATION = '23505';

export function createPgHandoffStore(pool: pg.Pool): HandoffStore {
  const all = preparedQuery(pool, 'desk');
  const one = async (sql: string, params: unknown[]) => (await all(sql, params))[0];

  /** A notice for the customer that answers no particular message. */
  const addNotice = async (query: Query, conversationId: string, text: string): Promise<StoredMessage> => {
    const rows = await query(
      `insert into message (conversation_id, author, kind, text) values (?, 'OPERATOR', 'notice', ?) returning ${MESSAGE_COLUMNS}`,
      [conversationId, text],
    );
    return toMessage(rows[0] as Row);
  };

  /** Moves the conversation's state; leaving `bot` parks its pending messages for the operator. */
  const moveConversation = async (query: Query, conversationId: string, from: string[], to: string) => {
    await query(`update conversation set state = ?, updated_at = now() where id = ? and state = any(?::text[])`, [to, conversationId, `{${from.join(',')}}`]);
    if (to !== 'bot') await query(`update message set status = 'operator' where conversation_id = ? and status = 'pending'`, [conversationId]);
  };

  return {
    async registerOperator(identity) {
      const row = await one(
        `insert into operator (telegram_user_id, chat_id, name, username) values (?, ?, ?, ?)
         on conflict (telegram_user_id) do update set chat_id = excluded.chat_id, name = coalesce(excluded.name, operator.name),
           username = coalesce(excluded.username, operator.username), updated_at = now()
         returning ${OPERATOR_COLUMNS}, (xmax = 0) as created`,
        [identity.telegramUserId, identity.chatId, identity.name ?? null, identity.username ?? null],
      );
      return { operator: toOperator(row as Row), created: Boolean(row?.created) };
    },

    async findOperator(telegramUserId) {
      const row = await one(`select ${OPERATOR_COLUMNS} from operator where telegram_user_id = ?`, [telegramUserId]);
      return row ? toOperator(row) : null;
    },

    async getOperator(id) {
      const row = await one(`select ${OPERATOR_COLUMNS} from operator where id = ?`, [id]);
      return row ? toOperator(row) : null;
    },

    async listOperators() {
      return (await all(`select ${OPERATOR_COLUMNS} from operator order by id`, [])).map(toOperator);
    },

    async setOperatorStatus(telegramUserId, status) {
      const row = await one(
        `update operator set status = ?, on_duty = case when ? = 'disabled' then false else on_duty end, updated_at = now()
         where telegram_user_id = ? returning ${OPERATOR_COLUMNS}`,
        [status, status, telegramUserId],
      );
      return row ? toOperator(row) : null;
    },

    async setOnDuty(telegramUserId, onDuty) {
      const row = await one(
        `update operator set on_duty = (? and status = 'approved'), updated_at = now() where telegram_user_id = ? returning ${OPERATOR_COLUMNS}`,
        [onDuty, telegramUserId],
      );
      return row ? toOperator(row) : null;
    },

    async onDutyOperators() {
      return (await all(`select ${OPERATOR_COLUMNS} from operator where on_duty and status = 'approved' order by id`, [])).map(toOperator);
    },

    async getHandoff(id) {
      const row = await one(`select ${HANDOFF_COLUMNS} from handoff where id = ?`, [id]);
      return row ? toHandoff(row) : null;
    },

    async waitingHandoffs(limit) {
      return (await all(`select ${HANDOFF_COLUMNS} from handoff where state in ('requested', 'offered') order by id limit ?`, [limit])).map(toHandoff);
    },

    async activeHandoff(operatorId) {
      const row = await one(`select ${HANDOFF_COLUMNS} from handoff where operator_id = ? and state = 'accepted'`, [operatorId]);
      return row ? toHandoff(row) : null;
    },

    async openHandoff(conversationId) {
      const row = await one(`select ${HANDOFF_COLUMNS} from handoff where conversation_id = ? and state in ('requested', 'offered', 'accepted')`, [
        conversationId,
      ]);
      return row ? toHandoff(row) : null;
    },

    async request({ conversationId, triggerId, reason, wait, notice }) {
      return inTransaction(pool, async (query) => {
        const inserted = await query(
          `insert into handoff (conversation_id, state, reason) values (?, 'requested', ?)
           on conflict (conversation_id) where state in ('requested', 'offered', 'accepted') do nothing returning ${HANDOFF_COLUMNS}`,
          [conversationId, reason],
        );
        const handoffRow =
          inserted[0] ?? (await query(`select ${HANDOFF_COLUMNS} from handoff where conversation_id = ? and state in ('requested', 'offered', 'accepted')`, [conversationId]))[0];
        // The notice answers the trigger while it waits; written before the state change parks it.
        const reply = await recordNotice(query, triggerId, notice);
        const stored = reply ?? (await addNotice(query, conversationId, notice.text));
        if (wait) await moveConversation(query, conversationId, ['bot'], 'waiting_operator');
        return { handoff: toHandoff(handoffRow as Row), created: inserted.length === 1, notice: stored };
      });
    },

    async markOffered(handoffId) {
      await all(`update handoff set state = 'offered', offered_at = coalesce(offered_at, now()) where id = ? and state = 'requested'`, [handoffId]);
    },

    async accept(handoffId, operatorId, noticeText) {
      try {
        return await inTransaction(pool, async (query) => {
          const taken = await query(
            `update handoff set state = 'accepted', operator_id = o.id, accepted_at = now()
             from operator o
             where handoff.id = ? and handoff.state in ('requested', 'offered') and o.id = ? and o.status = 'approved' and o.on_duty
               and not exists (select 1 from handoff mine where mine.operator_id = o.id and mine.state = 'accepted')
             returning ${HANDOFF_COLUMNS.split(', ').map((c) => `handoff.${c}`).join(', ')}`,
            [handoffId, operatorId],
          );
          if (!taken[0]) return { outcome: await whyNot(query, handoffId, operatorId), handoff: await current(query, handoffId) };
          const handoff = toHandoff(taken[0]);
          await moveConversation(query, handoff.conversationId, ['bot', 'waiting_operator'], 'with_operator');
          const notice = await addNotice(query, handoff.conversationId, noticeText);
          return { outcome: 'accepted' as const, change: { handoff, notice } };
        });
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return { outcome: 'busy' as const, handoff: await current(all, handoffId) };
        throw error;
      }
    },

    async relayFromOperator(operatorId, text) {
      const row = await one(
        `with active as (select ${HANDOFF_COLUMNS} from handoff where operator_id = ? and state = 'accepted'),
         stored as (
           insert into message (conversation_id, author, kind, text) select conversation_id, 'OPERATOR', 'operator', ? from active
           returning ${MESSAGE_COLUMNS}
         )
         select row_to_json(active) as handoff, row_to_json(stored) as message from active join stored on true`,
        [operatorId, text],
      );
      return row ? { handoff: toHandoff(row.handoff as Row), message: toMessage(row.message as Row) } : null;
    },

    async finish(operatorId, noticeText) {
      return inTransaction(pool, async (query) => {
        const done = await query(
          `update handoff set state = 'finished', closed_at = now() where operator_id = ? and state = 'accepted' returning ${HANDOFF_COLUMNS}`,
          [operatorId],
        );
        if (!done[0]) return null;
        const handoff = toHandoff(done[0]);
        const notice = await addNotice(query, handoff.conversationId, noticeText);
        // A new episode: the model's history starts after this notice (see history()).
        await query(`update conversation set state = 'bot', history_from_id = ?, updated_at = now() where id = ?`, [notice.id, handoff.conversationId]);
        return { handoff, notice };
      });
    },

    async release(operatorId, noticeText) {
      return inTransaction(pool, async (query) => {
        const back = await query(
          `update handoff set state = 'offered', operator_id = null, accepted_at = null, round = round + 1 where operator_id = ? and state = 'accepted' returning ${HANDOFF_COLUMNS}`,
          [operatorId],
        );
        if (!back[0]) return null;
        const handoff = toHandoff(back[0]);
        await moveConversation(query, handoff.conversationId, ['with_operator'], 'waiting_operator');
        const notice = await addNotice(query, handoff.conversationId, noticeText);
        return { handoff, notice };
      });
    },

    async expire(requestedBefore, noticeText, limit) {
      const due = await all(`select id from handoff where state in ('requested', 'offered') and requested_at < ? order by id limit ?`, [requestedBefore, limit]);
      const changes: Array<HandoffChange & { repended: string[] }> = [];
      for (const { id } of due) {
        const change = await inTransaction(pool, async (query) => {
          const expired = await query(
            `update handoff set state = 'expired', closed_at = now() where id = ? and state in ('requested', 'offered') returning ${HANDOFF_COLUMNS}`,
            [id],
          );
          if (!expired[0]) return null; // accepted meanwhile
          const handoff = toHandoff(expired[0]);
          const moved = await query(`update conversation set state = 'bot', updated_at = now() where id = ? and state = 'waiting_operator' returning id`, [handoff.conversationId]);
          // Messages parked for a person nobody took go back to the bot; answered ones stay answered.
          const repended = moved[0]
            ? await query(
                `update message m set status = 'pending' where m.conversation_id = ? and m.author = 'CUSTOMER' and m.status = 'operator'
                   and not exists (select 1 from message r where r.reply_to_id = m.id) returning m.id`,
                [handoff.conversationId],
              )
            : [];
          const notice = await addNotice(query, handoff.conversationId, noticeText);
          return { handoff, notice, repended: repended.map((r) => String(r.id)) };
        });
        if (change) changes.push(change);
      }
      return changes;
    },

    async transcript(conversationId, limit) {
      const rows = await all(
        `select ${MESSAGE_COLUMNS} from (
           select ${MESSAGE_COLUMNS} from message
           where conversation_id = ? and id > coalesce((select history_from_id from conversation where id = ?), 0)
           order by id desc limit ?
         ) recent order by id`,
        [conversationId, conversationId, limit],
      );
      return rows.map(toMessage);
    },

    async countWaiting() {
      const row = await one(`select count(*)::int as n from handoff where state in ('requested', 'offered')`, []);
      return Number(row?.n ?? 0);
    },
  };
}

/** Writes the notice as the reply to `triggerId` if that message still waits; null otherwise. */
async function recordNotice(query: Query, triggerId: string, notice: Omit<NewReply, 'inboundId' | 'kind'>): Promise<StoredMessage | null> {
  const rows = await query(
    // The conversation's row lock before the message's (the insert takes it anyway, see
    // Migration20261203001000): the order transition takes them in, so the two cannot deadlock.
    `with conv as (
       select c.id from conversation c join message m on m.conversation_id = c.id where m.id = ? for update of c
     ), answered as (
       update message set status = ?, handoff = coalesce(?, handoff)
       where id = ? and status = 'pending' and conversation_id in (select id from conv) returning conversation_id
     )
     insert into message (conversation_id, author, kind, text, reply_to_id)
     select conversation_id, ?, 'notice', ?, ? from answered returning ${MESSAGE_COLUMNS}`,
    [triggerId, notice.status, notice.handoff ?? null, triggerId, notice.author, notice.text, triggerId],
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

async function current(query: Query, handoffId: string) {
  const rows = await query(`select ${HANDOFF_COLUMNS} from handoff where id = ?`, [handoffId]);
  return rows[0] ? toHandoff(rows[0]) : null;
}

/** Why an accept did not go through, for the operator's answer. */
async function whyNot(query: Query, handoffId: string, operatorId: string): Promise<'taken' | 'busy' | 'off_duty'> {
  const rows = await query(
    `select (select state from handoff where id = ?) as state,
            (select status = 'approved' and on_duty from operator where id = ?) as ready,
            exists (select 1 from handoff where operator_id = ? and state = 'accepted') as busy`,
    [handoffId, operatorId, operatorId],
  );
  const row = rows[0] ?? {};
  if (row.state !== 'requested' && row.state !== 'offered') return 'taken';
  if (!row.ready) return 'off_duty';
  return row.busy ? 'busy' : 'taken';
}
