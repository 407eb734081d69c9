/**
 * The time from a visitor's POST to the reply coming back from a poll. Each of N distinct new
 * visitors sends one message, then polls every `pollMs` (measured from the end of one poll to the
 * start of the next, like a widget's timer) until the reply arrives; `concurrency` visitors are in
 * flight at once. The figure includes up to one poll interval of sampling delay (about pollMs/2 on
 * average) plus the poll's own latency; `stored_ms` (the reply's `date_create` minus the wall-clock
 * time the POST was sent, millisecond resolution) is the same path without the polling.
 */
import { randomBytes } from 'node:crypto';
import { round, sleep, summarize, type Summary } from './stats.js';

export interface E2eOptions {
  baseUrl: string;
  messages: number;
  concurrency: number;
  pollMs: number;
  /** Give up on one message after this long. */
  timeoutMs: number;
  /** Replies whose text starts with this came from the model (the fake echoes `Ответ: …`). */
  modelReplyPrefix?: string;
}

export interface E2eResult {
  messages: number;
  concurrency: number;
  poll_interval_ms: number;
  /** POST sent → the poll response carrying the reply received, ms. */
  latency_ms: Summary;
  /** POST sent → the reply's date_create, ms (wall clock, same machine). */
  stored_ms: Summary;
  /** The POST alone, ms. */
  post_ms: Summary;
  polls_per_message: number;
  /** Replies received / visitors. */
  replied: number;
  timeouts: number;
  errors: number;
  first_error?: string;
  /** Replies that were the model's answer (vs fallback or other fixed texts). */
  model_replies: number;
  wall_s: number;
}

interface PollBody {
  messages?: Array<{ message: string; date_create: string; user: string }>;
}

export async function measureEndToEnd(options: E2eOptions): Promise<E2eResult> {
  const nonce = randomBytes(6).toString('hex');
  const latencies: number[] = [];
  const stored: number[] = [];
  const posts: number[] = [];
  let polls = 0;
  let timeouts = 0;
  let errors = 0;
  let modelReplies = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();

  async function visitor(index: number): Promise<void> {
    const token = `e2e-${nonce}-${String(index).padStart(6, '0')}`;
    const message = `Есть ли у вас доставка? #${index}`;
    const sentWall = Date.now();
    const sent = performance.now();
    const post = await fetch(`${options.baseUrl}/api/v1/gpt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'chat-token': token },
      body: JSON.stringify({ message }),
    });
    await post.arrayBuffer();
    posts.push(performance.now() - sent);
    if (post.status !== 201) throw new Error(`POST answered ${post.status}`);
    const deadline = sent + options.timeoutMs;
    while (performance.now() < deadline) {
      await sleep(options.pollMs);
      const poll = await fetch(`${options.baseUrl}/api/v1/message`, { headers: { 'chat-token': token } });
      polls += 1;
      if (poll.status !== 200) {
        await poll.arrayBuffer();
        throw new Error(`poll answered ${poll.status}`);
      }
      const body = (await poll.json()) as PollBody;
      const reply = body.messages?.[0];
      if (!reply) continue;
      latencies.push(performance.now() - sent);
      stored.push(Date.parse(reply.date_create) - sentWall);
      if (options.modelReplyPrefix && reply.message.startsWith(options.modelReplyPrefix)) modelReplies += 1;
      return;
    }
    timeouts += 1;
  }

  async function lane(): Promise<void> {
    while (next < options.messages) {
      const index = next++;
      try {
        await visitor(index);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => lane()));
  return {
    messages: options.messages,
    concurrency: options.concurrency,
    poll_interval_ms: options.pollMs,
    latency_ms: summarize(latencies),
    stored_ms: summarize(stored),
    post_ms: summarize(posts),
    polls_per_message: latencies.length ? round(polls / options.messages, 1) : 0,
    replied: latencies.length,
    timeouts,
    errors,
    ...(firstError ? { first_error: firstError } : {}),
    model_replies: modelReplies,
    wall_s: round((performance.now() - started) / 1000, 1),
  };
}
