/** The web chat channel: its routes (for the HTTP app) and its outbox (for the core). */
import type { Router } from 'express';
import type { ChannelOutbox } from '../../src/core/ports.js';
import { createWebOutbox } from './outbox.js';
import { createWebRoutes, type WebRoutesDeps, type WebRoutesOptions } from './routes.js';
import { createWidgetRoutes } from './widget.js';

export interface WebChannel {
  /** The chat API. */
  router: Router;
  /** The demo chat page at `/`. */
  widget: Router;
  outbox: ChannelOutbox;
}

export function createWebChannel(deps: WebRoutesDeps, options: WebRoutesOptions): WebChannel {
  return {
    router: createWebRoutes(deps, options),
    widget: createWidgetRoutes(deps.text, options.maxMessageChars),
    outbox: createWebOutbox(deps.signal),
  };
}

export { createRedisReplySignal, createMemoryReplySignal, type ReplySignal } from './reply-signal.js';
export { createWebRateLimits, type WebRateLimits } from './rate-limits.js';
