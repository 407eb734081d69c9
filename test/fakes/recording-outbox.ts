/** A ChannelOutbox that records what it was asked to deliver; `failing` makes every delivery throw. */
import type { ChannelOutbox } from '../../src/core/ports.js';
import type { ChannelId, ConversationAddress, OutboundMessage } from '../../src/core/types.js';

export class RecordingOutbox implements ChannelOutbox {
  readonly delivered: Array<{ to: ConversationAddress; message: OutboundMessage }> = [];
  readonly typing: ConversationAddress[] = [];
  failing = false;

  constructor(readonly channel: ChannelId = 'web') {}

  async deliver(to: ConversationAddress, message: OutboundMessage): Promise<void> {
    if (this.failing) throw new Error(`RecordingOutbox(${this.channel}): delivery refused`);
    this.delivered.push({ to: { ...to }, message: { ...message } });
  }

  async showTyping(to: ConversationAddress): Promise<void> {
    this.typing.push({ ...to });
  }

  /** The texts delivered so far, in order. */
  texts(): string[] {
    return this.delivered.map(({ message }) => message.text);
  }
}
