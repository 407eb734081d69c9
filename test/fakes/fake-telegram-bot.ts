/**
 * One bot of the fake Telegram server: its update queue (long-polled `getUpdates` confirmed by
 * `offset`, or pushed to its webhook), `allowed_updates`, scripted failures, and the test-facing
 * view. The server (fake-telegram.ts) routes `/bot<token>/<method>` here.
 */
import type { ServerResponse } from 'node:http';
import type { Message, Update, User, UserFromGetMe } from 'grammy/types';
import { botUser, chatOf, createMessageBook } from './fake-telegram-messages.js';
import type { CallbackAnswer, FakeTelegram, FakeUser, Failure, RecordedCall, SentMessage } from './fake-telegram-types.js';
import { ALL_DEFAULT_UPDATES, readAllowedUpdates, type Answer } from './telegram-wire.js';

const CONFLICT_OTHER_POLLER = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** What the server shares with its bots. */
export interface ServerSide {
  url: string;
  webhookRetryMs: number;
  unrouted: RecordedCall[];
  isClosed(): boolean;
  addBot: FakeTelegram['addBot'];
  close(): Promise<void>;
}

export interface FakeBot {
  view: FakeTelegram;
  /** Answers one routed call (a long poll answers later). */
  handle(record: RecordedCall, res: ServerResponse): void;
  /** Ends a waiting long poll (on close). */
  stop(): void;
}

/** Writes the Bot API envelope for `outcome` and marks `record` answered. */
export function writeAnswer(res: ServerResponse, record: RecordedCall, outcome: Answer): void {
  record.answered = true;
  if ('error' in outcome) record.errorCode = outcome.error;
  const body =
    'error' in outcome
      ? { ok: false, error_code: outcome.error, description: outcome.description, ...(outcome.retryAfter ? { parameters: { retry_after: outcome.retryAfter } } : {}) }
      : { ok: true, result: outcome.result };
  res.writeHead('error' in outcome ? outcome.error : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const isTrue = (value: unknown) => value === true || value === 'true';

export function createFakeBot(bot: UserFromGetMe, token: string, server: ServerSide): FakeBot {
  const calls: RecordedCall[] = [];
  const deliveries: Array<{ updateId: number; status: number }> = [];
  const pending: Update[] = [];
  const failures = new Map<string, Failure[]>();
  const blocked = new Set<string>();
  const listeners = new Set<() => void>();
  const messageIds = new Map<string, number>();
  let nextUpdateId = 100_000;
  let allowed = ALL_DEFAULT_UPDATES;
  let webhook: { url: string; secret?: string } | undefined;
  let poller: { respond: (updates: Update[] | 'conflict') => void } | undefined;
  let pushing = false;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const nextMessageId = (chatId: string) => {
    const id = (messageIds.get(chatId) ?? 0) + 1;
    messageIds.set(chatId, id);
    return id;
  };
  const book = createMessageBook(bot, blocked, nextMessageId);
  /** Telegram never delivers kinds outside `allowed_updates`: they count as confirmed. */
  const dropUnwanted = () => {
    for (let i = pending.length - 1; i >= 0; i--) if (!allowed(pending[i] as Update)) pending.splice(i, 1);
  };
  const setAllowed = (value: unknown) => {
    allowed = readAllowedUpdates(value) ?? allowed;
  };

  function pushUpdate(partial: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const update = { ...partial, update_id: partial.update_id ?? nextUpdateId++ } as Update;
    pending.push(update);
    if (poller) {
      dropUnwanted();
      if (pending.length) poller.respond(pending.slice(0, 100));
    }
    void pushToWebhook();
    return update;
  }

  const userOf = (id: number, from?: FakeUser): User => ({ id, is_bot: false, first_name: 'Анна', username: `user${id}`, language_code: 'ru', ...from });

  function pushMessage(chatId: number, content: Partial<Message>, chatType: 'private' | 'group' | 'supergroup' = 'private'): Update {
    const from = userOf(chatId);
    const chat = chatType === 'private' ? chatOf(chatId, from) : { id: -chatId, type: chatType, title: 'Group' };
    const message = { message_id: nextMessageId(String(chat.id)), from, chat, date: Math.floor(Date.now() / 1000), ...content };
    return pushUpdate({ message } as Omit<Update, 'update_id'>);
  }

  function pushMyChatMember(userId: number, status: 'kicked' | 'member', from?: FakeUser): Update {
    const user = userOf(userId, from);
    const member = (s: 'kicked' | 'member') => (s === 'kicked' ? { user: botUser(bot), status: s, until_date: 0 } : { user: botUser(bot), status: s });
    if (status === 'kicked') blocked.add(String(userId));
    else blocked.delete(String(userId));
    const old = status === 'kicked' ? 'member' : 'kicked';
    return pushUpdate({
      my_chat_member: { chat: chatOf(userId, user), from: user, date: Math.floor(Date.now() / 1000), old_chat_member: member(old), new_chat_member: member(status) },
    } as Omit<Update, 'update_id'>);
  }

  async function post(update: Update): Promise<number> {
    const target = webhook;
    if (!target) return 0;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.secret) headers['x-telegram-bot-api-secret-token'] = target.secret;
    const status = await fetch(target.url, { method: 'POST', headers, body: JSON.stringify(update) })
      .then(async (res) => (await res.arrayBuffer(), res.status))
      .catch(() => 0);
    deliveries.push({ updateId: update.update_id, status });
    notify();
    return status;
  }

  /** Pushes pending updates one at a time, in order; a failed POST is retried after a pause. */
  async function pushToWebhook(): Promise<void> {
    if (pushing) return;
    pushing = true;
    try {
      while (webhook && !server.isClosed() && (dropUnwanted(), pending.length)) {
        const update = pending[0] as Update;
        const status = await post(update);
        if (status >= 200 && status < 300) pending.shift();
        else await new Promise((resolve) => setTimeout(resolve, server.webhookRetryMs));
      }
    } finally {
      pushing = false;
    }
  }

  function getUpdates(record: RecordedCall, res: ServerResponse): Answer | undefined {
    const { params } = record;
    if (webhook) return { error: 409, description: CONFLICT_WEBHOOK };
    setAllowed(params.allowed_updates);
    const offset = Number(params.offset ?? 0);
    // Every update below the offset is confirmed: Telegram forgets it.
    while (pending.length && (pending[0] as Update).update_id < offset) pending.shift();
    dropUnwanted();
    const limit = Math.min(Number(params.limit ?? 100) || 100, 100);
    if (pending.length || !Number(params.timeout)) return { result: pending.slice(0, limit) };
    if (poller) poller.respond('conflict');
    const waiting = {
      respond: (updates: Update[] | 'conflict') => {
        clearTimeout(timer);
        if (poller === waiting) poller = undefined;
        if (res.writableEnded || res.destroyed) return;
        if (updates === 'conflict') answer(res, record, { error: 409, description: CONFLICT_OTHER_POLLER });
        else answer(res, record, { result: updates.slice(0, limit) });
      },
    };
    const timer = setTimeout(() => waiting.respond([]), Math.min(Number(params.timeout), 50) * 1000);
    res.on('close', () => {
      clearTimeout(timer);
      if (poller === waiting) poller = undefined;
    });
    poller = waiting;
    return undefined;
  }

  function setWebhook(record: RecordedCall): Answer {
    const { params } = record;
    const url = String(params.url ?? '');
    if (!url) {
      webhook = undefined;
      return { result: true };
    }
    const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return { error: 400, description: 'Bad Request: secret token contains unallowed characters' };
    if (isTrue(params.drop_pending_updates)) pending.length = 0;
    setAllowed(params.allowed_updates);
    webhook = { url, secret };
    poller?.respond('conflict');
    void pushToWebhook();
    return { result: true };
  }

  function call(record: RecordedCall, res: ServerResponse): Answer | undefined {
    const { method, params } = record;
    switch (method) {
      case 'getMe':
        return { result: bot };
      case 'getUpdates':
        return getUpdates(record, res);
      case 'setWebhook':
        return setWebhook(record);
      case 'deleteWebhook':
        if (isTrue(params.drop_pending_updates)) pending.length = 0;
        webhook = undefined;
        return { result: true };
      case 'getWebhookInfo':
        return { result: { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: pending.length } };
      case 'setMyCommands':
        if (!Array.isArray(params.commands) && typeof params.commands !== 'string') return { error: 400, description: 'Bad Request: commands must be an array' };
        return { result: true };
      case 'sendChatAction':
        if (blocked.has(String(params.chat_id))) return { error: 403, description: 'Forbidden: bot was blocked by the user' };
        return { result: true };
      case 'sendMessage':
        return book.sendMessage(params);
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return book.edit(method, params);
      case 'answerCallbackQuery':
        return book.answerCallbackQuery(params);
      default:
        return { error: 404, description: 'Not Found: method not found' };
    }
  }

  function answer(res: ServerResponse, record: RecordedCall, outcome: Answer): void {
    writeAnswer(res, record, outcome);
    notify();
  }

  function handle(record: RecordedCall, res: ServerResponse): void {
    calls.push(record);
    const scripted = failures.get(record.method)?.shift();
    if (scripted) {
      const description = scripted.code === 429 ? `Too Many Requests: retry after ${scripted.retryAfter}` : (scripted.description ?? `Error ${scripted.code}`);
      return answer(res, record, { error: scripted.code, description, retryAfter: scripted.code === 429 ? scripted.retryAfter : undefined });
    }
    const outcome = call(record, res);
    if (outcome) answer(res, record, outcome);
    else notify();
  }

  const chatKey = (chatId: number | string) => String(chatId);
  const waitFor = (predicate: () => boolean, timeoutMs = 10_000, what = 'condition') =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`fake Telegram @${bot.username}: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  const sentTo = (chatId: number | string): SentMessage[] => book.sent.filter((m) => m.chatId === chatKey(chatId));

  const view: FakeTelegram = {
    url: server.url,
    token,
    bot,
    calls,
    sent: book.sent,
    edits: book.edits,
    callbackAnswers: book.callbackAnswers,
    unrouted: server.unrouted,
    deliveries,
    get webhook() {
      return webhook;
    },
    addBot: (options) => server.addBot(options),
    pushUpdate,
    pushMessage,
    pushText: (chatId, text, from) => pushMessage(chatId, { text, ...(from ? { from: { id: chatId, is_bot: false, first_name: 'Анна', ...from } } : {}) }),
    pushCallback: (fromUserId, message, data, from) => pushUpdate({ callback_query: book.callbackQuery(userOf(fromUserId, from), message, data) }),
    pushMyChatMember,
    redeliver: (update) => post(update),
    failNext: (method, failure, times = 1) => void failures.set(method, [...(failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]),
    blockChat: (chatId) => void blocked.add(chatKey(chatId)),
    sentTo,
    messageById: (chatId, messageId) => book.messageById(chatId, messageId),
    waitForSent(chatId, count, timeoutMs = 10_000) {
      return waitFor(() => sentTo(chatId).length >= count, timeoutMs, `${count} messages to chat ${chatId}`).then(() => sentTo(chatId));
    },
    waitForCallbackAnswer(callbackQueryId, timeoutMs = 10_000) {
      const found = () => book.callbackAnswers.find((a) => a.callbackQueryId === callbackQueryId);
      return waitFor(() => found() !== undefined, timeoutMs, `an answer to callback query ${callbackQueryId}`).then(() => found() as CallbackAnswer);
    },
    waitFor,
    close: () => server.close(),
  };

  return { view, handle, stop: () => poller?.respond([]) };
}
