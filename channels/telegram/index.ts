/**
 * The customers' Telegram bot: wiring. The shared Telegram transport (src/telegram) is configured
 * with this bot's token, webhook path, updates and delivery source (the conversation's messages);
 * this folder adds what is the customers' own: the update → core mapping, the fixed texts, the
 * command menu and the button that asks for a person.
 */
import type { Redis } from 'ioredis';
import type { Channel, JobBackendFactory } from '../../src/channel.js';
import type { ConversationStore, Logger } from '../../src/core/ports.js';
import type { ReceiveOptions } from '../../src/core/receive-message.js';
import type { InboundMessage } from '../../src/core/types.js';
import type { TelegramBotOptions } from '../../src/telegram/bot.js';
import type { FailedUpdate } from '../../src/telegram/update-failures.js';
import { createTelegramTransport, type ReplyMarkup, type SendBackend, type TelegramSendJob } from '../../src/telegram/transport.js';
import { installHandler } from './handler.js';
import { limitTelegramReceive } from './rate-limit.js';
import { createTelegramOutbox, customerDeliverySource } from './outbox.js';
import type { TelegramReplyKey } from './inbound.js';
import { telegramTextsFrom, type TelegramTextKey, type TelegramTexts } from './texts.js';

/** The customers' send queue. */
export const TELEGRAM_SEND_QUEUE = 'telegram-send';
export const CUSTOMER_WEBHOOK_PATH = '/telegram/customer/webhook';

export interface TelegramChannelDeps {
  /** The core's receiveMessage. */
  receive(message: InboundMessage, options?: ReceiveOptions): Promise<unknown>;
  store: Pick<ConversationStore, 'findUndelivered' | 'markDelivered' | 'markBlocked'>;
  jobBackend: JobBackendFactory;
  /** messages.yml texts (the knowledge base's `text`). */
  text(key: string): string;
  /** Shared locks across processes (per-chat send order, the one poller); unset: this process only. */
  redis?: Redis;
  logger: Logger;
  /** Keeps an update that failed `maxUpdateFailures` times before it is skipped; unset: never skipped. */
  recordFailedUpdate?(failed: FailedUpdate): Promise<void>;
  /** Counts a skipped update (a metric). */
  updateSkipped?(): void;
  /** RATE_LIMIT_TELEGRAM_PER_MINUTE: counts one message of a chat, false over the limit; unset: no limit. */
  allowMessage?(chatId: string): Promise<boolean>;
}

export interface TelegramChannelOptions extends TelegramBotOptions {
  /** TELEGRAM_WEBHOOK_BASE_URL and TELEGRAM_WEBHOOK_SECRET; unset: long polling. */
  webhook?: { baseUrl: string; secret: string };
  /** Longer customer texts are cut to this (MAX_MESSAGE_CHARS). */
  maxMessageChars: number;
  /** Key prefix for the Redis locks (BULLMQ_PREFIX). */
  keyPrefix: string;
  /** getUpdates long-poll timeout, seconds. @defaultValue 30 */
  pollTimeoutSeconds?: number;
  /** Failures of one update before it is recorded and skipped (src/telegram/update-failures.ts). @defaultValue 5 */
  maxUpdateFailures?: number;
}

const COMMANDS: Array<{ command: string; description: TelegramTextKey }> = [
  { command: 'start', description: 'command_start' },
  { command: 'help', description: 'command_help' },
  { command: 'operator', description: 'command_operator' },
];

export function createTelegramChannel(deps: TelegramChannelDeps, options: TelegramChannelOptions): Channel {
  const texts = telegramTextsFrom(deps.text);
  const sends = deps.jobBackend<TelegramSendJob>(TELEGRAM_SEND_QUEUE, { attempts: 10, backoffMs: 2000 });
  const transport = createTelegramTransport(
    {
      sends: sends as SendBackend,
      source: customerDeliverySource(deps.store),
      redis: deps.redis,
      logger: deps.logger,
      recordFailedUpdate: deps.recordFailedUpdate,
      updateSkipped: deps.updateSkipped,
    },
    {
      ...options,
      name: 'customers',
      tokenSetting: 'TELEGRAM_BOT_TOKEN',
      webhook: options.webhook ? { ...options.webhook, path: CUSTOMER_WEBHOOK_PATH } : undefined,
      allowedUpdates: ['message'],
    },
  );
  const notify = (chatId: string, externalId: string, key: TelegramReplyKey) =>
    transport.sendText(chatId, `${chatId}-${externalId}`, texts(key), key === 'unsupported' || key === 'rate_limited' ? undefined : personKeyboard(texts));
  const allow = deps.allowMessage;
  installHandler(
    transport.bot,
    {
      receive: allow ? limitTelegramReceive({ receive: deps.receive, allow, notify, logger: deps.logger }) : deps.receive,
      notify,
      texts,
      logger: deps.logger,
    },
    { maxMessageChars: options.maxMessageChars },
  );
  return {
    name: 'telegram',
    outbox: createTelegramOutbox(transport),
    routers: transport.router ? [transport.router] : [],
    queues: [{ name: TELEGRAM_SEND_QUEUE, backend: sends as never }],
    start: (parts) =>
      transport.start(parts, async (bot) => {
        await bot.api.setMyCommands(COMMANDS.map((c) => ({ command: c.command, description: texts(c.description) })));
      }),
    stop: () => transport.stop(),
  };
}

/** The reply keyboard with the one button that asks for a person; it stays until replaced. */
function personKeyboard(texts: TelegramTexts): ReplyMarkup {
  return { keyboard: [[{ text: texts('person_button') }]], resize_keyboard: true, is_persistent: true };
}

/**
 * @openapi
 * /telegram/customer/webhook:
 *   post:
 *     summary: Telegram updates for the customers' bot (webhook mode only)
 *     description: Called by Telegram. Answers 404 when the bot runs in long-polling mode.
 *     parameters:
 *       - { name: X-Telegram-Bot-Api-Secret-Token, in: header, required: true, schema: { type: string } }
 *     requestBody: { required: true, content: { application/json: { schema: { type: object, required: [update_id] } } } }
 *     responses:
 *       200: { description: Accepted }
 *       400: { description: Not a Telegram update, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 *       401: { description: Missing or wrong secret header, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 *       503: { description: The bot is still starting; Telegram retries, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 */
