/**
 * The chat API's limits: messages per visitor, messages per address across all its tokens
 * (tokens are free to make; model calls are not), and requests (polls included) per address.
 * Shared through Redis when configured (src/limits/keyed-limit.ts; keys hashed there).
 */
import type { Redis } from 'ioredis';
import { createKeyedLimit } from '../../src/limits/keyed-limit.js';

export interface WebRateLimits {
  /** Counts one message from this visitor at this address; throws RateLimitedError over either limit. */
  message(token: string, address?: string): Promise<void>;
  /** Counts one chat-API request from this address; throws RateLimitedError over the limit. */
  request(address: string): Promise<void>;
}

export interface WebRateLimitOptions {
  messagesPerMinute: number;
  addressPerMinute: number;
  /** Messages one address may send a minute across all its tokens. @defaultValue unlimited */
  addressMessagesPerMinute?: number;
  /** Shared counters; unset: this process only. */
  redis?: Redis;
  keyPrefix: string;
}

export function createWebRateLimits(options: WebRateLimitOptions): WebRateLimits {
  const shared = { redis: options.redis, keyPrefix: options.keyPrefix };
  const perVisitor = createKeyedLimit({ name: 'msg', perMinute: options.messagesPerMinute, ...shared });
  const perAddress = createKeyedLimit({ name: 'addr', perMinute: options.addressPerMinute, ...shared });
  const perAddressMessages = options.addressMessagesPerMinute
    ? createKeyedLimit({ name: 'addrmsg', perMinute: options.addressMessagesPerMinute, ...shared })
    : undefined;
  return {
    async message(token, address) {
      // Both counted in one round trip (auto-pipelined); the address's refusal wins when both refuse.
      const [byAddress, byVisitor] = await Promise.allSettled([
        perAddressMessages && address ? perAddressMessages.consume(address, 'web.address_messages_rate_limited', 'send message') : undefined,
        perVisitor.consume(token, 'web.visitor_rate_limited', 'send message'),
      ]);
      if (byAddress.status === 'rejected') throw byAddress.reason;
      if (byVisitor.status === 'rejected') throw byVisitor.reason;
    },
    request: (address) => perAddress.consume(address, 'web.address_rate_limited', 'chat API'),
  };
}
