/**
 * The chat API's two limits: messages per visitor, and requests (polls included) per address.
 * rate-limiter-flexible, in Redis when configured so every API process shares the counts.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../src/core/errors.js';

export interface WebRateLimits {
  /** Counts one message from this visitor; throws RateLimitedError over the limit. */
  message(token: string): Promise<void>;
  /** Counts one chat-API request from this address; throws RateLimitedError over the limit. */
  request(address: string): Promise<void>;
}

export interface WebRateLimitOptions {
  messagesPerMinute: number;
  addressPerMinute: number;
  /** Shared counters; unset: this process only. */
  redis?: Redis;
  keyPrefix: string;
}

export function createWebRateLimits(options: WebRateLimitOptions): WebRateLimits {
  const make = (name: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({
          storeClient: options.redis,
          keyPrefix: `${options.keyPrefix}:rl:${name}`,
          points,
          duration: 60,
          // While Redis is unreachable, count in this process instead.
          insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points, duration: 60 }),
        })
      : new RateLimiterMemory({ keyPrefix: name, points, duration: 60 });
  const perVisitor = make('msg', options.messagesPerMinute);
  const perAddress = make('addr', options.addressPerMinute);

  async function consume(limiter: RateLimiterAbstract, key: string, code: string, what: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        throw new RateLimitedError(code, `${what}: too many requests`, rejection.msBeforeNext);
      }
      // The limiter's store failed: let the request through rather than refuse every visitor.
      return;
    }
  }
  return {
    message: (token) => consume(perVisitor, token, 'web.visitor_rate_limited', 'send message'),
    request: (address) => consume(perAddress, address, 'web.address_rate_limited', 'chat API'),
  };
}
