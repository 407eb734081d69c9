/** The shapes the fake Telegram Bot API shows tests: recorded calls, sent messages, and one bot's view. */
import type { Message, MessageEntity, Update, UserFromGetMe } from 'grammy/types';
import type { Params } from './telegram-wire.js';

/** One Bot API call as the fake received it (recorded on arrival: a long poll shows while it waits). */
export interface RecordedCall {
  method: string;
  params: Params;
  at: number;
  /** Set once answered. */
  answered?: boolean;
  /** The `error_code` answered, or undefined for `ok: true` (and while unanswered). */
  errorCode?: number;
}

/** What a message shows at one moment. */
export interface MessageContent {
  /** The `text` parameter as sent (HTML in HTML mode). */
  raw: string;
  /** The visible text after entity parsing. */
  text: string;
  parseMode?: string;
  /** The parsed `reply_markup` (an inline keyboard: `{ inline_keyboard: [[{ text, callback_data }]] }`). */
  replyMarkup?: unknown;
  /** Entities as Telegram derives them from the HTML. */
  entities?: MessageEntity[];
  at: number;
}

/** A message the bot sent, as the user sees it now (edits change it in place). */
export interface SentMessage extends MessageContent {
  chatId: string;
  /** The `message_id` Telegram answered: what `editMessageText` and callbacks refer to. */
  messageId: number;
  /** Earlier contents replaced by edits, oldest first; empty if never edited. */
  history: MessageContent[];
}

/** An accepted `editMessageText`/`editMessageReplyMarkup`, with the content after it. */
export interface RecordedEdit extends MessageContent {
  method: 'editMessageText' | 'editMessageReplyMarkup';
  chatId: string;
  messageId: number;
}

/** An accepted `answerCallbackQuery`. */
export interface CallbackAnswer {
  callbackQueryId: string;
  text?: string;
  showAlert: boolean;
  url?: string;
  at: number;
}

/** A scripted answer for the next calls of one method. */
export type Failure = { code: 429; retryAfter: number } | { code: 400 | 401 | 403 | 500 | 502; description?: string };

/** Who a pushed update comes from (defaults: first name Анна, username user<id>). */
export interface FakeUser {
  first_name?: string;
  last_name?: string;
  username?: string;
}

/**
 * One bot of the fake, addressed by its token. Every bot of one server shares `url`; its calls,
 * updates, webhook, messages and failures are its own, as with the real Telegram.
 */
export interface FakeTelegram {
  /** The API root to pass as `TELEGRAM_API_ROOT` (the same for every bot of the server). */
  readonly url: string;
  /** This bot's token; any other token not added with `addBot` answers 401 Unauthorized. */
  readonly token: string;
  readonly bot: UserFromGetMe;
  readonly calls: RecordedCall[];
  /** Every message sent, oldest first, in its current (possibly edited) state. */
  readonly sent: SentMessage[];
  /** Accepted edits, oldest first. */
  readonly edits: RecordedEdit[];
  /** Accepted callback-query answers, oldest first. */
  readonly callbackAnswers: CallbackAnswer[];
  /** Calls to a token of no bot on this server (answered 401), shared by all bots. */
  readonly unrouted: RecordedCall[];
  /** Webhook POSTs made: the update id and the HTTP status the app answered (0: unreachable). */
  readonly deliveries: Array<{ updateId: number; status: number }>;
  readonly webhook: { url: string; secret?: string } | undefined;
  /** Adds a bot to the same server (id default: the next free one; username default `fake_bot_<id>`). */
  addBot(options?: { username?: string; id?: number; firstName?: string }): FakeTelegram;
  /** Queues an update (numbered if `update_id` is missing) for `getUpdates` or the webhook. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update;
  /** A private-chat text message from user `chatId` (a new message id each time), queued. */
  pushText(chatId: number, text: string, from?: FakeUser): Update;
  /** A private-chat message with other content (a sticker, a photo…), queued. */
  pushMessage(chatId: number, content: Partial<Message>, chatType?: 'private' | 'group' | 'supergroup'): Update;
  /**
   * User `fromUserId` presses the inline button with `data` under `message` (one this bot sent):
   * queues a `callback_query` update; its `callback_query.id` is what `answerCallbackQuery` takes.
   */
  pushCallback(fromUserId: number, message: SentMessage, data: string, from?: FakeUser): Update;
  /**
   * User `userId` blocks (`kicked`) or unblocks (`member`) the bot in their private chat: queues a
   * `my_chat_member` update, and sends to the chat answer 403 until unblocked.
   */
  pushMyChatMember(userId: number, status: 'kicked' | 'member', from?: FakeUser): Update;
  /** POSTs `update` to the webhook once more, as Telegram does after a slow answer; resolves with the status. */
  redeliver(update: Update): Promise<number>;
  /** The next `times` calls of `method` fail with `failure`. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Every send to this chat answers 403 "bot was blocked by the user". */
  blockChat(chatId: number | string): void;
  /** Messages sent to `chatId`, oldest first. */
  sentTo(chatId: number | string): SentMessage[];
  /** The message `messageId` of chat `chatId` this bot sent, in its current state. */
  messageById(chatId: number | string, messageId: number): SentMessage | undefined;
  /** Resolves once `count` messages were sent to `chatId`; rejects after `timeoutMs` (default 10 s). */
  waitForSent(chatId: number | string, count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Resolves with the answer to callback query `callbackQueryId` once given; rejects after `timeoutMs`. */
  waitForCallbackAnswer(callbackQueryId: string, timeoutMs?: number): Promise<CallbackAnswer>;
  /** Resolves once `predicate` holds (checked on every call and delivery); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  /** Stops the whole server, every bot on it (whichever bot's view it is called on); idempotent. */
  close(): Promise<void>;
}
