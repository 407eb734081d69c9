/**
 * Short leases by key, for the two things only one holder may do at a time: send to one chat (so
 * replies keep their order) and long-poll one bot token (Telegram answers a second poller with
 * 409). In Redis when configured, so every process shares them; in memory for a single process.
 */
import type { Redis } from 'ioredis';

export interface Locks {
  /** Takes `key` for `owner` for `ttlMs`; false when another owner holds it. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends `owner`'s hold for another `ttlMs`; false when it was lost (expired, taken over). */
  renew(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Lets go of `key` if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
}

// Compare-and-act in one step: only the owner may extend or delete its lease.
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Leases shared by every process on the Redis server; keys are put under `prefix`. */
export function createRedisLocks(redis: Redis, prefix: string): Locks {
  const full = (key: string) => `${prefix}:telegram:lock:${key}`;
  return {
    async acquire(key, owner, ttlMs) {
      return (await redis.set(full(key), owner, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async renew(key, owner, ttlMs) {
      return Number(await redis.eval(RENEW, 1, full(key), owner, String(ttlMs))) === 1;
    },
    async release(key, owner) {
      await redis.eval(RELEASE, 1, full(key), owner);
    },
  };
}

/** Leases within this process: enough when it is the only one (no REDIS_URL). */
export function createMemoryLocks(now: () => number = Date.now): Locks {
  const held = new Map<string, { owner: string; until: number }>();
  const holder = (key: string) => {
    const lease = held.get(key);
    if (lease && lease.until <= now()) held.delete(key);
    return held.get(key);
  };
  return {
    async acquire(key, owner, ttlMs) {
      const lease = holder(key);
      if (lease && lease.owner !== owner) return false;
      held.set(key, { owner, until: now() + ttlMs });
      return true;
    },
    async renew(key, owner, ttlMs) {
      if (holder(key)?.owner !== owner) return false;
      held.set(key, { owner, until: now() + ttlMs });
      return true;
    },
    async release(key, owner) {
      if (holder(key)?.owner === owner) held.delete(key);
    },
  };
}
