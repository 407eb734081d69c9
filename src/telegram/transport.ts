/**
 * One Telegram bot's transport, the same for the customers' bot and the operators' bot: the
 * grammY client, receiving (a webhook route, or long polling with one poller per token across
 * processes), and sending (a send queue per bot, per-chat order under a lock, 429 handling,
 * Markdown, splitting, a resend sweep). A channel configures it with what differs — token,
 * webhook path, allowed updates, where its texts are stored — and installs its own middleware.
 */
import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { JobContext, JobQueue, Logger } from '../core/ports.js';
import { createBot, createPlainApi, type TelegramBotOptions } from './bot.js';
import { isTokenRefused, loggableError, TelegramConfigError } from './errors.js';
import { createMemoryLocks, createRedisLocks } from './locks.js';
import { startPolling, type Poller } from './polling.js';
import { createTelegramSender, type DeliverySource, type ReplyMarkup, type TelegramSendJob } from './sender.js';
import { createUpdateFailures, type FailedUpdate } from './update-failures.js';
import { createWebhookRouter } from './webhook.js';

export type { DeliverySource, OutgoingText, ReplyMarkup, TelegramSendJob } from './sender.js';

/** The part of a job backend (src/queue) a bot uses for its send queue. */
export interface SendBackend {
  queue: JobQueue<TelegramSendJob>;
  startWorker(
    processor: (job: TelegramSendJob, context: JobContext) => Promise<void>,
    options: { concurrency: number; globalConcurrency?: number; rps?: number },
  ): Promise<void>;
}

export interface TelegramTransportDeps {
  /** This bot's send queue: BullMQ with Redis, in-process without. */
  sends: SendBackend;
  source: DeliverySource;
  /** Shared locks across processes (per-chat send order, the one poller); unset: this process only. */
  redis?: Redis;
  logger: Logger;
  /** Keeps an update that failed `maxUpdateFailures` times, before it is skipped; unset: never skipped. */
  recordFailedUpdate?(failed: FailedUpdate): Promise<void>;
  /** Counts a skipped update (a metric). */
  updateSkipped?(): void;
}

export interface TelegramTransportOptions extends TelegramBotOptions {
  /** Names the bot in job ids, locks and logs, e.g. `customers`, `operators`. */
  name: string;
  /** The setting that holds the token, named when Telegram refuses it (TELEGRAM_BOT_TOKEN). */
  tokenSetting: string;
  /** Webhook mode: the public base URL, the secret and this bot's route; unset: long polling. */
  webhook?: { baseUrl: string; secret: string; path: string };
  /** The update types this bot acts on (Telegram sends no others). */
  allowedUpdates: Array<'message' | 'callback_query' | 'my_chat_member'>;
  /** Key prefix for the Redis locks (BULLMQ_PREFIX). */
  keyPrefix: string;
  /** Send jobs run at once in this process. @defaultValue 8 */
  sendConcurrency?: number;
  /** Send jobs started per second across all workers; Telegram allows about 30 messages a second. @defaultValue 25 */
  sendRps?: number;
  /** getUpdates long-poll timeout, seconds. @defaultValue 30 */
  pollTimeoutSeconds?: number;
  /** Failures of one update before it is recorded and skipped (see update-failures.ts). @defaultValue 5 */
  maxUpdateFailures?: number;
  /** How often the resend sweep runs, ms. @defaultValue 30000 */
  sweepEveryMs?: number;
  /** Only texts stored at least this long ago are swept: younger ones are still on their way, ms. @defaultValue 60000 */
  sweepOlderThanMs?: number;
}

export interface TelegramTransport {
  readonly name: string;
  readonly mode: 'webhook' | 'polling';
  /** The grammY bot: the channel installs its middleware on it. */
  readonly bot: Bot;
  /** The webhook route, in webhook mode (for the HTTP app of the api and all roles). */
  readonly router?: Router;
  /** Queues sending the chat's stored texts; `id` (the text that caused it) makes the job idempotent. */
  flush(chatId: string, id: string): Promise<void>;
  /** Queues a fixed text that is not stored; `key` makes the job idempotent (a re-sent update greets once). */
  sendText(chatId: string, key: string, text: string, markup?: ReplyMarkup): Promise<void>;
  /** Best effort "typing…": a direct call, as a late indicator is worthless. */
  sendTyping(chatId: string): Promise<void>;
  /**
   * Starts this role's part: `send` runs the send worker and the resend sweep; `receive` gets the
   * bot's identity, runs `setup` (commands) and then the webhook or the poller. Fails only when the
   * token is refused; while Telegram is unreachable, receiving comes up in the background.
   */
  start(parts: { send: boolean; receive: boolean }, setup?: (bot: Bot) => Promise<void>): Promise<void>;
  /** Stops receiving and the sweep (the send backend is closed by its owner). Idempotent. */
  stop(): Promise<void>;
}

export function createTelegramTransport(deps: TelegramTransportDeps, options: TelegramTransportOptions): TelegramTransport {
  const log = deps.logger;
  const bot = createBot(options);
  const plainApi = createPlainApi(options);
  const locks = deps.redis ? createRedisLocks(deps.redis, options.keyPrefix) : createMemoryLocks();

  // The poller and the webhook route report failures themselves (retry, or a 5xx Telegram re-sends).
  const handle = async (update: Update) => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      throw error instanceof BotError ? error.error : error;
    }
  };
  // No single update may stop the bot: past its failures it is recorded and skipped.
  const botKey = createHash('sha256').update(options.token).digest('hex').slice(0, 16);
  const record = deps.recordFailedUpdate;
  const failures = record
    ? createUpdateFailures({ record: (failed) => record({ bot: botKey, ...failed }), skipped: deps.updateSkipped, logger: log }, { maxFailures: options.maxUpdateFailures })
    : undefined;
  const onFailure = failures?.failed;
  const onSuccess = failures?.succeeded;
  const router = options.webhook
    ? createWebhookRouter({ handle, onFailure, onSuccess, ready: () => bot.isInited(), logger: log }, { secret: options.webhook.secret, path: options.webhook.path })
    : undefined;

  let stopped = false;
  let poller: Poller | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let retry: NodeJS.Timeout | undefined;
  const flushJobId = (id: string) => `${options.name}-flush-${id}`;

  async function bringUp(setup?: (bot: Bot) => Promise<void>): Promise<void> {
    bot.botInfo = await bot.api.getMe();
    await setup?.(bot);
    if (options.webhook) {
      const url = `${options.webhook.baseUrl.replace(/\/+$/, '')}${options.webhook.path}`;
      await bot.api.setWebhook(url, { secret_token: options.webhook.secret, allowed_updates: options.allowedUpdates });
      log.info({ username: bot.botInfo.username }, 'telegram bot receiving by webhook');
      return;
    }
    if (stopped) return;
    const lockKey = `poll-${botKey}`;
    poller = startPolling(
      { api: bot.api, handle, onFailure, onSuccess, locks: deps.redis ? locks : undefined, logger: log },
      { lockKey, timeoutSeconds: options.pollTimeoutSeconds, allowedUpdates: options.allowedUpdates },
    );
    log.info({ username: bot.botInfo.username }, 'telegram bot receiving by long polling');
  }

  /** Retries bring-up in the background while Telegram is unreachable, backing off to a minute. */
  function retryLater(delayMs: number, setup?: (bot: Bot) => Promise<void>): void {
    if (stopped) return;
    retry = setTimeout(() => {
      bringUp(setup).catch((error: unknown) => {
        // A refused token will not heal by itself: a person must act.
        log[isTokenRefused(error) ? 'error' : 'warn']({ err: loggableError(error), retryInMs: delayMs }, 'telegram bot start failed; retrying');
        retryLater(Math.min(delayMs * 2, 60_000), setup);
      });
    }, delayMs);
  }

  /** Re-enqueues one flush job per chat with texts left unsent; `requeue` leaves a waiting job alone. */
  async function sweepOnce(): Promise<number> {
    const before = new Date(Date.now() - (options.sweepOlderThanMs ?? 60_000));
    const stale = await deps.source.stale(before, 1000);
    for (const { chatId, firstId } of stale) await deps.sends.queue.requeue(flushJobId(firstId), { kind: 'flush', chatId, id: firstId });
    if (stale.length) log.info({ chats: stale.length }, 'telegram resend sweep re-enqueued unsent texts');
    return stale.length;
  }

  return {
    name: options.name,
    mode: options.webhook ? 'webhook' : 'polling',
    bot,
    router,
    async flush(chatId, id) {
      await deps.sends.queue.enqueue(flushJobId(id), { kind: 'flush', chatId, id });
    },
    async sendText(chatId, key, text, markup) {
      await deps.sends.queue.enqueue(`${options.name}-text-${key}`, { kind: 'text', chatId, text, ...(markup ? { markup } : {}) });
    },
    async sendTyping(chatId) {
      await plainApi.sendChatAction(chatId, 'typing');
    },
    async start(parts, setup) {
      if (parts.send) {
        const sender = createTelegramSender({ api: bot.api, source: deps.source, locks, name: options.name, logger: log });
        const concurrency = options.sendConcurrency ?? 8;
        await deps.sends.startWorker(sender, { concurrency, globalConcurrency: concurrency, rps: options.sendRps ?? 25 });
        sweep = setInterval(() => {
          sweepOnce().catch((error: unknown) => log.warn({ err: error }, 'telegram resend sweep failed; next run retries'));
        }, options.sweepEveryMs ?? 30_000);
        sweep.unref();
        await sweepOnce().catch((error: unknown) => log.warn({ err: error }, 'telegram resend sweep failed at start'));
      }
      if (!parts.receive) return;
      try {
        await bringUp(setup);
      } catch (error) {
        if (isTokenRefused(error)) throw new TelegramConfigError(error, options.tokenSetting);
        log.warn({ err: loggableError(error) }, 'telegram bot start failed; retrying in the background');
        retryLater(1000, setup);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retry) clearTimeout(retry);
      if (sweep) clearInterval(sweep);
      await poller?.stop();
    },
  };
}
