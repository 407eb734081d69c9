/**
 * The verdict: every accepted message against the database (the source of truth) and against what
 * the customers actually got. Exactly one outcome per message, each reply delivered exactly once,
 * in order per conversation, and no reply carrying another conversation's tag.
 */
import pg from 'pg';
import { markdownToTelegram } from '../src/telegram/markdown.js';
import type { FakeTelegram } from '../test/fakes/fake-telegram.js';
import type { TelegramCustomer, WebVisitor } from './traffic.js';

export interface Verdict {
  conversations: number;
  messages: number;
  /** Stored messages the client never saw accepted (an answer lost to a fault): checked like the rest. */
  ambiguousStored: number;
  /** Accepted messages with no outcome in the database. */
  noOutcome: number;
  /** Messages with more than one outcome. */
  multipleOutcomes: number;
  /** Replies in the database the customer never got. */
  lost: number;
  /** Replies the customer got more than once. */
  duplicated: number;
  /** Conversations whose replies arrived in another order than their messages. */
  outOfOrder: number;
  /** Replies naming another conversation's tag. */
  misdelivered: number;
  /** Outcomes by kind (answer, offline, fallback). */
  kinds: Record<string, number>;
  /** Message accepted → reply in the customer's hands, ms. */
  latenciesMs: number[];
  problems: string[];
}

interface Row {
  id: string;
  author: string;
  kind: string;
  text: string;
  reply_to_id: string | null;
  external_id: string | null;
}

export async function checkRun(databaseUrl: string, visitors: WebVisitor[], customers: TelegramCustomer[], telegram: FakeTelegram): Promise<Verdict> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const verdict: Verdict = {
    conversations: 0, messages: 0, ambiguousStored: 0, noOutcome: 0, multipleOutcomes: 0, lost: 0, duplicated: 0, outOfOrder: 0, misdelivered: 0, kinds: {}, latenciesMs: [], problems: [],
  };
  const problem = (text: string) => {
    if (verdict.problems.length < 40) verdict.problems.push(text);
  };
  try {
    const rowsOf = async (channel: string, chatId: string): Promise<Row[]> =>
      (
        await client.query<Row>(
          `select m.id::text, m.author, m.kind, m.text, m.reply_to_id::text, m.external_id from message m join conversation c on c.id = m.conversation_id
           where c.channel = $1 and c.chat_id = $2 order by m.id`,
          [channel, chatId],
        )
      ).rows;

    const judge = (
      label: string,
      tag: string,
      rows: Row[],
      isAccepted: (customer: Row) => { at: number } | undefined,
      got: Array<{ text: string; at: number }>,
      render: (stored: string) => string = (t) => t,
    ) => {
      const same = (received: string, stored: string) => received === render(stored) || sameText(received, stored);
      verdict.conversations += 1;
      const customerRows = rows.filter((r) => r.author === 'CUSTOMER');
      const replies = rows.filter((r) => r.reply_to_id !== null);
      const repliesTo = new Map<string, Row[]>();
      for (const r of replies) repliesTo.set(r.reply_to_id as string, [...(repliesTo.get(r.reply_to_id as string) ?? []), r]);
      for (const m of customerRows) {
        const accepted = isAccepted(m);
        if (!accepted) verdict.ambiguousStored += 1;
        verdict.messages += 1;
        const outcomes = repliesTo.get(m.id) ?? [];
        if (outcomes.length === 0) {
          verdict.noOutcome += 1;
          problem(`${label}: message ${m.id} "${m.text}" has no outcome`);
        }
        if (outcomes.length > 1) {
          verdict.multipleOutcomes += 1;
          problem(`${label}: message ${m.id} has ${outcomes.length} outcomes`);
        }
        for (const o of outcomes) verdict.kinds[o.kind] = (verdict.kinds[o.kind] ?? 0) + 1;
        // Latency: to the first time the customer had this reply.
        const reply = outcomes[0];
        const arrival = reply ? got.find((g) => same(g.text, reply.text)) : undefined;
        if (accepted && arrival) verdict.latenciesMs.push(Math.max(0, arrival.at - accepted.at));
      }
      // Replies in reply order must match the order of the messages they answer.
      const order = replies.map((r) => Number(r.reply_to_id));
      if (order.some((id, i) => i > 0 && id < (order[i - 1] as number))) {
        verdict.outOfOrder += 1;
        problem(`${label}: replies stored out of message order`);
      }
      // What the customer got, against the stored replies (texts may repeat: fallback, offline).
      const expected = replies.map((r) => r.text);
      const received = got.map((g) => g.text);
      const remaining = [...received];
      for (const text of expected) {
        const at = remaining.findIndex((r) => same(r, text));
        if (at === -1) {
          verdict.lost += 1;
          problem(`${label}: reply "${text.slice(0, 60)}" never reached the customer`);
        } else remaining.splice(at, 1);
      }
      verdict.duplicated += remaining.length;
      if (remaining.length) problem(`${label}: ${remaining.length} replies received more than once or never stored`);
      if (!sequenceMatches(received, expected, same)) {
        verdict.outOfOrder += 1;
        problem(`${label}: replies received out of order`);
      }
      for (const text of received) {
        const tags = text.match(/\b[wt]\d+x\b/g) ?? [];
        if (tags.some((t) => t !== tag)) {
          verdict.misdelivered += 1;
          problem(`${label}: got a reply for ${tags.join(',')}`);
        }
      }
    };

    for (const v of visitors) {
      const rows = await rowsOf('web', v.token);
      const byId = new Map(v.accepted.map((a) => [String(a.id), a]));
      for (const a of v.accepted) {
        if (!rows.some((r) => r.id === String(a.id))) {
          verdict.noOutcome += 1;
          problem(`web ${v.tag}: accepted message ${a.id} is not in the database`);
        }
      }
      judge(`web ${v.tag}`, v.tag, rows, (m) => byId.get(m.id), v.received);
    }
    for (const c of customers) {
      const rows = await rowsOf('telegram', String(c.chatId));
      const pushed = new Map(c.sent.map((s) => [s.text, s]));
      for (const s of c.sent) {
        const stored = rows.filter((r) => r.author === 'CUSTOMER' && r.text === s.text).length;
        if (stored !== 1) {
          verdict.noOutcome += stored === 0 ? 1 : 0;
          verdict.multipleOutcomes += stored > 1 ? 1 : 0;
          problem(`telegram ${c.tag}: update "${s.text}" stored ${stored} times`);
        }
      }
      const got = telegram.sentTo(c.chatId).map((m) => ({ text: m.text, at: m.at }));
      judge(`telegram ${c.tag}`, c.tag, rows, (m) => pushed.get(m.text), got, (stored) => markdownToTelegram(stored).html);
    }
  } finally {
    await client.end();
  }
  return verdict;
}

/** A Telegram message is the reply rendered as HTML: compare with entities decoded and whitespace normalised. */
function sameText(got: string, stored: string): boolean {
  const norm = (s: string) => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim();
  return norm(got) === norm(stored);
}

/** Whether the replies arrived in stored order (repeated texts such as the fallback counted at their first arrival). */
function sequenceMatches(received: string[], expected: string[], same: (r: string, e: string) => boolean): boolean {
  const firstSeen: string[] = [];
  for (const r of received) if (!firstSeen.includes(r)) firstSeen.push(r);
  const distinctExpected: string[] = [];
  for (const e of expected) if (!distinctExpected.includes(e)) distinctExpected.push(e);
  const filtered = firstSeen.filter((r) => distinctExpected.some((e) => same(r, e)));
  const expectedSeen = distinctExpected.filter((e) => firstSeen.some((r) => same(r, e)));
  return filtered.every((r, i) => same(r, expectedSeen[i] as string));
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
