import type { ChannelOutbox } from '../../src/core/ports.js';
import type { LiveEvents } from './live-events.js';
import type { ReplySignal } from './reply-signal.js';

/**
 * The web channel is pulled: replies wait in the database for the widget's next poll or stream
 * read. Delivering only bumps the visitor's reply signal, so that poll knows to look, and tells the
 * visitor's open streams to read. "Typing" is an event to the streams and nothing more.
 */
export function createWebOutbox(signal: ReplySignal, events: LiveEvents): ChannelOutbox {
  return {
    channel: 'web',
    async deliver(to) {
      // Both, even when one fails: the poll's mark and the streams do not depend on each other.
      const results = await Promise.allSettled([signal.bump(to.chatId), events.publish(to.chatId, 'message')]);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    async showTyping(to) {
      await events.publish(to.chatId, 'typing');
    },
  };
}
