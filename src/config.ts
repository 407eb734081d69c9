/**
 * The one validated configuration, parsed from the environment once (names as in CONTRACT.md).
 * Every problem is reported together; modules receive typed option objects, never process.env.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const url = z.string().url();

export const configSchema = z.object({
  PORT: int(0, 65535).default(8000).describe('HTTP listen port'),
  HOST: z.string().min(1).default('0.0.0.0').describe('HTTP listen address'),
  DATA_DIR: z.string().min(1).default('./data').describe('embedded database files and other local state'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('external PostgreSQL; unset: embedded PostgreSQL under DATA_DIR'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .describe('Redis for BullMQ queues, cross-process signals and shared rate limits; unset: in-process'),
  PROMPTS_DIR: z.string().min(1).default('./prompts').describe('the folder managers edit'),
  YANDEX_API_KEY: z.string().min(1).optional().describe('YandexGPT API key (sent as Api-Key)'),
  YANDEX_IAM_TOKEN: z.string().min(1).optional().describe('YandexGPT IAM token (sent as Bearer)'),
  YANDEX_FOLDER_ID: z.string().min(1).optional().describe('Yandex Cloud folder; part of modelUri'),
  YANDEX_GPT_MODEL: z.string().min(1).default('yandexgpt-lite/latest').describe('model path after gpt://<folder>/'),
  YANDEX_GPT_TEMPERATURE: z.coerce.number().min(0).max(1).default(0.6).describe('sampling temperature'),
  YANDEX_GPT_MAX_TOKENS: int(1, 32000).default(2000).describe('answer length limit, tokens'),
  YANDEX_GPT_BASE_URL: url.default('https://llm.api.cloud.yandex.net').describe('API root'),
  YANDEX_DATA_LOGGING: bool.default(false).describe('whether Yandex may keep prompts'),
  LLM_CONCURRENCY: int(1, 1000).default(10).describe('generations in flight across all workers'),
  LLM_RPS: int(1).optional().describe('cap on model requests per second across all workers'),
  LLM_TIMEOUT_MS: int(1000).default(30000).describe('per-call timeout, ms'),
  LLM_RETRY_ATTEMPTS: int(1, 20).default(5).describe('runs of a reply job before the fallback answer'),
  LLM_RETRY_BACKOFF_MS: int(10).default(1000).describe('delay before the first retry, ms; doubles each attempt, ±50% jitter'),
  CATALOG_URL: url.optional().describe('YML or CSV feed to load the catalog from'),
  CATALOG_REFRESH_MINUTES: int(1).default(60).describe('catalog feed refresh period, minutes'),
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional().describe("customers' bot token; unset: channel off"),
  TELEGRAM_OPERATOR_BOT_TOKEN: z.string().min(1).optional().describe("operators' bot token; unset: handoff notices off"),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org').describe('Bot API root'),
  TELEGRAM_WEBHOOK_BASE_URL: url.optional().describe('public base URL for webhooks; unset: long polling'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
    .optional()
    .describe('secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token'),
  CORS_ORIGINS: z.string().default('*').describe('comma-separated origins allowed to call the chat API, or *'),
  TRUST_PROXY: z.string().default('loopback').describe('Express trust proxy setting'),
  RATE_LIMIT_MESSAGES_PER_MINUTE: int(1).default(20).describe('messages one visitor may send a minute'),
  RATE_LIMIT_ADDRESS_PER_MINUTE: int(1).default(3000).describe('chat-API requests (polls included) one address may make a minute'),
  RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE: int(1).default(60).describe('messages one address may send a minute across all its tokens'),
  RATE_LIMIT_TELEGRAM_PER_MINUTE: int(1).default(20).describe('messages one Telegram customer may send a minute'),
  RATE_LIMIT_CATALOG_PER_MINUTE: int(1).default(120).describe('catalog searches one address may make a minute'),
  LLM_CALLS_PER_MINUTE: int(1).optional().describe('global ceiling on model calls a minute; past it customers get the "busy" text; unset: none'),
  METRICS_TOKEN: z.string().min(16).optional().describe('when set, /metrics needs Authorization: Bearer <token>'),
  DATABASE_CONNECT_TIMEOUT_MS: int(100).default(3000).describe('longest wait for a database connection, ms; then 503'),
  DATABASE_STATEMENT_TIMEOUT_MS: int(100).default(10000).describe('longest database statement, ms; then 503 (or a retry)'),
  RECOVERY_SWEEP_SECONDS: int(1).default(30).describe('period of the recovery sweep, and the age of a pending message it re-enqueues, s'),
  TELEGRAM_UPDATE_MAX_FAILURES: int(1, 100).default(5).describe('failures of one Telegram update before it is recorded and skipped'),
  MAX_MESSAGE_CHARS: int(1, 100_000).default(4000).describe('longest accepted message, characters'),
  MAX_BODY_BYTES: int(256, 10_000_000).default(65536).describe('largest accepted request body, bytes'),
  HANDOFF_TIMEOUT_MINUTES: int(1, 10_080)
    .default(30)
    .describe('how long a request for a person stays open with nobody taking it, minutes; then it expires and the customer is told'),
  SESSION_SECRET: z.string().min(16).optional().describe('signs admin sessions; unset: generated in DATA_DIR'),
  ADMIN_SESSION_HOURS: int(1, 24 * 30).default(12).describe('how long an admin login lasts, hours'),
  LLM_PRICE_PER_1000_TOKENS: z.coerce.number().min(0).default(0.2).describe('price of 1,000 model tokens in RUB, for the estimated cost in the admin analytics'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BULLMQ_PREFIX: z.string().min(1).default('supportbot').describe('key prefix of the BullMQ queues in Redis'),
  WEB_CONCURRENCY: int(1, 64).optional().describe('HTTP processes of start:api (node:cluster); unset: one per CPU core'),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown with every problem of the environment listed, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; empty strings count as unset (compose files often pass `VAR=`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const config = parsed.data;
  const problems: string[] = [];
  if ((config.YANDEX_API_KEY || config.YANDEX_IAM_TOKEN) && !config.YANDEX_FOLDER_ID) {
    problems.push('YANDEX_FOLDER_ID: required when YANDEX_API_KEY or YANDEX_IAM_TOKEN is set');
  }
  if (config.TELEGRAM_WEBHOOK_BASE_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_BASE_URL is set');
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Whether YandexGPT credentials are present; without them the bot answers from the knowledge base. */
export function hasLlmCredentials(config: Config): boolean {
  return Boolean((config.YANDEX_API_KEY || config.YANDEX_IAM_TOKEN) && config.YANDEX_FOLDER_ID);
}
