/**
 * Tells the web visitor's open streams that something happened: a message was stored for them
 * (`message`), or the model is writing (`typing`). An event carries no content: a stream reacts
 * to `message` by reading the database after the cursor it holds, so a lost or duplicated event
 * can delay a message but never lose or repeat one.
 *
 * With Redis, events go through one pub/sub channel, so a reply stored by any worker reaches a
 * stream held by any API process. A subscriber that reconnects may have missed events while it was
 * away, so every listener then gets `resync` (read again). Without Redis, events stay in this process.
 */
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from '../../src/core/ports.js';
import { signalKey } from './reply-signal.js';

/** What a stream is told: read the database (`message`, `resync`), or show "typing…". */
export type LiveEvent = 'message' | 'typing' | 'resync';

export interface LiveEvents {
  /** Tells every stream of this visitor, in any process; best effort (the database is the truth). */
  publish(chatId: string, event: 'message' | 'typing'): Promise<void>;
  /** Calls `listener` for each event of this visitor until the returned function is called. */
  subscribe(chatId: string, listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

function createLocalFanout() {
  const emitter = new EventEmitter();
  // One listener per open stream's visitor; thousands are expected, not a leak.
  emitter.setMaxListeners(0);
  let resyncListeners = new Set<(event: LiveEvent) => void>();
  return {
    emit: (key: string, event: LiveEvent) => emitter.emit(key, event),
    resyncAll: () => {
      for (const listener of resyncListeners) listener('resync');
    },
    add(key: string, listener: (event: LiveEvent) => void): () => void {
      emitter.on(key, listener);
      resyncListeners.add(listener);
      return () => {
        emitter.off(key, listener);
        resyncListeners.delete(listener);
      };
    },
    count: () => resyncListeners.size,
    clear: () => {
      emitter.removeAllListeners();
      resyncListeners = new Set();
    },
  };
}

/** For a single process: events go from the outbox to the streams in memory. */
export function createMemoryLiveEvents(): LiveEvents {
  const fanout = createLocalFanout();
  return {
    async publish(chatId, event) {
      fanout.emit(signalKey(chatId), event);
    },
    subscribe: (chatId, listener) => fanout.add(signalKey(chatId), listener),
    async close() {
      fanout.clear();
    },
  };
}

export interface RedisLiveEventsOptions {
  /** Publishes; a fail-fast connection (a request must not hang on Redis). */
  publisher: Redis;
  /** Makes the subscriber connection, on the first subscription only (worker processes never make one). */
  connectSubscriber: () => Redis;
  /** Key prefix (BULLMQ_PREFIX). */
  prefix: string;
  logger: Logger;
}

/** For several processes: one Redis pub/sub channel per deployment, fanned out locally by visitor. */
export function createRedisLiveEvents(options: RedisLiveEventsOptions): LiveEvents {
  const channel = `${options.prefix}:web:live`;
  const fanout = createLocalFanout();
  let subscriber: Redis | undefined;

  function ensureSubscriber(): void {
    if (subscriber) return;
    const redis = options.connectSubscriber();
    subscriber = redis;
    let connectedBefore = false;
    redis.on('message', (_channel: string, payload: string) => {
      const split = payload.indexOf(':');
      if (split > 0) fanout.emit(payload.slice(split + 1), payload.slice(0, split) as LiveEvent);
    });
    // ioredis re-subscribes by itself after a reconnect; events published meanwhile are gone.
    redis.on('ready', () => {
      if (connectedBefore) {
        options.logger.info({ streams: fanout.count() }, 'live events: subscriber reconnected; streams read again');
        fanout.resyncAll();
      }
      connectedBefore = true;
    });
    redis.subscribe(channel).catch((error: unknown) => options.logger.warn({ err: error }, 'live events: subscribe failed; retried on reconnect'));
  }

  return {
    async publish(chatId, event) {
      await options.publisher.publish(channel, `${event}:${signalKey(chatId)}`);
    },
    subscribe(chatId, listener) {
      ensureSubscriber();
      return fanout.add(signalKey(chatId), listener);
    },
    async close() {
      fanout.clear();
      subscriber?.disconnect();
      subscriber = undefined;
    },
  };
}
