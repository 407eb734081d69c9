/**
 * A loopback stand-in for the Telegram Bot API (https://core.telegram.org/bots/api) for one bot.
 * It speaks the real wire format — `POST|GET /bot<token>/<method>` with JSON, form or query
 * parameters, answers `{ok, result}` or `{ok: false, error_code, description, parameters}` — and
 * keeps the semantics clients rely on: `getUpdates` long-polls, confirms by `offset` and answers a
 * rival poller with 409; `setWebhook` switches to pushing updates to the URL with the secret
 * header (re-sending until a 2xx); `sendMessage` checks the length and HTML entities. Tests inject
 * updates, script 429/403 failures and read every call back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Message, Update, UserFromGetMe } from 'grammy/types';
import { checkSendMessage, FAKE_BOT, readParams, type Answer, type Params } from './telegram-wire.js';

export type { Params } from './telegram-wire.js';

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

/** A message the bot sent, as the customer would see it. */
export interface SentMessage {
  chatId: string;
  /** The `text` parameter as sent (HTML in HTML mode). */
  raw: string;
  /** The visible text after entity parsing. */
  text: string;
  parseMode?: string;
  replyMarkup?: unknown;
  at: number;
}

/** A scripted answer for the next calls of one method. */
export type Failure = { code: 429; retryAfter: number } | { code: 400 | 401 | 403 | 500 | 502; description?: string };

export interface FakeTelegram {
  /** The API root to pass as `TELEGRAM_API_ROOT`. */
  readonly url: string;
  /** A token the fake accepts (any `<digits>:<secret>` token works). */
  readonly token: string;
  readonly bot: UserFromGetMe;
  readonly calls: RecordedCall[];
  readonly sent: SentMessage[];
  /** Webhook POSTs made: the update id and the HTTP status the app answered (0: unreachable). */
  readonly deliveries: Array<{ updateId: number; status: number }>;
  readonly webhook: { url: string; secret?: string } | undefined;
  /** Queues an update (numbered if `update_id` is missing) for `getUpdates` or the webhook. */
  pushUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update;
  /** A private-chat text message from user `chatId` (a new message id each time), queued. */
  pushText(chatId: number, text: string, from?: { first_name?: string; last_name?: string; username?: string }): Update;
  /** A private-chat message with other content (a sticker, a photo…), queued. */
  pushMessage(chatId: number, content: Partial<Message>, chatType?: 'private' | 'group' | 'supergroup'): Update;
  /** POSTs `update` to the webhook once more, as Telegram does after a slow answer; resolves with the status. */
  redeliver(update: Update): Promise<number>;
  /** The next `times` calls of `method` fail with `failure`. */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Every send to this chat answers 403 "bot was blocked by the user". */
  blockChat(chatId: number | string): void;
  /** Messages sent to `chatId`, oldest first. */
  sentTo(chatId: number | string): SentMessage[];
  /** Resolves once `count` messages were sent to `chatId`; rejects after `timeoutMs` (default 10 s). */
  waitForSent(chatId: number | string, count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Resolves once `predicate` holds (checked on every call and delivery); rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

const CONFLICT_OTHER_POLLER = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

/** Starts the fake on 127.0.0.1 with an OS-assigned port. */
export async function startFakeTelegram(options: { webhookRetryMs?: number } = {}): Promise<FakeTelegram> {
  const bot = FAKE_BOT;
  const calls: RecordedCall[] = [];
  const sent: SentMessage[] = [];
  const deliveries: Array<{ updateId: number; status: number }> = [];
  const pending: Update[] = [];
  const failures = new Map<string, Failure[]>();
  const blocked = new Set<string>();
  const listeners = new Set<() => void>();
  const messageIds = new Map<string, number>();
  let nextUpdateId = 100_000;
  let webhook: { url: string; secret?: string } | undefined;
  let poller: { respond: (updates: Update[] | 'conflict') => void } | undefined;
  let pushing = false;
  let closed = false;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const nextMessageId = (chatId: string) => {
    const id = (messageIds.get(chatId) ?? 0) + 1;
    messageIds.set(chatId, id);
    return id;
  };

  function pushUpdate(partial: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    const update = { ...partial, update_id: partial.update_id ?? nextUpdateId++ } as Update;
    pending.push(update);
    if (poller) {
      const waiting = poller;
      poller = undefined;
      waiting.respond(pending.slice(0, 100));
    }
    void pushToWebhook();
    return update;
  }

  function pushMessage(chatId: number, content: Partial<Message>, chatType: 'private' | 'group' | 'supergroup' = 'private'): Update {
    const from = { id: chatId, is_bot: false, first_name: 'Анна', username: `user${chatId}`, language_code: 'ru' };
    const chat = chatType === 'private' ? { id: chatId, type: 'private' as const, first_name: from.first_name, username: from.username } : { id: -chatId, type: chatType, title: 'Group' };
    const message = { message_id: nextMessageId(String(chat.id)), from, chat, date: Math.floor(Date.now() / 1000), ...content };
    return pushUpdate({ message } as Omit<Update, 'update_id'>);
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
      while (webhook && pending.length && !closed) {
        const update = pending[0] as Update;
        const status = await post(update);
        if (status >= 200 && status < 300) pending.shift();
        else await new Promise((resolve) => setTimeout(resolve, options.webhookRetryMs ?? 200));
      }
    } finally {
      pushing = false;
    }
  }


  function sendMessage(params: Params): Answer {
    const chatId = String(params.chat_id ?? '');
    if (blocked.has(chatId)) return { error: 403, description: 'Forbidden: bot was blocked by the user' };
    const checked = checkSendMessage(params);
    if ('error' in checked) return checked;
    sent.push({ chatId, ...checked, at: Date.now() });
    const chat = { id: Number(chatId), type: 'private', first_name: 'Анна' };
    return { result: { message_id: nextMessageId(chatId), from: bot, chat, date: Math.floor(Date.now() / 1000), text: checked.text } };
  }

  function call(record: RecordedCall, res: ServerResponse): Answer | undefined {
    const { method, params } = record;
    switch (method) {
      case 'getMe':
        return { result: bot };
      case 'getUpdates': {
        if (webhook) return { error: 409, description: CONFLICT_WEBHOOK };
        const offset = Number(params.offset ?? 0);
        // Every update below the offset is confirmed: Telegram forgets it.
        while (pending.length && (pending[0] as Update).update_id < offset) pending.shift();
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
      case 'setWebhook': {
        const url = String(params.url ?? '');
        if (!url) {
          webhook = undefined;
          return { result: true };
        }
        const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return { error: 400, description: 'Bad Request: secret token contains unallowed characters' };
        if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') pending.length = 0;
        webhook = { url, secret };
        poller?.respond('conflict');
        void pushToWebhook();
        return { result: true };
      }
      case 'deleteWebhook':
        if (params.drop_pending_updates === true || params.drop_pending_updates === 'true') pending.length = 0;
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
        return sendMessage(params);
      default:
        return { error: 404, description: 'Not Found: method not found' };
    }
  }

  function answer(res: ServerResponse, record: RecordedCall, outcome: Answer): void {
    record.answered = true;
    if ('error' in outcome) record.errorCode = outcome.error;
    const body =
      'error' in outcome
        ? { ok: false, error_code: outcome.error, description: outcome.description, ...(outcome.retryAfter ? { parameters: { retry_after: outcome.retryAfter } } : {}) }
        : { ok: true, result: outcome.result };
    res.writeHead('error' in outcome ? outcome.error : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    notify();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/bot(\d+:[\w-]+)\/(\w+)$/.exec(url.pathname);
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    const record: RecordedCall = { method: match?.[2] ?? url.pathname, params, at: Date.now() };
    calls.push(record);
    if (!match) return answer(res, record, { error: 404, description: 'Not Found' });
    const method = record.method;
    const scripted = failures.get(method)?.shift();
    if (scripted) {
      const description = scripted.code === 429 ? `Too Many Requests: retry after ${scripted.retryAfter}` : (scripted.description ?? `Error ${scripted.code}`);
      return answer(res, record, { error: scripted.code, description, retryAfter: scripted.code === 429 ? scripted.retryAfter : undefined });
    }
    const outcome = call(record, res);
    if (outcome) answer(res, record, outcome);
    else notify();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) answer(res, { method: 'invalid', params: {}, at: Date.now() }, { error: 400, description: `Bad Request: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
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
        reject(new Error(`fake Telegram: ${what} not reached within ${timeoutMs} ms`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    token: '7000000001:FAKE-token_for_tests',
    bot,
    calls,
    sent,
    deliveries,
    get webhook() {
      return webhook;
    },
    pushUpdate,
    pushMessage,
    pushText: (chatId, text, from) => pushMessage(chatId, { text, ...(from ? { from: { id: chatId, is_bot: false, first_name: 'Анна', ...from } } : {}) }),
    redeliver: (update) => post(update),
    failNext: (method, failure, times = 1) => void failures.set(method, [...(failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]),
    blockChat: (chatId) => void blocked.add(chatKey(chatId)),
    sentTo: (chatId) => sent.filter((m) => m.chatId === chatKey(chatId)),
    waitForSent(chatId, count, timeoutMs = 10_000) {
      const mine = () => sent.filter((m) => m.chatId === chatKey(chatId));
      return waitFor(() => mine().length >= count, timeoutMs, `${count} messages to chat ${chatId}`).then(mine);
    },
    waitFor,
    async close() {
      closed = true;
      poller?.respond([]);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
  };
}

