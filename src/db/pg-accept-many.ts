/**
 * Accepts many customers' messages in one SQL statement: the same upsert as the store's `accept`
 * (src/db/pg-conversation-store.ts), fed arrays instead of one row, so a burst of messages costs
 * PostgreSQL one statement, one commit and one WAL flush instead of one each.
 *
 * Order and locking, why they hold:
 * - Messages get ids in the order of the input array (`order by ord`), so messages of one
 *   conversation within a batch keep the order their callers handed them in.
 * - Conversations are upserted sorted by (channel, chat_id). Each upsert locks its row until commit,
 *   so a later batch touching the same conversation waits and its messages get later ids (as with
 *   single accepts); every batch takes its locks in the same order, so two batches cannot deadlock.
 * - A conversation appears once per statement (DISTINCT ON): ON CONFLICT DO UPDATE may not touch a
 *   row twice. Its sender fields come from the latest message of the batch that has them, so the
 *   result equals accepting the messages one after another.
 */
import type pg from 'pg';
import type { AcceptedMessage } from '../core/ports.js';
import type { Conversation, InboundMessage, StoredMessage } from '../core/types.js';
import type { AcceptCall } from '../group-commit.js';
import { MESSAGE_COLUMNS, toConversation, toMessage, type Row } from './pg-rows.js';

const ACCEPT_MANY = `
with input as (
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
    with ordinality as t(channel, chat_id, sender_name, sender_username, text, external_id, handoff, ord)
), senders as (
  select distinct on (channel, chat_id) channel, chat_id,
    (array_agg(sender_name) filter (where sender_name is not null) over w)[1] as sender_name,
    (array_agg(sender_username) filter (where sender_username is not null) over w)[1] as sender_username
  from input
  window w as (partition by channel, chat_id order by ord desc rows between unbounded preceding and unbounded following)
  order by channel, chat_id
), conv as (
  insert into conversation (channel, chat_id, sender_name, sender_username)
  select channel, chat_id, sender_name, sender_username from senders order by channel, chat_id
  on conflict (channel, chat_id) do update set updated_at = now(), blocked_at = null,
    sender_name = coalesce(excluded.sender_name, conversation.sender_name),
    sender_username = coalesce(excluded.sender_username, conversation.sender_username)
  returning id, channel, chat_id, state, sender_name, sender_username, created_at
), msg as (
  insert into message (conversation_id, author, kind, text, external_id, status, handoff)
  select conv.id, 'CUSTOMER', 'text', input.text, input.external_id,
    case when conv.state = 'bot' then 'pending' else 'operator' end, input.handoff
  from input join conv on conv.channel = input.channel and conv.chat_id = input.chat_id
  order by input.ord
  on conflict (conversation_id, external_id) where external_id is not null do nothing
  returning ${MESSAGE_COLUMNS}, external_id
)
select (select json_agg(conv) from conv) as convs, (select json_agg(msg) from msg) as msgs`;

const EXISTING = `
select ${MESSAGE_COLUMNS.split(', ').map((column) => `m.${column}`).join(', ')}, m.external_id
from message m join unnest($1::bigint[], $2::text[]) as k(conversation_id, external_id)
  on m.conversation_id = k.conversation_id and m.external_id = k.external_id`;

const addressKey = (channel: string, chatId: string) => `${channel}\u0000${chatId}`;
const messageKey = (conversationId: string, externalId: string) => `${conversationId}\u0000${externalId}`;

/**
 * Makes `acceptMany(calls)`: the results in input order, each as the store's `accept` would
 * return it (`askForPerson` recorded on the message as `customer_request`, like `accept`). The
 * same (address, externalId) twice in one call is stored once; the second one is reported as a
 * duplicate of the first. Fails as a whole when the statement fails.
 */
export function createPgAcceptMany(pool: pg.Pool): (calls: AcceptCall[]) => Promise<AcceptedMessage[]> {
  return async (calls) => {
    if (calls.length === 0) return [];
    const messages = calls.map((call) => call.message);
    const columns: Array<Array<string | null>> = [[], [], [], [], [], [], []];
    for (const { message: m, options } of calls) {
      const handoff = options?.askForPerson ? 'customer_request' : null;
      const values = [m.address.channel, m.address.chatId, m.sender?.name ?? null, m.sender?.username ?? null, m.text, m.externalId, handoff];
      values.forEach((value, i) => columns[i]?.push(value));
    }
    const result = await pool.query({ name: 'accept_many', text: ACCEPT_MANY, values: columns });
    // row_to_json leaves timestamps as text; toMessage and toConversation turn them into Dates.
    const row = result.rows[0] as { convs: Row[] | null; msgs: Row[] | null };
    const conversations = new Map<string, Conversation>();
    for (const conv of row.convs ?? []) conversations.set(addressKey(conv.channel as string, conv.chat_id as string), toConversation(conv));
    const inserted = new Map<string, StoredMessage>();
    for (const msg of row.msgs ?? []) inserted.set(messageKey(String(msg.conversation_id), msg.external_id as string), toMessage(msg));

    const conversationOf = (m: InboundMessage) => conversations.get(addressKey(m.address.channel, m.address.chatId)) as Conversation;
    const missing = messages.filter((m) => !inserted.has(messageKey(conversationOf(m).id, m.externalId)));
    const existing = new Map<string, StoredMessage>();
    if (missing.length) {
      const found = await pool.query({
        name: 'accept_many_existing',
        text: EXISTING,
        values: [missing.map((m) => conversationOf(m).id), missing.map((m) => m.externalId)],
      });
      for (const msg of found.rows as Row[]) existing.set(messageKey(String(msg.conversation_id), msg.external_id as string), toMessage(msg));
    }

    const handedOut = new Set<string>();
    return messages.map((m) => {
      const conversation = conversationOf(m);
      const key = messageKey(conversation.id, m.externalId);
      const fresh = inserted.get(key);
      if (fresh && !handedOut.has(key)) {
        handedOut.add(key);
        return { conversation, message: fresh, duplicate: false };
      }
      const message = fresh ?? existing.get(key);
      if (!message) throw new Error(`accept many: message ${m.externalId} of conversation ${conversation.id} neither stored nor found`);
      return { conversation, message, duplicate: true };
    });
  };
}
