/**
 * A count per key per minute (rate-limiter-flexible), in Redis when configured so that every
 * process shares it, in this process otherwise. Keys are hashed before they reach Redis: some are
 * secrets (chat-tokens) and none needs to be readable there.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../core/errors.js';

export interface KeyedLimitOptions {
  /** Short name, part of the Redis key: `<keyPrefix>:rl:<name>:<hash>`. */
  name: string;
  /** Points per minute. */
  perMinute: number;
  /** Shared counters; unset: this process only. */
  redis?: Redis;
  keyPrefix: string;
}

export interface KeyedLimit {
  /** Counts one for `key`; throws RateLimitedError(code) over the limit. A failing store lets it through. */
  consume(key: string, code: string, what: string): Promise<void>;
  /** Counts one for `key`; false over the limit (a failing store counts as within it). */
  take(key: string): Promise<boolean>;
}

/** The Redis form of a key: a hash, never the key itself. */
export function hashedKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 27);
}

export function createKeyedLimit(options: KeyedLimitOptions): KeyedLimit {
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: `${options.keyPrefix}:rl:${options.name}`,
        points: options.perMinute,
        duration: 60,
        // While Redis is unreachable, count in this process instead.
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: options.name, points: options.perMinute, duration: 60 }),
      })
    : new RateLimiterMemory({ keyPrefix: options.name, points: options.perMinute, duration: 60 });

  async function check(key: string): Promise<RateLimiterRes | undefined> {
    try {
      await limiter.consume(hashedKey(key));
      return undefined;
    } catch (rejection) {
      // The limiter's store failed: let the request through rather than refuse everyone.
      return rejection instanceof RateLimiterRes ? rejection : undefined;
    }
  }
  return {
    async consume(key, code, what) {
      const over = await check(key);
      if (over) throw new RateLimitedError(code, `${what}: too many requests`, over.msBeforeNext);
    },
    async take(key) {
      return (await check(key)) === undefined;
    },
  };
}
