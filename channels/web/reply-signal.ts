/**
 * Lets an empty poll cost no database query. A per-visitor version is bumped after every reply is
 * stored; a poll that found nothing records the version it saw. The next poll skips the database
 * only while the version is still the one recorded, so a reply stored at any moment — before,
 * during or after the empty claim — changes the version and is claimed by the next poll. If the
 * bump itself is lost (a crash right after the commit, a Redis flush), the empty mark expires
 * after `emptyTtlSeconds` and the reply is claimed then: delayed, never lost.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ReplySignal {
  /** Called after a reply to this visitor is committed to the database. */
  bump(chatId: string): Promise<void>;
  /** The current version, and whether the last poll at this version found nothing. */
  read(chatId: string): Promise<{ version: string; knownEmpty: boolean }>;
  /** Records that a poll at `version` found nothing. */
  markEmpty(chatId: string, version: string): Promise<void>;
}

export interface ReplySignalOptions {
  /** How long an empty mark is trusted, seconds. @defaultValue 60 */
  emptyTtlSeconds?: number;
}

const UNKNOWN = 'unknown';

/** Visitors' tokens are secrets: keys (and live events, see live-events.ts) carry a hash, not the token. */
export function signalKey(chatId: string): string {
  return createHash('sha256').update(chatId).digest('base64url').slice(0, 27);
}

/** For several API processes: the marks live in Redis. */
export function createRedisReplySignal(redis: Redis, prefix: string, options: ReplySignalOptions = {}): ReplySignal {
  const ttl = options.emptyTtlSeconds ?? 60;
  const versionKey = (id: string) => `${prefix}:web:v:${id}`;
  const emptyKey = (id: string) => `${prefix}:web:e:${id}`;
  return {
    async bump(chatId) {
      const id = signalKey(chatId);
      await redis.multi().incr(versionKey(id)).expire(versionKey(id), 86_400).exec();
    },
    async read(chatId) {
      const id = signalKey(chatId);
      try {
        const [version, empty] = await redis.mget(versionKey(id), emptyKey(id));
        const current = version ?? '0';
        return { version: current, knownEmpty: empty === current };
      } catch {
        // Redis is away: ask the database, and mark nothing (an unreadable version proves nothing).
        return { version: UNKNOWN, knownEmpty: false };
      }
    },
    async markEmpty(chatId, version) {
      if (version === UNKNOWN) return;
      await redis.set(emptyKey(signalKey(chatId)), version, 'EX', ttl).catch(() => undefined);
    },
  };
}

/** For a single process: the same marks in a Map, pruned as they expire. */
export function createMemoryReplySignal(options: ReplySignalOptions = {}): ReplySignal & { close(): void } {
  const ttlMs = (options.emptyTtlSeconds ?? 60) * 1000;
  const entries = new Map<string, { version: number; emptyAt?: number; emptyUntil: number }>();
  const prune = setInterval(() => {
    const now = Date.now();
    // Dropping an entry only makes the next poll query the database: always safe.
    for (const [id, entry] of entries) if (entry.emptyUntil < now) entries.delete(id);
  }, ttlMs);
  prune.unref();
  return {
    async bump(chatId) {
      const id = signalKey(chatId);
      const entry = entries.get(id);
      if (entry) entry.version += 1;
      else entries.set(id, { version: 1, emptyUntil: 0 });
    },
    async read(chatId) {
      const entry = entries.get(signalKey(chatId));
      const version = String(entry?.version ?? 0);
      const knownEmpty = entry?.emptyAt !== undefined && entry.emptyUntil > Date.now() && String(entry.emptyAt) === version;
      return { version, knownEmpty };
    },
    async markEmpty(chatId, version) {
      const id = signalKey(chatId);
      const entry = entries.get(id) ?? { version: 0, emptyUntil: 0 };
      if (String(entry.version) !== version) return;
      entry.emptyAt = entry.version;
      entry.emptyUntil = Date.now() + ttlMs;
      entries.set(id, entry);
    },
    close: () => clearInterval(prune),
  };
}
