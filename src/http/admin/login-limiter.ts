/**
 * Login attempts: failed ones are counted per address and per address+name (rate-limiter-flexible,
 * in Redis when configured so every api process shares the counts). Past the limit the form is
 * refused with 429 until the window passes, even for the right password, so guessing gains nothing.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LoginLimiterOptions {
  /** Failed attempts for one name from one address in the window. @defaultValue 5 */
  perUser?: number;
  /** Failed attempts from one address, any names, in the window. @defaultValue 20 */
  perAddress?: number;
  /** The window, seconds. @defaultValue 900 */
  windowSeconds?: number;
  redis?: Redis;
  keyPrefix: string;
}

export interface LoginLimiter {
  /** Ms until this address may try this name again; 0 when it may now. */
  blockedFor(address: string, username: string): Promise<number>;
  failed(address: string, username: string): Promise<void>;
  succeeded(address: string, username: string): Promise<void>;
}

export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  const duration = options.windowSeconds ?? 900;
  const make = (name: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${options.keyPrefix}:rl:${name}`, points, duration })
      : new RateLimiterMemory({ keyPrefix: name, points, duration });
  const perUser = make('admin-login-user', options.perUser ?? 5);
  const perAddress = make('admin-login-addr', options.perAddress ?? 20);
  const userKey = (address: string, username: string) => `${address}|${username.toLowerCase()}`;

  return {
    async blockedFor(address, username) {
      const [user, addr] = await Promise.all([perUser.get(userKey(address, username)), perAddress.get(address)]);
      const wait = (res: Awaited<ReturnType<RateLimiterAbstract['get']>>, limit: number) =>
        res && res.consumedPoints >= limit ? res.msBeforeNext : 0;
      return Math.max(wait(user, perUser.points), wait(addr, perAddress.points));
    },
    async failed(address, username) {
      // Rejections past the limit are expected here: the count is what matters.
      await Promise.allSettled([perUser.penalty(userKey(address, username)), perAddress.penalty(address)]);
    },
    async succeeded(address, username) {
      await perUser.delete(userKey(address, username)).catch(() => undefined);
    },
  };
}
