/**
 * The traffic generator: web visitors (POST a message, poll like the widget until every reply has
 * come) and Telegram customers (updates pushed into the fake Bot API). Each message carries a tag
 * naming its conversation and number, so a reply can be traced to whom it answers.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeTelegram } from '../test/fakes/fake-telegram.js';

export interface WebVisitor {
  kind: 'web';
  tag: string;
  token: string;
  /** Messages the API accepted (201), with their ids and when. */
  accepted: Array<{ id: number; text: string; at: number }>;
  /** Attempts whose outcome is unknown (network error, 502): the message may or may not be stored. */
  ambiguous: number;
  /** Refusals the client retried (429, 503). */
  refused: Record<number, number>;
  /** Replies as the polls returned them, in order, with when they arrived. */
  received: Array<{ text: string; at: number }>;
  done: boolean;
}

export interface TelegramCustomer {
  kind: 'telegram';
  tag: string;
  chatId: number;
  sent: Array<{ text: string; at: number }>;
  done: boolean;
}

export interface TrafficOptions {
  baseUrl: string;
  telegram: FakeTelegram;
  /** Messages per conversation. */
  messages: number;
  /** Pause between a visitor's messages, ms (uniform in [min, max]). */
  gapMs: [number, number];
}

const rand = (min: number, max: number) => min + Math.random() * (max - min);

export function newVisitor(n: number): WebVisitor {
  return { kind: 'web', tag: `w${n}x`, token: `chaos-${randomUUID()}`, accepted: [], ambiguous: 0, refused: {}, received: [], done: false };
}

export function newCustomer(n: number): TelegramCustomer {
  return { kind: 'telegram', tag: `t${n}x`, chatId: 7_000_000 + n, sent: [], done: false };
}

/** One visitor's conversation: sends its messages with pauses, polling throughout, until every accepted one is answered. */
export async function runVisitor(v: WebVisitor, options: TrafficOptions, stopAt: () => number): Promise<void> {
  const address = `10.${(Number(v.tag.slice(1, -1)) >> 8) & 255}.${Number(v.tag.slice(1, -1)) & 255}.7`;
  const headers = { 'chat-token': v.token, 'content-type': 'application/json', 'x-forwarded-for': address };
  let polling = true;
  const poller = (async () => {
    while (polling || (v.received.length < v.accepted.length && Date.now() < stopAt())) {
      try {
        const res = await fetch(`${options.baseUrl}/api/v1/message`, { headers, signal: AbortSignal.timeout(15_000) });
        if (res.status === 200) {
          const body = (await res.json()) as { messages: Array<{ message: string }> };
          for (const m of body.messages) v.received.push({ text: m.message, at: Date.now() });
        } else await res.arrayBuffer();
      } catch {
        // the poll failed (a restart, a freeze): the next one asks again
      }
      await sleep(1000);
    }
  })();
  for (let k = 0; k < options.messages && Date.now() < stopAt(); k += 1) {
    for (let attempt = 0; attempt < 30 && Date.now() < stopAt(); attempt += 1) {
      const text = `chaos ${v.tag} m${k} a${attempt}`;
      const outcome = await fetch(`${options.baseUrl}/api/v1/gpt`, { method: 'POST', headers, body: JSON.stringify({ message: text }), signal: AbortSignal.timeout(20_000) })
        .then(async (res) => ({ status: res.status, body: (await res.json().catch(() => ({}))) as { id?: number } }))
        .catch(() => ({ status: 0, body: {} as { id?: number } }));
      if (outcome.status === 201 && typeof outcome.body.id === 'number') {
        v.accepted.push({ id: outcome.body.id, text, at: Date.now() });
        break;
      }
      // No answer, 502 or 503: the statement may have committed before the answer was lost.
      if (outcome.status === 0 || outcome.status >= 500) v.ambiguous += 1;
      v.refused[outcome.status] = (v.refused[outcome.status] ?? 0) + 1;
      await sleep(rand(1000, 3000));
    }
    await sleep(rand(...options.gapMs));
  }
  polling = false;
  await poller;
  v.done = true;
}

/** One Telegram customer: pushes its messages as updates with pauses (the fake keeps them until confirmed). */
export async function runCustomer(c: TelegramCustomer, options: TrafficOptions, stopAt: () => number): Promise<void> {
  for (let k = 0; k < options.messages && Date.now() < stopAt(); k += 1) {
    const text = `chaos ${c.tag} m${k}`;
    options.telegram.pushText(c.chatId, text);
    c.sent.push({ text, at: Date.now() });
    await sleep(rand(...options.gapMs));
  }
  c.done = true;
}

/** Polls until two empty answers in a row: every reply still waiting is collected. */
export async function drainVisitor(v: WebVisitor, baseUrl: string): Promise<void> {
  const headers = { 'chat-token': v.token, 'x-forwarded-for': '10.255.255.1' };
  for (let empty = 0, tries = 0; empty < 2 && tries < 20; tries += 1) {
    const body = await fetch(`${baseUrl}/api/v1/message`, { headers })
      .then(async (res) => (res.status === 200 ? ((await res.json()) as { messages: Array<{ message: string }> }) : undefined))
      .catch(() => undefined);
    if (!body) {
      await sleep(500);
      continue;
    }
    for (const m of body.messages) v.received.push({ text: m.message, at: Date.now() });
    empty = body.messages.length ? 0 : empty + 1;
  }
}
