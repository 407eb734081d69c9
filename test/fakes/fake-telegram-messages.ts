/**
 * One bot's messages in the fake Telegram: `sendMessage`, the edits (`editMessageText`,
 * `editMessageReplyMarkup`) and inline-button presses with `answerCallbackQuery`, checked and
 * answered as the Bot API does (https://core.telegram.org/bots/api#updating-messages).
 */
import type { CallbackQuery, Chat, Message, User, UserFromGetMe } from 'grammy/types';
import type { CallbackAnswer, MessageContent, RecordedEdit, SentMessage } from './fake-telegram-types.js';
import {
  BAD_CALLBACK_QUERY,
  checkReplyMarkup,
  checkSendMessage,
  checkText,
  EDIT_NOT_FOUND,
  NOT_MODIFIED,
  type Answer,
  type Params,
  type Refusal,
} from './telegram-wire.js';

const BLOCKED: Refusal = { error: 403, description: 'Forbidden: bot was blocked by the user' };

export interface MessageBook {
  readonly sent: SentMessage[];
  readonly edits: RecordedEdit[];
  readonly callbackAnswers: CallbackAnswer[];
  sendMessage(params: Params): Answer;
  edit(method: RecordedEdit['method'], params: Params): Answer;
  answerCallbackQuery(params: Params): Answer;
  /** A press of the button with `data` under `message` by `from`, awaiting its answer. */
  callbackQuery(from: User, message: SentMessage, data: string): CallbackQuery;
  messageById(chatId: number | string, messageId: number): SentMessage | undefined;
}

/** The chat a message of chat id `chatId` is in: a private chat for a user id, a group for a negative id. */
export function chatOf(chatId: number, user?: { first_name?: string; username?: string }): Chat {
  if (chatId < 0) return { id: chatId, type: String(chatId).startsWith('-100') ? 'supergroup' : 'group', title: 'Group' } as Chat;
  return { id: chatId, type: 'private', first_name: user?.first_name ?? 'Анна', ...(user?.username ? { username: user.username } : {}) };
}

/** `bot` as it appears in a message's `from`. */
export function botUser(bot: UserFromGetMe): User {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** `blocked` holds chat ids whose user blocked the bot; `nextMessageId` numbers each chat's messages. */
export function createMessageBook(bot: UserFromGetMe, blocked: ReadonlySet<string>, nextMessageId: (chatId: string) => number): MessageBook {
  const sent: SentMessage[] = [];
  const edits: RecordedEdit[] = [];
  const callbackAnswers: CallbackAnswer[] = [];
  const callbacks = new Map<string, { answered: boolean }>();
  let callbackSeq = 0;

  const messageById = (chatId: number | string, messageId: number) => sent.find((m) => m.chatId === String(chatId) && m.messageId === messageId);

  /** The Message object Telegram answers and puts into updates. */
  function toMessage(message: SentMessage): Message {
    const keyboard = message.replyMarkup && typeof message.replyMarkup === 'object' && 'inline_keyboard' in message.replyMarkup ? message.replyMarkup : undefined;
    return {
      message_id: message.messageId,
      from: botUser(bot),
      chat: chatOf(Number(message.chatId)),
      date: seconds(message.history[0]?.at ?? message.at),
      ...(message.history.length ? { edit_date: seconds(message.at) } : {}),
      text: message.text,
      ...(message.entities?.length ? { entities: message.entities } : {}),
      ...(keyboard ? { reply_markup: keyboard } : {}),
    } as Message;
  }

  function sendMessage(params: Params): Answer {
    const chatId = String(params.chat_id ?? '');
    if (blocked.has(chatId)) return BLOCKED;
    const checked = checkSendMessage(params);
    if ('error' in checked) return checked;
    const message: SentMessage = { chatId, messageId: nextMessageId(chatId), ...checked, at: Date.now(), history: [] };
    sent.push(message);
    return { result: toMessage(message) };
  }

  function edit(method: RecordedEdit['method'], params: Params): Answer {
    if (params.inline_message_id !== undefined) return { error: 400, description: 'Bad Request: the fake edits chat messages only (chat_id and message_id)' };
    if (!params.chat_id) return { error: 400, description: 'Bad Request: chat_id is empty' };
    const text = method === 'editMessageText' ? checkText(params) : undefined;
    if (text && 'error' in text) return text;
    const markup = checkReplyMarkup(params.reply_markup);
    if ('error' in markup) return markup;
    if (markup.replyMarkup !== undefined && !(typeof markup.replyMarkup === 'object' && 'inline_keyboard' in (markup.replyMarkup as object))) {
      return { error: 400, description: 'Bad Request: inline keyboard expected' };
    }
    const chatId = String(params.chat_id);
    if (blocked.has(chatId)) return BLOCKED;
    const message = messageById(chatId, Number(params.message_id));
    if (!message) return { error: 400, description: EDIT_NOT_FOUND };
    const { raw, text: visible, parseMode, entities } = text ?? message;
    // An edit without reply_markup removes the inline keyboard, as in Telegram.
    const next: MessageContent = { raw, text: visible, parseMode, entities, replyMarkup: markup.replyMarkup, at: Date.now() };
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    if (next.text === message.text && same(next.entities, message.entities) && same(next.replyMarkup, message.replyMarkup)) return { error: 400, description: NOT_MODIFIED };
    const { chatId: _c, messageId: _m, history: _h, ...before } = message;
    message.history.push(before);
    Object.assign(message, next);
    edits.push({ method, chatId, messageId: message.messageId, ...next });
    return { result: toMessage(message) };
  }

  function answerCallbackQuery(params: Params): Answer {
    const id = String(params.callback_query_id ?? '');
    const pending = callbacks.get(id);
    if (!pending || pending.answered) return { error: 400, description: BAD_CALLBACK_QUERY };
    pending.answered = true;
    const showAlert = params.show_alert === true || params.show_alert === 'true';
    callbackAnswers.push({
      callbackQueryId: id,
      ...(typeof params.text === 'string' ? { text: params.text } : {}),
      showAlert,
      ...(typeof params.url === 'string' ? { url: params.url } : {}),
      at: Date.now(),
    });
    return { result: true };
  }

  function callbackQuery(from: User, message: SentMessage, data: string): CallbackQuery {
    const mine = messageById(message.chatId, message.messageId);
    if (!mine) throw new Error(`fake Telegram: message ${message.messageId} in chat ${message.chatId} was not sent by @${bot.username}`);
    // Telegram's ids are 64-bit numbers as strings; the bot id keeps them apart across bots.
    const id = String(BigInt(bot.id) * 1_000_000_000n + BigInt(++callbackSeq));
    callbacks.set(id, { answered: false });
    const chat = Number(mine.chatId);
    // chat_instance is stable per chat (and opaque to bots).
    const chatInstance = `${chat < 0 ? '-7' : '-8'}${String(Math.abs(chat)).padStart(15, '0')}`;
    return { id, from, message: toMessage(mine), chat_instance: chatInstance, data } as CallbackQuery;
  }

  return { sent, edits, callbackAnswers, sendMessage, edit, answerCallbackQuery, callbackQuery, messageById };
}
