/** The web chat channel: its routes (for the HTTP app) and its outbox (for the core). */
import type { Channel } from '../../src/channel.js';
import { createWebOutbox } from './outbox.js';
import { createWebRoutes, type WebRoutesDeps, type WebRoutesOptions } from './routes.js';
import { createWidgetRoutes } from './widget.js';

/** The web chat: the chat API and the demo page (routers), and its outbox for the core. Pulled, so nothing to start. */
export function createWebChannel(deps: WebRoutesDeps, options: WebRoutesOptions): Channel {
  return {
    name: 'web',
    routers: [createWebRoutes(deps, options), createWidgetRoutes(deps.text, options.maxMessageChars)],
    outbox: createWebOutbox(deps.signal),
    queues: [],
    async start() {},
    async stop() {},
  };
}

export { createRedisReplySignal, createMemoryReplySignal, type ReplySignal } from './reply-signal.js';
export { createWebRateLimits, type WebRateLimits } from './rate-limits.js';
