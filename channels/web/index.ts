/** The web chat channel: its routes (for the HTTP app) and its outbox (for the core). */
import type { Router } from 'express';
import type { ChannelOutbox } from '../../src/core/ports.js';
import { createWebOutbox } from './outbox.js';
import { createWebRoutes, type WebRoutesDeps, type WebRoutesOptions } from './routes.js';

export interface WebChannel {
  router: Router;
  outbox: ChannelOutbox;
}

export function createWebChannel(deps: WebRoutesDeps, options: WebRoutesOptions): WebChannel {
  return { router: createWebRoutes(deps, options), outbox: createWebOutbox(deps.signal) };
}

export { createRedisReplySignal, createMemoryReplySignal, type ReplySignal } from './reply-signal.js';
export { createWebRateLimits, type WebRateLimits } from './rate-limits.js';
