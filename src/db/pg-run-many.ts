/**
 * The reply worker's three statements (`beginRun`, `recordReply`, `nextTurn` of the store in
 * pg-conversation-store.ts), each for many calls at once: fed arrays through `unnest`, so the
 * worker's concurrent jobs share one round trip and one commit per kind of step instead of one
 * each. On this machine the statements' round trips (a write and a wake-up on both sides of the
 * loopback) were a fifth of the worker's profile, and PostgreSQL shares the two cores with it.
 * src/group-commit.ts gathers the calls.
 *
 * Each returns one result per call, in call order, equal to what the single statement returns.
 *
 * Locking, why it cannot deadlock: a statement here that writes several conversations first locks
 * them sorted by (channel, chat_id), the order in which the intake's batched accept
 * (pg-accept-many.ts) takes the same row locks; every other writer locks one conversation at a time.
 * The same conversation twice in one batch: the earliest call gets the lease (the rest are told it
 * is busy), the earliest reply to a message is written (the rest find it answered).
 */
import type pg from 'pg';
import { withoutNul } from '../core/customer-text.js';
import type { NewReply, RunStart, Turn } from '../core/ports.js';
import type { BeginRunCall, NextTurnCall } from '../group-commit.js';
import type { StoredMessage } from '../core/types.js';
import { PENDING_IN, toRunStart, toTurn, turnQuery } from './pg-conversation-store.js';
import { CONVERSATION_COLUMNS, MESSAGE_COLUMNS, toMessage, type Row } from './pg-rows.js';

/** The conversations of `rows` (a CTE with `conversation_id`), locked in the intake's order. */
const lockInIntakeOrder = (rows: string) =>
  `select c.id from conversation c where c.id in (select conversation_id from ${rows}) order by c.channel, c.chat_id for update of c`;

const BEGIN_RUN_MANY = `
with input as (
  select * from unnest($1::bigint[], $2::text[], $3::integer[], $4::integer[]) with ordinality as t(conversation_id, owner, ttl_ms, history_limit, ord)
), first_call as (
  select distinct on (conversation_id) * from input order by conversation_id, ord
), locked as (${lockInIntakeOrder('first_call')}
), leased as (
  update conversation c set lease_owner = f.owner, lease_until = now() + (f.ttl_ms * interval '1 millisecond')
  from first_call f
  where c.id = f.conversation_id and c.id in (select id from locked)
    and (c.lease_until is null or c.lease_until < now() or c.lease_owner = f.owner) and ${PENDING_IN('c.id')}
  returning ${CONVERSATION_COLUMNS.split(', ').map((column) => `c.${column}`).join(', ')}, f.ord
)
select i.ord, row_to_json(l) as conv, exists (select 1 from conversation where id = i.conversation_id) as found,
  ${PENDING_IN('i.conversation_id')} as pending, turn.msg, turn.history
from input i
left join leased l on l.ord = i.ord
left join lateral (${turnQuery('l.id', 'i.history_limit')}) turn on true
order by i.ord`;

const NEXT_TURN_MANY = `
with input as (
  select * from unnest($1::bigint[], $2::integer[], $3::text[]) with ordinality as t(conversation_id, history_limit, owner, ord)
), turns as (
  select i.ord, i.conversation_id, i.owner, turn.msg, turn.history
  from input i left join lateral (${turnQuery('i.conversation_id', 'i.history_limit')}) turn on true
), finished as (
  select conversation_id, owner from turns where msg is null
), locked as (${lockInIntakeOrder('finished')}
), released as (
  update conversation c set lease_owner = null, lease_until = null
  from finished f
  where c.id = f.conversation_id and c.lease_owner = f.owner and c.id in (select id from locked)
)
select ord, msg, history from turns order by ord`;

const RECORD_REPLY_MANY = `
with input as (
  select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::integer[], $9::integer[], $10::text[])
    with ordinality as t(inbound_id, status, handoff, author, kind, text, input_tokens, output_tokens, total_tokens, model_version, ord)
), first_call as (
  select distinct on (i.inbound_id) i.*, m.conversation_id
  from input i join message m on m.id = i.inbound_id order by i.inbound_id, i.ord
), locked as (${lockInIntakeOrder('first_call')}
), answered as (
  update message m set status = f.status, handoff = coalesce(f.handoff, m.handoff)
  from first_call f
  where m.id = f.inbound_id and m.status = 'pending' and m.conversation_id in (select id from locked)
  returning f.*
), replies as (
  insert into message (conversation_id, author, kind, text, reply_to_id, input_tokens, output_tokens, total_tokens, model_version)
  select conversation_id, author, kind, text, inbound_id, input_tokens, output_tokens, total_tokens, model_version from answered order by ord
  returning ${MESSAGE_COLUMNS}
)
select i.ord, row_to_json(r) as reply
from input i left join first_call f on f.ord = i.ord left join replies r on r.reply_to_id = f.inbound_id
order by i.ord`;

/**
 * Runs one of the statements above for `calls` (their columns as arrays, in the statement's
 * parameter order) and maps its rows, one per call in call order.
 */
function manyStatement<C, R>(pool: pg.Pool, name: string, text: string, columns: (calls: C[]) => unknown[][], toResult: (row: Row) => R) {
  return async (calls: C[]): Promise<R[]> => {
    if (calls.length === 0) return [];
    const result = await pool.query({ name, text, values: columns(calls) });
    return (result.rows as Row[]).map(toResult);
  };
}

/** `beginRun` for many calls: one result per call, in order. */
export function createPgBeginRunMany(pool: pg.Pool): (calls: BeginRunCall[]) => Promise<RunStart[]> {
  return manyStatement(pool, 'begin_run_many', BEGIN_RUN_MANY, (calls: BeginRunCall[]) => [
    calls.map((c) => c.conversationId),
    calls.map((c) => c.owner),
    calls.map((c) => c.ttlMs),
    calls.map((c) => c.historyLimit),
  ], toRunStart);
}

/** `nextTurn` for many calls: one result per call, in order; a call with no next turn releases its lease. */
export function createPgNextTurnMany(pool: pg.Pool): (calls: NextTurnCall[]) => Promise<Array<Turn | null>> {
  return manyStatement(pool, 'next_turn_many', NEXT_TURN_MANY, (calls: NextTurnCall[]) => [
    calls.map((c) => c.conversationId),
    calls.map((c) => c.historyLimit),
    calls.map((c) => c.owner),
  ], toTurn);
}

/** `recordReply` for many replies: the stored reply per call, in order, or null when its message was already answered. */
export function createPgRecordReplyMany(pool: pg.Pool): (replies: NewReply[]) => Promise<Array<StoredMessage | null>> {
  return manyStatement(pool, 'record_reply_many', RECORD_REPLY_MANY, (replies: NewReply[]) => [
    replies.map((r) => r.inboundId),
    replies.map((r) => r.status),
    replies.map((r) => r.handoff ?? null),
    replies.map((r) => r.author),
    replies.map((r) => r.kind),
    // PostgreSQL refuses U+0000 in text; the single statement strips it the same way (pg-rows.ts).
    replies.map((r) => withoutNul(r.text)),
    replies.map((r) => r.usage?.inputTokens ?? null),
    replies.map((r) => r.usage?.outputTokens ?? null),
    replies.map((r) => r.usage?.totalTokens ?? null),
    replies.map((r) => (r.usage?.modelVersion === undefined ? null : withoutNul(r.usage.modelVersion))),
  ], (row) => (row.reply ? toMessage(row.reply as Row) : null));
}
