import type { ChannelOutbox } from '../../src/core/ports.js';
import type { ReplySignal } from './reply-signal.js';

/**
 * The web channel is pulled: replies wait in the database for the widget's next poll. Delivering
 * only bumps the visitor's reply signal, so that poll knows to look.
 */
export function createWebOutbox(signal: ReplySignal): ChannelOutbox {
  return {
    channel: 'web',
    async deliver(to) {
      await signal.bump(to.chatId);
    },
  };
}
