/**
 * The open Server-Sent-Events streams of this process, grouped by visitor. Delivery is by cursor:
 * each stream holds the id of the last message it wrote, and on every `message` event its visitor's
 * group reads the database once, after the smallest cursor among its streams, and writes each
 * stream what lies beyond its own cursor. Reads of one group never overlap (a read asked for while
 * one runs is done once more after it), and a stream joins the group before its first read, so a
 * message committed at any moment is read by some read that starts after the commit. Nothing is
 * marked delivered: a stream cut off mid-write is resumed from the client's cursor (`Last-Event-ID`).
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../src/core/ports.js';
import type { StoredMessage } from '../../src/core/types.js';
import type { LiveEvent, LiveEvents } from './live-events.js';

/** One message as the history and the stream carry it. */
export interface HistoryItem {
  id: number;
  message: string;
  date_create: string;
  user: StoredMessage['author'];
}

export function toHistoryItem(m: StoredMessage): HistoryItem {
  return { id: Number(m.id), message: m.text, date_create: m.createdAt.toISOString(), user: m.author };
}

/** The opaque cursor after message `id` (the stream's event id and the history's `cursor`). */
export function encodeCursor(id: string): string {
  return Buffer.from(`m${id}`).toString('base64url');
}

/** The message id a cursor stands for, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const match = /^m(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  return match?.[1];
}

export interface StreamHubDeps {
  read(chatId: string, afterId: string | null, limit: number): Promise<StoredMessage[]>;
  events: LiveEvents;
  logger: Logger;
}

export interface StreamHubOptions {
  /** How often a comment line keeps idle streams (and proxies in between) open, ms. @defaultValue 25000 */
  heartbeatMs?: number;
  /** Messages read per query. @defaultValue 100 */
  pageSize?: number;
}

interface Stream {
  res: ServerResponse;
  /** The last message id written to this stream, or null before the first. */
  cursor: string | null;
}

interface Group {
  streams: Set<Stream>;
  reading: boolean;
  again: boolean;
  unsubscribe: () => void;
}

export interface StreamHub {
  /** Serves `res` as the visitor's stream from `afterId` until the client goes away or the hub closes. */
  open(chatId: string, res: ServerResponse, afterId: string | null): void;
  /** Open streams in this process. */
  size(): number;
  /** Ends every stream (shutdown: the HTTP server waits for open responses). */
  close(): void;
}

const idOrder = (a: string | null, b: string | null) => Number(a ?? 0) - Number(b ?? 0);

/** Bytes a stream may have waiting unsent before it is cut: a client that stopped reading resumes by cursor. */
const MAX_BUFFERED_BYTES = 256 * 1024;

function send(res: ServerResponse, chunk: string): void {
  if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  else res.write(chunk);
}

export function createStreamHub(deps: StreamHubDeps, options: StreamHubOptions = {}): StreamHub {
  const groups = new Map<string, Group>();
  const pageSize = options.pageSize ?? 100;
  let open = 0;

  const heartbeat = setInterval(() => {
    for (const group of groups.values()) for (const stream of group.streams) send(stream.res, ': ping\n\n');
  }, options.heartbeatMs ?? 25_000);
  heartbeat.unref();

  function writeMessages(stream: Stream, messages: StoredMessage[]): void {
    let chunk = '';
    for (const m of messages) {
      if (idOrder(m.id, stream.cursor) <= 0) continue;
      chunk += `id: ${encodeCursor(m.id)}\nevent: message\ndata: ${JSON.stringify(toHistoryItem(m))}\n\n`;
      stream.cursor = m.id;
    }
    if (chunk) send(stream.res, chunk);
  }

  async function pull(chatId: string, group: Group): Promise<void> {
    if (group.reading) {
      group.again = true;
      return;
    }
    group.reading = true;
    try {
      do {
        group.again = false;
        for (;;) {
          const streams = [...group.streams];
          if (streams.length === 0) return;
          const from = streams.map((s) => s.cursor).sort(idOrder)[0] ?? null;
          const page = await deps.read(chatId, from, pageSize);
          for (const stream of streams) if (group.streams.has(stream)) writeMessages(stream, page);
          if (page.length < pageSize) break;
        }
      } while (group.again);
    } catch (error) {
      // The client reconnects with its cursor; ending the streams is simpler than a retry timer per group.
      deps.logger.warn({ err: error, streams: group.streams.size }, 'stream read failed; streams closed for the clients to resume');
      for (const stream of group.streams) stream.res.end();
    } finally {
      group.reading = false;
    }
  }

  function onEvent(chatId: string, group: Group, event: LiveEvent): void {
    if (event === 'typing') {
      for (const stream of group.streams) send(stream.res, 'event: typing\ndata: {}\n\n');
      return;
    }
    void pull(chatId, group);
  }

  return {
    open(chatId, res, afterId) {
      let group = groups.get(chatId);
      if (!group) {
        const created: Group = { streams: new Set(), reading: false, again: false, unsubscribe: () => undefined };
        created.unsubscribe = deps.events.subscribe(chatId, (event) => onEvent(chatId, created, event));
        groups.set(chatId, created);
        group = created;
      }
      const stream: Stream = { res, cursor: afterId };
      const joined = group;
      joined.streams.add(stream);
      open += 1;
      res.on('close', () => {
        if (!joined.streams.delete(stream)) return;
        open -= 1;
        if (joined.streams.size === 0 && groups.get(chatId) === joined) {
          joined.unsubscribe();
          groups.delete(chatId);
        }
      });
      void pull(chatId, joined);
    },
    size: () => open,
    close() {
      clearInterval(heartbeat);
      for (const group of groups.values()) {
        group.unsubscribe();
        for (const stream of group.streams) stream.res.end();
      }
      groups.clear();
    },
  };
}
