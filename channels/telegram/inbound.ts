/**
 * A Telegram update → what the channel does with it. Pure: no grammY runtime, no I/O, so the
 * mapping is unit-tested on saved payloads. Only private chats talk to the bot; everything else
 * (groups, channel posts, edits, service messages) is recognised and ignored, never a crash.
 */
import type { Message, Update } from 'grammy/types';
import { cleanCustomerText, isBlankText } from '../../src/core/customer-text.js';
import type { InboundMessage, SenderInfo } from '../../src/core/types.js';

/** A fixed text the channel answers with by itself (keys of the channel's texts, see texts.ts). */
export type TelegramReplyKey = 'greeting' | 'help' | 'unsupported' | 'rate_limited';

export type TelegramInbound =
  /** A customer's text for the core. */
  | { kind: 'message'; inbound: InboundMessage }
  /** `/operator` or the keyboard button: the customer asks for a person. */
  | { kind: 'ask_person'; inbound: InboundMessage }
  /** A command or a message the bot answers with a fixed text; `externalId` makes the reply idempotent. */
  | { kind: 'reply'; chatId: string; externalId: string; key: TelegramReplyKey }
  /** Nothing to do; `reason` is for the debug log. */
  | { kind: 'ignore'; reason: string };

export interface InboundOptions {
  /** The reply-keyboard button's label: a text equal to it asks for a person. */
  personButton: string;
  /** Longer texts are cut to this many characters, as the web chat refuses them (MAX_MESSAGE_CHARS). */
  maxChars: number;
}

/** Non-text content the bot cannot read; the customer is told so politely. */
const UNSUPPORTED: Array<keyof Message> = [
  'sticker',
  'photo',
  'voice',
  'video',
  'video_note',
  'audio',
  'document',
  'animation',
  'location',
  'venue',
  'contact',
  'poll',
  'dice',
  'story',
];

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)/;

/** Decides what to do with one update. */
export function classifyUpdate(update: Update, options: InboundOptions): TelegramInbound {
  if (update.edited_message || update.edited_business_message) return { kind: 'ignore', reason: 'edited message' };
  if (update.channel_post || update.edited_channel_post) return { kind: 'ignore', reason: 'channel post' };
  const message = update.message;
  if (!message) return { kind: 'ignore', reason: `update without a message (${updateType(update)})` };
  if (message.chat.type !== 'private') return { kind: 'ignore', reason: `${message.chat.type} chat` };

  const chatId = String(message.chat.id);
  const externalId = externalIdOf(message);
  const text = message.text === undefined ? undefined : cleanCustomerText(message.text);
  if (text && !isBlankText(text)) {
    const command = COMMAND.exec(text)?.[1]?.toLowerCase();
    if (command === 'start') return { kind: 'reply', chatId, externalId, key: 'greeting' };
    if (command === 'operator') return { kind: 'ask_person', inbound: toInbound(message, text, options) };
    if (command) return { kind: 'reply', chatId, externalId, key: 'help' };
    if (text === options.personButton.trim()) return { kind: 'ask_person', inbound: toInbound(message, text, options) };
    return { kind: 'message', inbound: toInbound(message, text, options) };
  }
  if (UNSUPPORTED.some((key) => message[key] !== undefined)) return { kind: 'reply', chatId, externalId, key: 'unsupported' };
  if (message.text !== undefined) return { kind: 'ignore', reason: 'text without visible characters' };
  return { kind: 'ignore', reason: 'service message' };
}

/**
 * The message's identity for deduplication. Telegram re-sends a webhook update it thinks was not
 * received, with the same `update_id` and the same message. `message_id` is unique within a chat
 * (our conversation) and, unlike `update_id`, never restarts at random after a week without
 * updates; the send date guards against a new bot token, whose chats number messages anew.
 */
export function externalIdOf(message: Pick<Message, 'message_id' | 'date'>): string {
  return `${message.message_id}-${message.date}`;
}

/** Name and username as operators will see them. */
export function senderOf(message: Pick<Message, 'from'>): SenderInfo | undefined {
  const from = message.from;
  if (!from) return undefined;
  const sender: SenderInfo = {};
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  if (name) sender.name = name;
  if (from.username) sender.username = from.username;
  return sender;
}

function toInbound(message: Message, text: string, options: InboundOptions): InboundMessage {
  const inbound: InboundMessage = {
    address: { channel: 'telegram', chatId: String(message.chat.id) },
    externalId: externalIdOf(message),
    text: [...text].length > options.maxChars ? [...text].slice(0, options.maxChars).join('') : text,
    at: new Date(message.date * 1000),
  };
  const sender = senderOf(message);
  if (sender) inbound.sender = sender;
  return inbound;
}

/** The update's payload field, for logs: `callback_query`, `my_chat_member`, … */
export function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'unknown';
}
