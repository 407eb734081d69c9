/**
 * Keeps the widget's conversation live: Server-Sent Events read with fetch, resumed from the
 * cursor after every cut (so nothing is lost or repeated), and polling of the history when the
 * stream is blocked (two attempts in a row that brought no byte: a proxy that refuses or buffers
 * event streams; the stream is tried again every 20 polls). Nothing here marks messages as fetched: the cursor the widget holds is the ack.
 */
import { createParser } from 'eventsource-parser';
import type { ChatApi, HistoryItem } from './api.js';

export type LiveState = 'live' | 'polling' | 'reconnecting';

export interface LiveHandlers {
  onMessages(items: HistoryItem[]): void;
  onTyping(): void;
  onState(state: LiveState): void;
}

/** No byte this long after opening: a buffering proxy, treat as blocked. */
const FIRST_BYTE_MS = 10_000;
/** The server writes a comment every 25 s; this long without a byte means a dead connection. */
const IDLE_MS = 60_000;
const STREAM_FAILURES_BEFORE_POLLING = 2;
/** While polling, the stream is tried again every this many polls (the proxy may have changed, the network surely has). */
const POLLS_BEFORE_STREAM_RETRY = 20;

export class LiveConnection {
  private stopped = false;
  private polling = false;
  private wakeUp: () => void = () => undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly api: ChatApi,
    private cursor: string | null,
    private readonly pollIntervalMs: number,
    private readonly handlers: LiveHandlers,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wakeUp();
  }

  /** Try at once instead of waiting out the backoff (the browser is back online). */
  wake(): void {
    this.wakeUp();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    let backoffMs = 1000;
    let polls = 0;
    while (!this.stopped) {
      if (this.polling) {
        this.handlers.onState((await this.pollOnce()) ? 'polling' : 'reconnecting');
        await this.sleep(this.pollIntervalMs);
        polls += 1;
        if (polls % POLLS_BEFORE_STREAM_RETRY === 0) {
          // One more try; two failures in a row bring polling back.
          this.polling = false;
          failures = STREAM_FAILURES_BEFORE_POLLING - 1;
        }
        continue;
      }
      const gotBytes = await this.streamOnce();
      if (this.stopped) return;
      failures = gotBytes ? 0 : failures + 1;
      if (gotBytes) backoffMs = 1000;
      if (failures >= STREAM_FAILURES_BEFORE_POLLING) {
        this.polling = true;
        continue;
      }
      this.handlers.onState('reconnecting');
      await this.sleep(backoffMs * (0.75 + Math.random() / 2));
      backoffMs = Math.min(backoffMs * 2, 30_000);
    }
  }

  private async pollOnce(): Promise<boolean> {
    try {
      for (;;) {
        const page = await this.api.history(this.cursor);
        this.cursor = page.cursor;
        if (page.messages.length) this.handlers.onMessages(page.messages);
        if (page.messages.length < 200) return true;
      }
    } catch {
      return false;
    }
  }

  /** One stream connection until it ends; whether it brought any byte. */
  private async streamOnce(): Promise<boolean> {
    const abort = new AbortController();
    this.abort = abort;
    let gotBytes = false;
    let timer = setTimeout(() => abort.abort(), FIRST_BYTE_MS);
    const parser = createParser({
      onEvent: (event) => {
        if (event.event === 'typing') this.handlers.onTyping();
        if (event.event !== 'message') return;
        const item = JSON.parse(event.data) as HistoryItem;
        if (event.id) this.cursor = event.id;
        this.handlers.onMessages([item]);
      },
    });
    try {
      const reader = await this.api.openStream(this.cursor, abort.signal);
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!gotBytes) this.handlers.onState('live');
        gotBytes = true;
        clearTimeout(timer);
        timer = setTimeout(() => abort.abort(), IDLE_MS);
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Cut, refused or timed out: the caller reconnects from the cursor.
    } finally {
      clearTimeout(timer);
    }
    return gotBytes;
  }
}
