/**
 * The operators' bot (TELEGRAM_OPERATOR_BOT_TOKEN): duty, invites, transcripts, relaying, /finish.
 * The shared Telegram transport is configured with this bot's token, webhook path and updates,
 * and the delivery log as its delivery source; the desk's decisions are the core's use cases.
 */
import type { Redis } from 'ioredis';
import type { Channel, JobBackendFactory } from '../../src/channel.js';
import { acceptHandoff, finishHandoff, relayToCustomer, startOperator, stopOperator, type AcceptOutcome } from '../../src/core/desk.js';
import type { CoreDeps, DeliveryStore, Logger, OperatorDesk } from '../../src/core/ports.js';
import type { TelegramBotOptions } from '../../src/telegram/bot.js';
import type { FailedUpdate } from '../../src/telegram/update-failures.js';
import { createTelegramTransport, type SendBackend, type TelegramSendJob } from '../../src/telegram/transport.js';
import { createOperatorOutbox, createTelegramOperatorDesk, operatorDeliverySource } from './desk.js';
import { classifyOperatorUpdate, type OperatorInbound } from './inbound.js';
import { operatorTextsFrom } from './texts.js';

export const OPERATORS_SEND_QUEUE = 'operators-send';
export const OPERATOR_WEBHOOK_PATH = '/telegram/operator/webhook';

export interface OperatorsChannelDeps {
  /** The core's dependencies: the desk's use cases run with them. */
  core: CoreDeps;
  deliveries: DeliveryStore;
  jobBackend: JobBackendFactory;
  redis?: Redis;
  logger: Logger;
  /** Records an update that keeps failing, so it is skipped rather than stopping the bot. */
  recordFailedUpdate?(failed: FailedUpdate): Promise<void>;
  updateSkipped?(): void;
}

export interface OperatorsChannelOptions extends TelegramBotOptions {
  webhook?: { baseUrl: string; secret: string };
  keyPrefix: string;
  /** Longer operator texts are cut to this (MAX_MESSAGE_CHARS). */
  maxMessageChars: number;
  pollTimeoutSeconds?: number;
  /** Failures of one update before it is recorded and skipped (TELEGRAM_UPDATE_MAX_FAILURES). */
  maxUpdateFailures?: number;
  /** How often unsent texts to operators are looked for, ms (also how soon a CLI change reaches them). @defaultValue 2000 */
  sweepEveryMs?: number;
}

export interface OperatorsChannel extends Channel {
  desk: OperatorDesk;
}

const COMMANDS = ['start', 'stop', 'finish'] as const;

export function createOperatorsChannel(deps: OperatorsChannelDeps, options: OperatorsChannelOptions): OperatorsChannel {
  const { core, deliveries } = deps;
  const texts = operatorTextsFrom((key) => core.knowledge.text(key));
  const sends = deps.jobBackend<TelegramSendJob>(OPERATORS_SEND_QUEUE, { attempts: 10, backoffMs: 2000 });
  const onBlocked = async (chatId: string) => void (await stopOperator(core, chatId, 'blocked'));
  const transport = createTelegramTransport(
    {
      sends: sends as SendBackend,
      source: operatorDeliverySource(deliveries, onBlocked),
      redis: deps.redis,
      logger: deps.logger,
      recordFailedUpdate: deps.recordFailedUpdate,
      updateSkipped: deps.updateSkipped,
    },
    {
      ...options,
      name: 'operators',
      tokenSetting: 'TELEGRAM_OPERATOR_BOT_TOKEN',
      webhook: options.webhook ? { ...options.webhook, path: OPERATOR_WEBHOOK_PATH } : undefined,
      allowedUpdates: ['message', 'callback_query', 'my_chat_member'],
      // Texts written by another process (the CLI) have no flush job: look for them often.
      sweepEveryMs: options.sweepEveryMs ?? 2000,
      sweepOlderThanMs: 2000,
    },
  );
  const outbox = createOperatorOutbox(deliveries, transport);
  const desk = createTelegramOperatorDesk({ outbox, deliveries, texts });
  const reply = (chatId: string, updateId: number, key: string) => outbox.send([{ chatId, text: texts(key), dedupKey: `answer-${updateId}` }]);

  async function act(update: OperatorInbound, bot: { answerCallback(id: string, text: string): Promise<unknown> }): Promise<void> {
    switch (update.kind) {
      case 'command': {
        const chatId = update.identity.chatId;
        // The outcome names its answer: operators_registered, operators_pending, operators_disabled, operators_on_duty.
        if (update.command === 'start') return reply(chatId, update.updateId, await startOperator(core, update.identity));
        if (update.command === 'stop') {
          const operator = await stopOperator(core, update.identity.telegramUserId, 'off_duty');
          return reply(chatId, update.updateId, operator ? 'off_duty' : 'registered');
        }
        if (update.command === 'finish') {
          // A finished chat is announced by the desk (closed); only "nothing to finish" is answered here.
          if (!(await finishHandoff(core, update.identity.telegramUserId))) return reply(chatId, update.updateId, 'no_chat');
          return;
        }
        return reply(chatId, update.updateId, 'on_duty');
      }
      case 'text':
        if (!(await relayToCustomer(core, update.identity.telegramUserId, update.text))) return reply(update.identity.chatId, update.updateId, 'no_chat');
        return;
      case 'unsupported':
        return reply(update.identity.chatId, update.updateId, 'text_only');
      case 'take': {
        const result = await acceptHandoff(core, update.handoffId, update.identity.telegramUserId);
        await bot.answerCallback(update.callbackId, texts(TAKE_ANSWERS[result.outcome])).catch(() => undefined);
        return;
      }
      case 'blocked':
        await stopOperator(core, update.telegramUserId, 'blocked');
        return;
      case 'ignore':
        deps.logger.debug({ reason: update.reason }, 'operators bot: update ignored');
        return;
    }
  }

  transport.bot.use(async (ctx) => {
    const action = classifyOperatorUpdate(ctx.update, { maxChars: options.maxMessageChars });
    await act(action, { answerCallback: (id, text) => ctx.api.answerCallbackQuery(id, { text }) });
  });
  transport.bot.catch((error) => deps.logger.error({ err: error.error, updateId: error.ctx.update.update_id }, 'operators bot update failed'));

  return {
    name: 'operators',
    desk,
    routers: transport.router ? [transport.router] : [],
    queues: [{ name: OPERATORS_SEND_QUEUE, backend: sends as never }],
    start: (parts) =>
      transport.start(parts, async (bot) => {
        await bot.api.setMyCommands(COMMANDS.map((command) => ({ command, description: texts(`command_${command}`) })));
      }),
    stop: () => transport.stop(),
  };
}

const TAKE_ANSWERS: Record<AcceptOutcome['outcome'], string> = {
  accepted: 'taken_by_you_short',
  taken: 'already_taken',
  busy: 'busy',
  off_duty: 'not_on_duty',
  unknown: 'registered',
};

/**
 * @openapi
 * /telegram/operator/webhook:
 *   post:
 *     summary: Telegram updates for the operators' bot (webhook mode only)
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
