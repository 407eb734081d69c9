/**
 * What the Conversations pages read, through the MikroORM entities (a forked EntityManager per
 * request). Read-only: the panel changes state only through the core's use cases.
 */
import { raw, type EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ConversationEntity, HandoffEntity, MessageEntity, type ConversationRow, type MessageRow } from '../../db/entities.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine((v) => !Number.isNaN(Date.parse(v)), 'not a date');
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** The list's filters, from the query string; blank fields mean "any". */
export const conversationFilterSchema = z.object({
  channel: z.preprocess(blankToUndefined, z.enum(['web', 'telegram']).optional()),
  state: z.preprocess(blankToUndefined, z.enum(['bot', 'waiting_operator', 'with_operator']).optional()),
  /** Active on or after this day (UTC). */
  from: z.preprocess(blankToUndefined, day.optional()),
  /** Started on or before this day (UTC). */
  to: z.preprocess(blankToUndefined, day.optional()),
  /** `yes`: a person was asked for or took part; `no`: the bot alone. */
  person: z.preprocess(blankToUndefined, z.enum(['yes', 'no']).optional()),
  /** Text any message of the conversation contains (case-insensitive). */
  q: z.preprocess(blankToUndefined, z.string().trim().min(1).max(200).optional()),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
});

export type ConversationFilter = z.infer<typeof conversationFilterSchema>;

/** One line of the list. */
export interface ConversationSummary {
  id: string;
  channel: string;
  /** Who: a Telegram name, or the first 5 characters of a web visitor's token (never the whole token). */
  who: string;
  state: string;
  createdAt: Date;
  updatedAt: Date;
  messages: number;
  lastMessageAt: Date | null;
  neededPerson: boolean;
}

/** A customer's message that involved a person: a handoff was decided or an operator took it. */
export const NEEDED_PERSON_SQL = `(m.handoff is not null or m.status = 'operator' or m.kind = 'operator')`;

export const PAGE_SIZE = 50;

/** How a conversation's customer is shown: never the whole web chat-token. */
export function describeCustomer(c: Pick<ConversationRow, 'channel' | 'chatId' | 'senderName' | 'senderUsername'>): string {
  if (c.channel === 'web') return `visitor ${c.chatId.slice(0, 5)}…`;
  const name = [c.senderName, c.senderUsername ? `@${c.senderUsername}` : null].filter(Boolean).join(' ');
  return name ? `${name} (${c.chatId})` : c.chatId;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The conversations the filter selects, most recently active first. */
function filteredConversations(em: EntityManager, filter: ConversationFilter) {
  const qb = em.createQueryBuilder(ConversationEntity, 'c').select('*');
  if (filter.channel) qb.andWhere({ channel: filter.channel });
  if (filter.state) qb.andWhere({ state: filter.state });
  if (filter.from) qb.andWhere({ updatedAt: { $gte: new Date(`${filter.from}T00:00:00Z`) } });
  if (filter.to) qb.andWhere({ createdAt: { $lt: new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) } });
  if (filter.person) {
    qb.andWhere(`${filter.person === 'yes' ? '' : 'not '}exists (select 1 from message m where m.conversation_id = c.id and ${NEEDED_PERSON_SQL})`);
  }
  if (filter.q) qb.andWhere(`exists (select 1 from message m where m.conversation_id = c.id and m.text ilike ?)`, [`%${escapeLike(filter.q)}%`]);
  return qb.orderBy({ updatedAt: 'desc', id: 'desc' });
}

/** Up to `limit` conversations the filter selects as plain rows with their message figures, in one query (the CSV export). */
export async function exportConversations(em: EntityManager, filter: ConversationFilter, limit: number): Promise<ConversationSummary[]> {
  const rows: Array<Record<string, unknown>> = await filteredConversations(em, filter)
    .select(['c.id', 'c.channel', 'c.chat_id', 'c.sender_name', 'c.sender_username', 'c.state', 'c.created_at', 'c.updated_at'])
    .addSelect(
      raw(`(select json_build_object('n', count(*), 'last', max(m.created_at), 'person', coalesce(bool_or(${NEEDED_PERSON_SQL}), false)) from message m where m.conversation_id = c.id) as stats`),
    )
    .limit(limit)
    .execute('all', false);
  return rows.map((r) => {
    const stats = r.stats as { n: number; last: string | null; person: boolean };
    const conversation = { channel: r.channel as ConversationRow['channel'], chatId: String(r.chat_id), senderName: r.sender_name as string | null, senderUsername: r.sender_username as string | null };
    return {
      id: String(r.id),
      channel: conversation.channel,
      who: describeCustomer(conversation),
      state: String(r.state),
      createdAt: new Date(r.created_at as string),
      updatedAt: new Date(r.updated_at as string),
      messages: Number(stats.n),
      lastMessageAt: stats.last ? new Date(stats.last) : null,
      neededPerson: stats.person,
    };
  });
}

/** A page of conversations, most recently active first, and whether another page follows. */
export async function listConversations(em: EntityManager, filter: ConversationFilter, limit = PAGE_SIZE): Promise<{ rows: ConversationSummary[]; more: boolean }> {
  const qb = filteredConversations(em, filter)
    .limit(limit + 1)
    .offset((filter.page - 1) * limit);
  const found = await qb.getResultList();
  const page = found.slice(0, limit);
  const stats = new Map<string, { n: number; last: Date | null; person: boolean }>();
  if (page.length) {
    const rows: Array<{ conversation_id: string; n: string; last: Date | null; person: boolean }> = await em
      .createQueryBuilder(MessageEntity, 'm')
      .select(['m.conversation_id', raw('count(*) as n'), raw('max(m.created_at) as last'), raw(`bool_or(${NEEDED_PERSON_SQL}) as person`)])
      .where({ conversation: { $in: page.map((c) => c.id) } })
      .groupBy('m.conversation_id')
      .execute('all', false);
    for (const r of rows) stats.set(String(r.conversation_id), { n: Number(r.n), last: r.last ? new Date(r.last) : null, person: Boolean(r.person) });
  }
  return {
    more: found.length > limit,
    rows: page.map((c) => {
      const s = stats.get(c.id);
      return {
        id: c.id,
        channel: c.channel,
        who: describeCustomer(c),
        state: c.state,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        messages: s?.n ?? 0,
        lastMessageAt: s?.last ?? null,
        neededPerson: s?.person ?? false,
      };
    }),
  };
}

/** One line of a transcript. */
export interface TranscriptLine {
  id: string;
  at: Date;
  author: MessageRow['author'];
  kind: MessageRow['kind'];
  text: string;
  /** Customers' messages: answered / offline / fallback / operator / pending. Replies: their kind. */
  outcome: string;
  /** Replies only: delivered (with time), not yet, or never (the customer blocked the bot). */
  delivery: string | null;
  replyToId: string | null;
  handoff: string | null;
  tokens: { input: number | null; output: number | null; total: number | null } | null;
  modelVersion: string | null;
}

/** The longest transcript shown on one page. */
export const TRANSCRIPT_LIMIT = 5000;

/** A conversation and every message (up to TRANSCRIPT_LIMIT), oldest first; null when there is none with that id. */
export interface HandoffLine {
  id: string;
  state: string;
  reason: string;
  operator: string | null;
  requestedAt: Date;
  acceptedAt: Date | null;
  closedAt: Date | null;
}

export async function loadTranscript(
  em: EntityManager,
  id: string,
): Promise<{ conversation: ConversationRow; who: string; lines: TranscriptLine[]; handoffs: HandoffLine[]; truncated: boolean } | null> {
  const conversation = await em.findOne(ConversationEntity, { id });
  if (!conversation) return null;
  const [messages, handoffRows] = await Promise.all([
    em.find(MessageEntity, { conversation: id }, { orderBy: { id: 'asc' }, limit: TRANSCRIPT_LIMIT + 1 }),
    em.fork().find(HandoffEntity, { conversation: id }, { populate: ['operator'], orderBy: { id: 'asc' } }),
  ]);
  const handoffs = handoffRows.map((h) => ({
    id: h.id,
    state: h.state,
    reason: h.reason,
    operator: h.operator ? [h.operator.name, h.operator.username ? `@${h.operator.username}` : null].filter(Boolean).join(' ') || h.operator.telegramUserId : null,
    requestedAt: h.requestedAt,
    acceptedAt: h.acceptedAt,
    closedAt: h.closedAt,
  }));
  const lines = messages.slice(0, TRANSCRIPT_LIMIT).map((m): TranscriptLine => {
    const customer = m.author === 'CUSTOMER';
    let delivery: string | null = null;
    if (!customer) delivery = m.deliveredAt ? `delivered ${m.deliveredAt.toISOString()}` : conversation.blockedAt ? 'not delivered (blocked)' : 'not yet delivered';
    return {
      id: m.id,
      at: m.createdAt,
      author: m.author,
      kind: m.kind,
      text: m.text,
      outcome: customer ? (m.status ?? '') : m.kind,
      delivery,
      replyToId: m.replyTo?.id ?? null,
      handoff: m.handoff,
      tokens: m.totalTokens === null ? null : { input: m.inputTokens, output: m.outputTokens, total: m.totalTokens },
      modelVersion: m.modelVersion,
    };
  });
  return { conversation, who: describeCustomer(conversation), lines, handoffs, truncated: messages.length > TRANSCRIPT_LIMIT };
}
