/**
 * An operators' bot update → what the desk does with it. Pure, like the customers' mapper: no
 * grammY runtime, no I/O. Only private chats count; the bot is not meant for groups.
 */
import type { Update } from 'grammy/types';
import type { OperatorIdentity } from '../../src/core/ports.js';

export type OperatorCommand = 'start' | 'stop' | 'finish' | 'help';

export type OperatorInbound =
  | { kind: 'command'; command: OperatorCommand; identity: OperatorIdentity; updateId: number }
  /** A text for the customer of the operator's conversation. */
  | { kind: 'text'; identity: OperatorIdentity; text: string; updateId: number }
  /** Content the desk cannot pass on (stickers, photos…). */
  | { kind: 'unsupported'; identity: OperatorIdentity; updateId: number }
  /** The invite's button. */
  | { kind: 'take'; handoffId: string; callbackId: string; identity: OperatorIdentity }
  /** The operator blocked the bot. */
  | { kind: 'blocked'; telegramUserId: string }
  | { kind: 'ignore'; reason: string };

/** The invite button's `callback_data`: `take:<handoff id>`. */
export const TAKE_PREFIX = 'take:';

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s|$)/;
const KNOWN: readonly OperatorCommand[] = ['start', 'stop', 'finish', 'help'];

export function classifyOperatorUpdate(update: Update, options: { maxChars: number }): OperatorInbound {
  const callback = update.callback_query;
  if (callback) {
    const identity = identityOf(callback.from, String(callback.message?.chat.id ?? callback.from.id));
    const data = callback.data ?? '';
    if (!data.startsWith(TAKE_PREFIX) || !/^\d+$/.test(data.slice(TAKE_PREFIX.length))) return { kind: 'ignore', reason: 'unknown button' };
    return { kind: 'take', handoffId: data.slice(TAKE_PREFIX.length), callbackId: callback.id, identity };
  }
  const member = update.my_chat_member;
  if (member) {
    if (member.chat.type === 'private' && member.new_chat_member.status === 'kicked') return { kind: 'blocked', telegramUserId: String(member.from.id) };
    return { kind: 'ignore', reason: `chat member ${member.new_chat_member.status}` };
  }
  const message = update.message;
  if (!message) return { kind: 'ignore', reason: 'not a message' };
  if (message.chat.type !== 'private' || !message.from) return { kind: 'ignore', reason: `${message.chat.type} chat` };
  const identity = identityOf(message.from, String(message.chat.id));
  const text = message.text?.trim();
  if (!text) return { kind: 'unsupported', identity, updateId: update.update_id };
  const command = COMMAND.exec(text)?.[1]?.toLowerCase();
  if (command) return { kind: 'command', command: KNOWN.includes(command as OperatorCommand) ? (command as OperatorCommand) : 'help', identity, updateId: update.update_id };
  const chars = [...text];
  return { kind: 'text', identity, text: chars.length > options.maxChars ? chars.slice(0, options.maxChars).join('') : text, updateId: update.update_id };
}

function identityOf(from: { id: number; first_name?: string; last_name?: string; username?: string }, chatId: string): OperatorIdentity {
  const identity: OperatorIdentity = { telegramUserId: String(from.id), chatId };
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  if (name) identity.name = name;
  if (from.username) identity.username = from.username;
  return identity;
}
