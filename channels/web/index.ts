/** The web chat channel: its routes (for the HTTP app), its outbox (for the core) and its streams. */
import type { Channel } from '../../src/channel.js';
import type { StoredMessage } from '../../src/core/types.js';
import type { LiveEvents } from './live-events.js';
import { createLiveRoutes } from './live-routes.js';
import { createWebOutbox } from './outbox.js';
import { createWebRoutes, type WebRoutesDeps, type WebRoutesOptions } from './routes.js';
import { createStreamHub } from './stream-hub.js';
import { createWidgetRoutes } from './widget.js';

export interface WebChannelDeps extends WebRoutesDeps {
  /** The visitor's conversation after a message id, oldest first (ConversationStore.messagesSince). */
  read(chatId: string, afterId: string | null, limit: number): Promise<StoredMessage[]>;
  events: LiveEvents;
}

export interface WebChannel extends Channel {
  /** Open streams in this process. */
  streams(): number;
  /** Ends every open stream; call before closing the HTTP server, which waits for open responses. */
  closeStreams(): void;
}

/**
 * The web chat: the chat API (the original polling routes, history, stream, widget config), the
 * widget script and the demo shop page (routers), and its outbox for the core. Pulled, so nothing to start.
 */
export function createWebChannel(deps: WebChannelDeps, options: WebRoutesOptions): WebChannel {
  const hub = createStreamHub({ read: deps.read, events: deps.events, logger: deps.logger });
  // The visitor's own message shows live in their other tabs too; best effort, like every event.
  const receive: WebRoutesDeps['receive'] = async (message, receiveOptions) => {
    const received = await deps.receive(message, receiveOptions);
    if (!received.duplicate) deps.events.publish(message.address.chatId, 'message').catch(() => undefined);
    return received;
  };
  const chat = createWebRoutes({ ...deps, receive }, options);
  return {
    name: 'web',
    routers: [
      chat.router,
      createLiveRoutes({ read: deps.read, hub, limits: deps.limits, text: deps.text }, { maxMessageChars: options.maxMessageChars }),
      createWidgetRoutes(),
    ],
    fastRoutes: chat.fastRoutes,
    outbox: createWebOutbox(deps.signal, deps.events),
    queues: [],
    async start() {},
    async stop() {
      hub.close();
    },
    streams: () => hub.size(),
    closeStreams: () => hub.close(),
  };
}

export { createRedisReplySignal, createMemoryReplySignal, type ReplySignal } from './reply-signal.js';
export { createRedisLiveEvents, createMemoryLiveEvents, type LiveEvents } from './live-events.js';
export { createWebRateLimits, type WebRateLimits } from './rate-limits.js';
