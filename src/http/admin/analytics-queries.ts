/**
 * The managers' figures, computed in PostgreSQL over the stored conversations and messages.
 * Aggregates (percentiles, per-day buckets) are plain SQL run through the ORM's connection: a
 * query builder would only spell the same SQL less clearly. Days are UTC days.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { NEEDED_PERSON_SQL } from './conversation-queries.js';
import type { UnansweredQuestion } from './group-questions.js';

export interface AnalyticsOptions {
  /** First moment counted (start of a UTC day). */
  since: Date;
  /** Price of 1,000 tokens, for the estimated cost. */
  pricePer1000Tokens: number;
}

export interface Analytics {
  days: string[];
  /** Conversations with a customer's message that day, by channel. */
  conversationsPerDay: Record<string, number[]>;
  /** Of those, the ones where nobody but the bot answered, and the ones a person was asked for. */
  resolved: { bot: number[]; person: number[] };
  /** Seconds from a conversation's first customer message that day to the reply to it. */
  firstResponse: { p50: Array<number | null>; p90: Array<number | null> };
  tokens: { input: number[]; output: number[]; total: number[]; cost: number[] };
  /** Seconds from a request for a person to an operator taking it, by the day it was requested. */
  acceptTime: { p50: Array<number | null>; p90: Array<number | null> };
  handoffReasons: Array<{ reason: string; count: number; accepted: number; expired: number; open: number }>;
  totals: { conversations: number; botOnly: number; person: number; tokens: number; cost: number };
}

type Row = Record<string, unknown>;

function dayList(since: Date, now: Date): string[] {
  const days: string[] = [];
  for (let t = since.getTime(); t <= now.getTime(); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Every figure of the Analytics page for the days from `since` to `now`. */
export async function loadAnalytics(em: EntityManager, options: AnalyticsOptions, now: Date): Promise<Analytics> {
  const run = (sql: string, params: unknown[] = []) => em.getConnection().execute<Row[]>(sql, params, 'all');
  const since = options.since;
  const days = dayList(since, now);
  const index = new Map(days.map((d, i) => [d, i]));
  const zeros = () => days.map(() => 0);

  // One row per conversation and day it had customer messages: the unit of "conversations per day".
  const perDay = `select (m.created_at at time zone 'UTC')::date as day, m.conversation_id, bool_or(${NEEDED_PERSON_SQL}) as person, min(m.id) as first_id
     from message m where m.author = 'CUSTOMER' and m.created_at >= ? group by 1, 2`;
  const [conversations, firstResponse, tokens, reasons, accepts] = await Promise.all([
    run(
      `with per as (${perDay})
       select to_char(per.day, 'YYYY-MM-DD') as day, c.channel, per.person, count(*)::int as n
       from per join conversation c on c.id = per.conversation_id group by 1, 2, 3`,
      [since],
    ),
    // The first response is the reply to that day's first message (the bot's answer or fallback,
    // or the notice that a person was asked for): one index lookup per conversation-day.
    run(
      `with per as (${perDay})
       select to_char(per.day, 'YYYY-MM-DD') as day,
              percentile_cont(0.5) within group (order by extract(epoch from r.created_at - f.created_at)) as p50,
              percentile_cont(0.9) within group (order by extract(epoch from r.created_at - f.created_at)) as p90
       from per join message f on f.id = per.first_id join message r on r.reply_to_id = per.first_id group by 1`,
      [since],
    ),
    run(
      `select to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, sum(input_tokens)::bigint as input,
              sum(output_tokens)::bigint as output, sum(total_tokens)::bigint as total
       from message where total_tokens is not null and created_at >= ? group by (created_at at time zone 'UTC')::date`,
      [since],
    ),
    run(
      `select reason, count(*)::int as n, count(accepted_at)::int as accepted, count(*) filter (where state = 'expired')::int as expired,
              count(*) filter (where state in ('requested', 'offered', 'accepted'))::int as open
       from handoff where requested_at >= ? group by 1 order by 2 desc`,
      [since],
    ),
    run(
      `select to_char((requested_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day,
              percentile_cont(0.5) within group (order by extract(epoch from accepted_at - requested_at)) as p50,
              percentile_cont(0.9) within group (order by extract(epoch from accepted_at - requested_at)) as p90
       from handoff where requested_at >= ? and accepted_at is not null group by (requested_at at time zone 'UTC')::date`,
      [since],
    ),
  ]);

  const conversationsPerDay: Record<string, number[]> = {};
  for (const r of conversations) {
    const i = index.get(String(r.day));
    if (i === undefined) continue;
    const perChannel = (conversationsPerDay[String(r.channel)] ??= zeros());
    perChannel[i] = (perChannel[i] ?? 0) + Number(r.n);
  }
  const result: Analytics = {
    days,
    conversationsPerDay,
    resolved: { bot: zeros(), person: zeros() },
    firstResponse: { p50: days.map(() => null), p90: days.map(() => null) },
    tokens: { input: zeros(), output: zeros(), total: zeros(), cost: zeros() },
    acceptTime: { p50: days.map(() => null), p90: days.map(() => null) },
    handoffReasons: reasons.map((r) => ({ reason: String(r.reason), count: Number(r.n), accepted: Number(r.accepted), expired: Number(r.expired), open: Number(r.open) })),
    totals: { conversations: 0, botOnly: 0, person: 0, tokens: 0, cost: 0 },
  };
  for (const r of conversations) {
    const i = index.get(String(r.day));
    const bucket = result.resolved[r.person ? 'person' : 'bot'];
    if (i !== undefined) bucket[i] = (bucket[i] ?? 0) + Number(r.n);
  }
  for (const r of firstResponse) {
    const i = index.get(String(r.day));
    if (i === undefined) continue;
    result.firstResponse.p50[i] = Math.round(Number(r.p50) * 100) / 100;
    result.firstResponse.p90[i] = Math.round(Number(r.p90) * 100) / 100;
  }
  for (const r of accepts) {
    const i = index.get(String(r.day));
    if (i === undefined) continue;
    result.acceptTime.p50[i] = Math.round(Number(r.p50) * 100) / 100;
    result.acceptTime.p90[i] = Math.round(Number(r.p90) * 100) / 100;
  }
  for (const r of tokens) {
    const i = index.get(String(r.day));
    if (i === undefined) continue;
    result.tokens.input[i] = Number(r.input);
    result.tokens.output[i] = Number(r.output);
    result.tokens.total[i] = Number(r.total);
    result.tokens.cost[i] = Math.round((Number(r.total) / 1000) * options.pricePer1000Tokens * 100) / 100;
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  result.totals = {
    conversations: sum(result.resolved.bot) + sum(result.resolved.person),
    botOnly: sum(result.resolved.bot),
    person: sum(result.resolved.person),
    tokens: sum(result.tokens.total),
    cost: Math.round(sum(result.tokens.cost) * 100) / 100,
  };
  return result;
}

/** The most questions read for grouping; older ones past this are left out (the page says so). */
export const UNANSWERED_LIMIT = 5000;

/** Customers' messages since `since` that got a fallback or offline answer, or a handoff, most recent first. */
export async function loadUnanswered(em: EntityManager, since: Date, limit = UNANSWERED_LIMIT): Promise<UnansweredQuestion[]> {
  const rows = await em.getConnection().execute<Row[]>(
    `select id, conversation_id, text, created_at, status, handoff from message
     where author = 'CUSTOMER' and created_at >= ? and (status in ('fallback', 'offline') or handoff is not null)
     order by id desc limit ?`,
    [since, limit],
    'all',
  );
  return rows.map((r) => ({
    messageId: String(r.id),
    conversationId: String(r.conversation_id),
    text: String(r.text),
    at: new Date(r.created_at as string),
    why: r.handoff ? `handoff:${String(r.handoff)}` : String(r.status),
  }));
}
