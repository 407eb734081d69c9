/**
 * The composition root: the only module that knows the concrete classes. It builds the object
 * graph for a role — `all` (one process: API, workers, bots), `api` or `worker` — and returns
 * start/stop. No module-level singletons: two apps can run side by side in one test process.
 */
import { resolve } from 'node:path';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import {
  createMemoryLiveEvents,
  createMemoryReplySignal,
  createRedisLiveEvents,
  createRedisReplySignal,
  createWebChannel,
  createWebRateLimits,
  type ReplySignal,
} from '../channels/web/index.js';
import { createTelegramChannel } from '../channels/telegram/index.js';
import { createOperatorsChannel } from '../channels/operators/index.js';
import type { Channel, JobBackendFactory } from './channel.js';
import { hasLlmCredentials, type Config } from './config.js';
import { answerConversation } from './core/answer-conversation.js';
import { expireHandoffs, NO_OPERATOR_DESK, reofferWaiting } from './core/desk.js';
import { REPLY_QUEUE } from './core/jobs.js';
import type { ChannelOutbox, CoreDeps, ReplyJob } from './core/ports.js';
import { receiveMessage } from './core/receive-message.js';
import { recoverPending } from './core/recover-pending.js';
import type { ChannelId } from './core/types.js';
import { createPgFailedUpdates } from './db/failed-updates.js';
import { createPgAcceptMany } from './db/pg-accept-many.js';
import { createPgBeginRunMany, createPgNextTurnMany, createPgRecordReplyMany } from './db/pg-run-many.js';
import { createPgConversationStore } from './db/pg-conversation-store.js';
import { createPgDeliveryStore } from './db/pg-delivery-store.js';
import { createPgHandoffStore } from './db/pg-handoff-store.js';
import { isUnavailableError } from './db/unavailable.js';
import { batchEnqueues, batchStore } from './group-commit.js';
import { createAdminPanel, createBotStatus, resolveSessionSecret, type AdminPanel } from './http/admin/index.js';
import { createHttpApp, listen, type RunningServer } from './http/app.js';
import { createCatalogRouter } from './http/catalog-routes.js';
import { createMetrics } from './http/metrics.js';
import { buildOpenApiDocument } from './http/swagger.js';
import type { WatchedQueue } from './http/admin/index.js';
import type { AppMetrics } from './http/metrics.js';
import { openDatabase, redisConnector, type Database, type RedisConnector } from './infrastructure.js';
import { createPromptsKnowledge, type PromptsKnowledge } from './knowledge/index.js';
import { withCallBudget } from './llm/call-budget.js';
import { createYandexGptModel } from './llm/yandex-gpt-model.js';
import { createKeyedLimit } from './limits/keyed-limit.js';
import type { RootLogger } from './logger.js';
import { createPlainApi } from './telegram/bot.js';
import { createBullJobBackend } from './queue/bull-job-backend.js';
import { createInProcessJobBackend } from './queue/in-process-job-backend.js';
import type { JobBackend } from './queue/job-backend.js';

export type Role = 'all' | 'api' | 'worker';

export interface AppInfo {
  role: Role;
  /** Base URL of the HTTP server, when this role serves HTTP. */
  url?: string;
  database: 'embedded' | 'external';
  queue: 'redis' | 'in-process';
  /** The running channels: `web`, `telegram`, `operators`. */
  channels: string[];
  llm: 'yandexgpt' | 'offline';
}

export interface App {
  info: AppInfo;
  deps: CoreDeps;
  /** Stops in order: HTTP server, bots, workers, ORM, embedded database, Redis. Idempotent. */
  stop(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}


export async function startApp(config: Config, logger: RootLogger, role: Role = 'all'): Promise<App> {
  if (role !== 'all' && (!config.DATABASE_URL || !config.REDIS_URL)) {
    throw new StartupError(
      `start:${role} needs DATABASE_URL and REDIS_URL: separate api and worker processes share work through ` +
        'PostgreSQL and Redis. For a single process on embedded defaults, run `npm start`.',
    );
  }
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    while (stack.length) await (stack.pop() as () => Promise<void>)().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    return await build(config, logger, role, stack, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

async function build(config: Config, logger: RootLogger, role: Role, stack: Array<() => Promise<void>>, stop: () => Promise<void>): Promise<App> {
  const connect = redisConnector(config, logger);
  const sharedRedis = connect?.('shared');
  if (sharedRedis) stack.push(async () => void sharedRedis.disconnect());

  const database = await openDatabase(config, logger);
  stack.push(() => database.close());
  // Concurrent accepts share one statement, and so do the reply worker's concurrent jobs at each
  // step of a reply (src/group-commit.ts); every other method is the store's own.
  const { pool } = database;
  const store = batchStore(createPgConversationStore(pool), {
    accept: createPgAcceptMany(pool),
    beginRun: createPgBeginRunMany(pool),
    nextTurn: createPgNextTurnMany(pool),
    recordReply: createPgRecordReplyMany(pool),
  });
  const handoffs = createPgHandoffStore(database.pool);

  const knowledge = await createPromptsKnowledge({
    promptsDir: resolve(config.PROMPTS_DIR),
    logger: logger.child({ component: 'knowledge' }),
    catalogUrl: config.CATALOG_URL,
    catalogRefreshMinutes: config.CATALOG_REFRESH_MINUTES,
    maxTokens: config.YANDEX_GPT_MAX_TOKENS,
  });
  stack.push(() => knowledge.close());

  const yandexGpt = hasLlmCredentials(config)
    ? createYandexGptModel({
        baseUrl: config.YANDEX_GPT_BASE_URL,
        credentials: { apiKey: config.YANDEX_API_KEY, iamToken: config.YANDEX_IAM_TOKEN },
        folderId: config.YANDEX_FOLDER_ID as string,
        model: config.YANDEX_GPT_MODEL,
        temperature: config.YANDEX_GPT_TEMPERATURE,
        maxTokens: config.YANDEX_GPT_MAX_TOKENS,
        timeoutMs: config.LLM_TIMEOUT_MS,
        dataLogging: config.YANDEX_DATA_LOGGING,
        logger: logger.child({ component: 'yandexgpt' }),
      })
    : null;
  // LLM_CALLS_PER_MINUTE: one budget for every worker (Redis), the "busy" text past it.
  const callLimit = config.LLM_CALLS_PER_MINUTE
    ? createKeyedLimit({ name: 'llm', perMinute: config.LLM_CALLS_PER_MINUTE, redis: sharedRedis, keyPrefix: config.BULLMQ_PREFIX })
    : undefined;
  const model = yandexGpt && callLimit ? withCallBudget(yandexGpt, { take: () => callLimit.take('all') }) : yandexGpt;

  const queueLogger = logger.child({ component: 'queue' });
  /** A job queue on BullMQ when Redis is configured, in this process otherwise. */
  const jobBackend: JobBackendFactory = <T extends object>(name: string, retries: { attempts: number; backoffMs: number }): JobBackend<T> =>
    connect
      ? createBullJobBackend<T>({ name, prefix: config.BULLMQ_PREFIX, connect, logger: queueLogger, ...retries })
      : createInProcessJobBackend<T>({ name, logger: queueLogger, ...retries });
  const replies = jobBackend<ReplyJob>(REPLY_QUEUE, { attempts: config.LLM_RETRY_ATTEMPTS, backoffMs: config.LLM_RETRY_BACKOFF_MS });

  const metrics = createMetrics();
  metrics.watchQueue(REPLY_QUEUE, () => replies.depth());
  metrics.watchWaiting(() => handoffs.countWaiting());
  let signal: ReplySignal;
  if (sharedRedis) signal = createRedisReplySignal(sharedRedis, config.BULLMQ_PREFIX);
  else {
    const memorySignal = createMemoryReplySignal();
    stack.push(async () => memorySignal.close());
    signal = memorySignal;
  }

  // Web streams hear of new replies: through Redis pub/sub from any worker, or in this process.
  const liveEvents =
    sharedRedis && connect
      ? createRedisLiveEvents({ publisher: sharedRedis, connectSubscriber: () => connect('worker'), prefix: config.BULLMQ_PREFIX, logger: logger.child({ component: 'web' }) })
      : createMemoryLiveEvents();
  stack.push(() => liveEvents.close());

  const outboxes: Partial<Record<ChannelId, ChannelOutbox>> = {};
  const deps: CoreDeps = {
    store,
    // BullMQ: concurrent enqueues share one addBulk round trip (src/group-commit.ts).
    replies: replies.enqueueMany ? batchEnqueues(replies.queue, replies.enqueueMany) : replies.queue,
    model,
    knowledge,
    outboxes,
    handoffs,
    desk: NO_OPERATOR_DESK,
    logger: logger.child({ component: 'core' }),
    clock: { now: () => new Date() },
    metrics: metrics.core,
  };

  const web = createWebChannel(
    {
      receive: (message, options) => receiveMessage(deps, message, options),
      claimReplies: (chatId) => store.claimUndelivered({ channel: 'web', chatId }),
      read: (chatId, afterId, limit) => store.messagesSince({ channel: 'web', chatId }, afterId, limit),
      events: liveEvents,
      signal,
      limits: createWebRateLimits({
        messagesPerMinute: config.RATE_LIMIT_MESSAGES_PER_MINUTE,
        addressPerMinute: config.RATE_LIMIT_ADDRESS_PER_MINUTE,
        addressMessagesPerMinute: config.RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE,
        redis: sharedRedis,
        keyPrefix: config.BULLMQ_PREFIX,
      }),
      text: (key) => knowledge.text(key),
      logger: logger.child({ component: 'web' }),
    },
    { maxMessageChars: config.MAX_MESSAGE_CHARS, maxBodyBytes: config.MAX_BODY_BYTES },
  );
  const channels: Channel[] = [web];
  const webhook = config.TELEGRAM_WEBHOOK_BASE_URL
    ? { baseUrl: config.TELEGRAM_WEBHOOK_BASE_URL, secret: config.TELEGRAM_WEBHOOK_SECRET as string }
    : undefined;
  const telegramOptions = { apiRoot: config.TELEGRAM_API_ROOT, webhook, maxMessageChars: config.MAX_MESSAGE_CHARS, keyPrefix: config.BULLMQ_PREFIX };
  // Telegram bots only with a token. Their outboxes and send queues exist from here on (the reply
  // worker below may answer Telegram customers at once); they start receiving and sending once the
  // HTTP server listens.
  const recordFailedUpdate = createPgFailedUpdates(database.pool);
  // An update that keeps failing is recorded and skipped, on both bots (src/telegram/update-failures.ts).
  const failedUpdates = {
    recordFailedUpdate: async (failed: Parameters<typeof recordFailedUpdate>[0]) => recordFailedUpdate(failed),
    updateSkipped: () => metrics.telegramUpdateSkipped(),
  };
  const telegramLimit = createKeyedLimit({ name: 'tg', perMinute: config.RATE_LIMIT_TELEGRAM_PER_MINUTE, redis: sharedRedis, keyPrefix: config.BULLMQ_PREFIX });
  if (config.TELEGRAM_BOT_TOKEN) {
    channels.push(
      createTelegramChannel(
        {
          receive: (message, options) => receiveMessage(deps, message, options),
          store,
          jobBackend,
          text: (key) => knowledge.text(key),
          redis: sharedRedis,
          logger: logger.child({ component: 'telegram' }),
          ...failedUpdates,
          allowMessage: (chatId) => telegramLimit.take(chatId),
        },
        { ...telegramOptions, token: config.TELEGRAM_BOT_TOKEN, maxUpdateFailures: config.TELEGRAM_UPDATE_MAX_FAILURES },
      ),
    );
  }
  if (config.TELEGRAM_OPERATOR_BOT_TOKEN) {
    const operators = createOperatorsChannel(
      {
        core: deps,
        deliveries: createPgDeliveryStore(database.pool),
        jobBackend,
        redis: sharedRedis,
        logger: logger.child({ component: 'operators' }),
        ...failedUpdates,
      },
      { ...telegramOptions, token: config.TELEGRAM_OPERATOR_BOT_TOKEN, maxUpdateFailures: config.TELEGRAM_UPDATE_MAX_FAILURES },
    );
    deps.desk = operators.desk;
    channels.push(operators);
  }
  for (const channel of channels) {
    if (channel.outbox) outboxes[channel.outbox.channel] = channel.outbox;
    for (const { name, backend } of channel.queues) metrics.watchQueue(name, () => backend.depth());
  }
  // Shutdown runs this stack backwards: the bots stop taking updates, then the reply worker
  // drains (its last replies may still be handed to the send queues), then those queues.
  stack.push(async () => {
    await replies.close();
    for (const channel of channels) for (const { backend } of channel.queues) await backend.close();
  });
  for (const channel of channels) stack.push(() => channel.stop());

  if (role !== 'api') {
    if (!connect) await store.releaseAllLeases(); // one process: no other lease holder can be alive
    const answerOptions = { leaseMs: config.LLM_TIMEOUT_MS + 15_000 };
    await replies.startWorker((job, context) => answerConversation(deps, job, context, answerOptions), {
      concurrency: config.LLM_CONCURRENCY,
      globalConcurrency: config.LLM_CONCURRENCY,
      rps: config.LLM_RPS,
    });
    await recoverPending(deps, { olderThanMs: 0 });
    const handoffTimeoutMs = config.HANDOFF_TIMEOUT_MINUTES * 60_000;
    // RECOVERY_SWEEP_SECONDS is both the period and the age of a message it treats as lost.
    const sweepMs = config.RECOVERY_SWEEP_SECONDS * 1000;
    const sweep = setInterval(() => {
      recoverPending(deps, { olderThanMs: sweepMs }).catch((error: unknown) => logger.warn({ err: error }, 'recovery sweep failed'));
      expireHandoffs(deps, handoffTimeoutMs)
        .then(() => reofferWaiting(deps))
        .catch((error: unknown) => logger.warn({ err: error }, 'handoff sweep failed'));
    }, sweepMs);
    sweep.unref();
    stack.push(async () => clearInterval(sweep));
  }

  let server: RunningServer | undefined;
  if (role !== 'worker') {
    const catalogLimit = createKeyedLimit({ name: 'catalog', perMinute: config.RATE_LIMIT_CATALOG_PER_MINUTE, redis: sharedRedis, keyPrefix: config.BULLMQ_PREFIX });
    const routers: Router[] = [
      ...channels.flatMap((channel) => channel.routers),
      createCatalogRouter({
        search: (q: string, limit: number) => knowledge.searchCatalog(q, limit),
        limit: (address) => catalogLimit.consume(address, 'catalog.rate_limited', 'catalog search'),
      }),
    ];
    const admin = await buildAdminPanel(config, {
      database,
      logger,
      deps,
      metrics,
      knowledge,
      connect,
      sharedRedis,
      modelName: model ? config.YANDEX_GPT_MODEL : 'offline (no YandexGPT credentials)',
      queues: [{ name: REPLY_QUEUE, depth: () => replies.depth() }, ...channels.flatMap((c) => c.queues.map((q) => ({ name: q.name, depth: () => q.backend.depth() })))],
    });
    stack.push(() => admin.close());
    routers.push(admin.router);
    const http = createHttpApp(
      {
        logger: logger.child({ component: 'http' }),
        metrics,
        routers,
        fastRoutes: channels.flatMap((channel) => channel.fastRoutes ?? []),
        readiness: {
          database: async () => (await database.pool.query('select 1')).rowCount === 1,
          queue: () => replies.ping(),
        },
        openApi: buildOpenApiDocument(process.env.npm_package_version ?? '0.0.0'),
        text: (key) => knowledge.text(key),
        isUnavailable: isUnavailableError,
      },
      { corsOrigins: config.CORS_ORIGINS, trustProxy: config.TRUST_PROXY, metricsToken: config.METRICS_TOKEN },
    );
    server = await listen(http, config.PORT, config.HOST);
    const running = server;
    stack.push(() => running.close());
    // Popped first: the server's close waits for open responses, and a stream never ends by itself.
    stack.push(async () => web.closeStreams());
  }
  // Updates arrive where a webhook is served (api, all) or are polled by a worker (worker, all).
  for (const channel of channels) await channel.start({ send: role !== 'api', receive: webhook ? role !== 'worker' : role !== 'api' });

  return {
    info: {
      role,
      url: server?.url,
      database: database.embedded ? 'embedded' : 'external',
      queue: connect ? 'redis' : 'in-process',
      channels: channels.map((channel) => channel.name),
      llm: model ? 'yandexgpt' : 'offline',
    },
    deps,
    stop,
  };
}

/** The admin panel at /admin, with the sources its Status and Queues pages read. */
async function buildAdminPanel(
  config: Config,
  parts: {
    database: Database;
    logger: RootLogger;
    deps: CoreDeps;
    metrics: AppMetrics;
    knowledge: PromptsKnowledge;
    connect: RedisConnector | undefined;
    sharedRedis: Redis | undefined;
    modelName: string;
    queues: WatchedQueue[];
  },
): Promise<AdminPanel> {
  const { connect } = parts;
  return createAdminPanel(
    {
      orm: parts.database.orm,
      core: parts.deps,
      pool: parts.database.pool,
      logger: parts.logger.child({ component: 'admin' }),
      clock: parts.deps.clock,
      redis: parts.sharedRedis,
      status: {
        queues: parts.queues,
        catalog: () => parts.knowledge.catalogStatus(),
        registry: parts.metrics.registry,
        model: parts.modelName,
        bots: createBotStatus(
          [
            ...(config.TELEGRAM_BOT_TOKEN ? [{ name: 'customers' as const, token: config.TELEGRAM_BOT_TOKEN }] : []),
            ...(config.TELEGRAM_OPERATOR_BOT_TOKEN ? [{ name: 'operators' as const, token: config.TELEGRAM_OPERATOR_BOT_TOKEN }] : []),
          ].map(({ name, token }) => {
            const api = createPlainApi({ token, apiRoot: config.TELEGRAM_API_ROOT });
            return { name, mode: config.TELEGRAM_WEBHOOK_BASE_URL ? 'webhook' : 'polling', getWebhookInfo: (signal: AbortSignal) => api.getWebhookInfo(grammySignal(signal)) };
          }),
          parts.database.orm,
        ),
      },
      bull: connect ? { names: parts.queues.map((q) => q.name), prefix: config.BULLMQ_PREFIX, connect: () => connect('client') } : undefined,
    },
    {
      sessionSecret: await resolveSessionSecret(resolve(config.DATA_DIR), config.SESSION_SECRET),
      sessionHours: config.ADMIN_SESSION_HOURS,
      keyPrefix: config.BULLMQ_PREFIX,
      pricePer1000Tokens: config.LLM_PRICE_PER_1000_TOKENS,
      currency: 'RUB',
    },
  );
}

/** grammY's Node typings name the `abort-controller` polyfill's signal; the runtime takes the native one. */
function grammySignal(signal: AbortSignal): Parameters<ReturnType<typeof createPlainApi>['getWebhookInfo']>[0] {
  return signal as unknown as Parameters<ReturnType<typeof createPlainApi>['getWebhookInfo']>[0];
}
