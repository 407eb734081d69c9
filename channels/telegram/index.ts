/**
 * The customers' Telegram bot: wiring. The composition root hands in the core's receive, the
 * store, a job backend for the send queue and, when configured, Redis; this module builds the bot,
 * its outbox (for the core), its webhook route (for the HTTP app) and starts what a role runs.
 */
import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { BotError } from 'grammy';
import type { Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { ConversationStore, FixedTextKey, JobContext, JobQueue, Logger } from '../../src/core/ports.js';
import type { ReceiveOptions } from '../../src/core/receive-message.js';
import type { InboundMessage } from '../../src/core/types.js';
import { createBot, createPlainApi, installHandler, type TelegramBotOptions } from './bot.js';
import { isTokenRefused, loggableError, TelegramConfigError } from './errors.js';
import { createMemoryLocks, createRedisLocks } from './locks.js';
import { createTelegramOutbox, startResendSweep, type ResendSweepOptions, type TelegramOutbox } from './outbox.js';
import { startPolling, type Poller } from './polling.js';
import { createTelegramSender, type TelegramSendJob } from './sender.js';
import { telegramTextsFrom, type TelegramTextKey } from './texts.js';
import { createWebhookRouter, CUSTOMER_WEBHOOK_PATH } from './webhook.js';

export type { TelegramSendJob } from './sender.js';

/** The part of a job backend (src/queue) the channel uses for its send queue. */
export interface SendBackend {
  queue: JobQueue<TelegramSendJob>;
  startWorker(
    processor: (job: TelegramSendJob, context: JobContext) => Promise<void>,
    options: { concurrency: number; globalConcurrency?: number; rps?: number },
  ): Promise<void>;
}

export interface TelegramChannelDeps {
  /** The core's receiveMessage. */
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<unknown>;
  store: Pick<ConversationStore, 'findUndelivered' | 'markDelivered' | 'markBlocked'>;
  /** The TELEGRAM_SEND_QUEUE backend: BullMQ with Redis, in-process without. */
  sends: SendBackend;
  /** messages.yml texts (the knowledge base's `text`). */
  text(key: FixedTextKey): string;
  /** Shared locks across processes (per-chat send order, the one poller); unset: this process only. */
  redis?: Redis;
  logger: Logger;
}

export interface TelegramChannelOptions extends TelegramBotOptions {
  /** TELEGRAM_WEBHOOK_BASE_URL and TELEGRAM_WEBHOOK_SECRET; unset: long polling. */
  webhook?: { baseUrl: string; secret: string };
  /** Longer customer texts are cut to this (MAX_MESSAGE_CHARS). */
  maxMessageChars: number;
  /** Key prefix for the Redis locks (BULLMQ_PREFIX). */
  keyPrefix: string;
  /** Send jobs run at once in this process. @defaultValue 8 */
  sendConcurrency?: number;
  /** Send jobs started per second across all workers; Telegram allows about 30 messages a second. @defaultValue 25 */
  sendRps?: number;
  /** getUpdates long-poll timeout, seconds. @defaultValue 30 */
  pollTimeoutSeconds?: number;
  sweep?: ResendSweepOptions;
}

export interface TelegramChannel {
  mode: 'webhook' | 'polling';
  outbox: TelegramOutbox;
  /** The webhook route, in webhook mode (for the HTTP app of the api and all roles). */
  router?: Router;
  /**
   * Starts this role's part: `send` runs the send worker and the resend sweep; `receive` gets the
   * bot's identity, registers its commands and then the webhook or the poller. Fails only when the
   * token is refused; while Telegram is unreachable, receiving comes up in the background.
   */
  start(parts: { send: boolean; receive: boolean }): Promise<void>;
  /** Stops receiving and the sweep (the send backend is closed by its owner). Idempotent. */
  stop(): Promise<void>;
}

const COMMANDS: Array<{ command: string; description: TelegramTextKey }> = [
  { command: 'start', description: 'command_start' },
  { command: 'help', description: 'command_help' },
  { command: 'operator', description: 'command_operator' },
];

export function createTelegramChannel(deps: TelegramChannelDeps, options: TelegramChannelOptions): TelegramChannel {
  const log = deps.logger;
  const bot = createBot(options);
  const typingApi = createPlainApi(options);
  const texts = telegramTextsFrom(deps.text);
  const locks = deps.redis ? createRedisLocks(deps.redis, options.keyPrefix) : createMemoryLocks();
  const outbox = createTelegramOutbox({ sends: deps.sends.queue, sendTyping: (chatId) => typingApi.sendChatAction(chatId, 'typing') });
  installHandler(bot, { receive: deps.receive, outbox, texts, logger: log }, { maxMessageChars: options.maxMessageChars });

  // The poller and the webhook route report failures themselves (retry, or a 5xx Telegram re-sends).
  const handle = async (update: Update) => {
    try {
      await bot.handleUpdate(update);
    } catch (error) {
      throw error instanceof BotError ? error.error : error;
    }
  };
  const router = options.webhook ? createWebhookRouter({ handle, ready: () => bot.isInited(), logger: log }, { secret: options.webhook.secret }) : undefined;

  let stopped = false;
  let poller: Poller | undefined;
  let sweep: { stop(): void } | undefined;
  let retry: NodeJS.Timeout | undefined;

  async function bringUp(): Promise<void> {
    bot.botInfo = await bot.api.getMe();
    await bot.api.setMyCommands(COMMANDS.map((c) => ({ command: c.command, description: texts(c.description) })));
    if (options.webhook) {
      const url = `${options.webhook.baseUrl.replace(/\/+$/, '')}${CUSTOMER_WEBHOOK_PATH}`;
      await bot.api.setWebhook(url, { secret_token: options.webhook.secret, allowed_updates: ['message'] });
      log.info({ username: bot.botInfo.username }, 'telegram bot receiving by webhook');
      return;
    }
    if (stopped) return;
    const lockKey = `poll-${createHash('sha256').update(options.token).digest('hex').slice(0, 16)}`;
    poller = startPolling(
      { api: bot.api, handle, locks: deps.redis ? locks : undefined, logger: log },
      { lockKey, timeoutSeconds: options.pollTimeoutSeconds },
    );
    log.info({ username: bot.botInfo.username }, 'telegram bot receiving by long polling');
  }

  /** Retries bring-up in the background while Telegram is unreachable, backing off to a minute. */
  function retryLater(delayMs: number): void {
    if (stopped) return;
    retry = setTimeout(() => {
      bringUp().catch((error: unknown) => {
        // A refused token will not heal by itself: a person must act.
        log[isTokenRefused(error) ? 'error' : 'warn']({ err: loggableError(error), retryInMs: delayMs }, 'telegram bot start failed; retrying');
        retryLater(Math.min(delayMs * 2, 60_000));
      });
    }, delayMs);
  }

  return {
    mode: options.webhook ? 'webhook' : 'polling',
    outbox,
    router,
    async start(parts) {
      if (parts.send) {
        const sender = createTelegramSender({ api: bot.api, store: deps.store, locks, texts, logger: log });
        const concurrency = options.sendConcurrency ?? 8;
        await deps.sends.startWorker(sender, { concurrency, globalConcurrency: concurrency, rps: options.sendRps ?? 25 });
        const running = startResendSweep({ store: deps.store, sends: deps.sends.queue, logger: log }, options.sweep);
        sweep = running;
        await running.runOnce().catch((error: unknown) => log.warn({ err: error }, 'telegram resend sweep failed at start'));
      }
      if (!parts.receive) return;
      try {
        await bringUp();
      } catch (error) {
        if (isTokenRefused(error)) throw new TelegramConfigError(error);
        log.warn({ err: loggableError(error) }, 'telegram bot start failed; retrying in the background');
        retryLater(1000);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (retry) clearTimeout(retry);
      sweep?.stop();
      await poller?.stop();
    },
  };
}
