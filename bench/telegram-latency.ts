/**
 * Telegram end-to-end latency: from an update injected at the Bot API fake to the reply's
 * `sendMessage` arriving there, through the whole app (long poll or webhook → store → reply queue →
 * model fake answering at once → send queue → sendMessage). One message in flight at a time by
 * default, each from a new customer, after a warm-up; figures, not pass/fail.
 *
 * Runs the app and both fakes in this process. Prints progress on stderr and one line
 * `TELEGRAM_LATENCY {json}` on stdout. Settings (env):
 *   BENCH_TELEGRAM_MESSAGES      measured messages (default 200)
 *   BENCH_TELEGRAM_WARMUP        unmeasured messages first (default 20)
 *   BENCH_TELEGRAM_CONCURRENCY   messages in flight at once (default 1)
 *   BENCH_TELEGRAM_INTERVAL_MS   least time between two messages' starts, per sender (default 100): the
 *                                send queue is capped at 25 jobs a second (Telegram's limit is about
 *                                30 messages a second), and back-to-back messages would measure the cap
 *   BENCH_TELEGRAM_MODE          polling | webhook (default polling)
 *   BENCH_EMBEDDED=1             embedded PostgreSQL and the in-process queue instead of the machine's
 *   BENCH_PG_ADMIN_URL           server for the scratch database (default postgres://postgres@127.0.0.1:5432/postgres)
 *   BENCH_REDIS_URL              Redis for BullMQ (default redis://127.0.0.1:6379)
 */
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startFakeTelegram } from '../test/fakes/fake-telegram.js';
import { startFakeYandexGpt } from '../test/fakes/fake-yandex-gpt.js';
import { freePort } from '../src/free-port.js';
import { createScratchDatabase, deleteRedisPrefix, dropScratchDatabase } from './support/services.js';

const messages = Number(process.env.BENCH_TELEGRAM_MESSAGES ?? 200);
const warmup = Number(process.env.BENCH_TELEGRAM_WARMUP ?? 20);
const concurrency = Math.max(1, Number(process.env.BENCH_TELEGRAM_CONCURRENCY ?? 1));
const intervalMs = Math.max(0, Number(process.env.BENCH_TELEGRAM_INTERVAL_MS ?? 100));
const mode = process.env.BENCH_TELEGRAM_MODE === 'webhook' ? 'webhook' : 'polling';
const embedded = ['1', 'true', 'yes'].includes((process.env.BENCH_EMBEDDED ?? '').toLowerCase());
const pgAdminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runId = `${Date.now().toString(36)}_${process.pid}`;
const progress = (line: string) => process.stderr.write(`· telegram-latency: ${line}\n`);

const cleanups: Array<() => Promise<unknown>> = [];
async function cleanup(): Promise<void> {
  while (cleanups.length) await (cleanups.pop() as () => Promise<unknown>)().catch((error: unknown) => progress(`cleanup failed: ${String(error)}`));
}

async function main(): Promise<void> {
  const telegram = await startFakeTelegram({ webhookRetryMs: 50 });
  cleanups.push(() => telegram.close());
  const gpt = await startFakeYandexGpt();
  cleanups.push(() => gpt.close());

  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PROMPTS_DIR: 'prompts',
    YANDEX_API_KEY: 'bench-key',
    YANDEX_FOLDER_ID: 'b1gbench',
    YANDEX_GPT_BASE_URL: gpt.url,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.url,
    BULLMQ_PREFIX: `supportbot-tgbench-${runId}`,
  };
  if (mode === 'webhook') {
    env.TELEGRAM_WEBHOOK_BASE_URL = `http://127.0.0.1:${env.PORT}`;
    env.TELEGRAM_WEBHOOK_SECRET = `bench_${runId}`;
  }
  if (embedded) {
    const dataDir = mkdtempSync(join(tmpdir(), 'supportbot-tgbench-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    env.DATA_DIR = dataDir;
  } else {
    const name = `supportbot_tgbench_${runId}`;
    env.DATABASE_URL = await createScratchDatabase(pgAdminUrl, name);
    cleanups.push(() => dropScratchDatabase(pgAdminUrl, name));
    env.REDIS_URL = redisUrl;
    cleanups.push(() => deleteRedisPrefix(redisUrl, env.BULLMQ_PREFIX as string));
  }

  progress(`starting the app (${mode}, ${embedded ? 'embedded PostgreSQL + in-process queue' : 'PostgreSQL + BullMQ'})`);
  const app: App = await startApp(loadConfig(env), createLogger({ level: env.LOG_LEVEL as string }), 'all');
  cleanups.push(() => app.stop());

  /** One customer's message, injected; resolves with the ms until its reply reached sendMessage. */
  const roundTrip = async (): Promise<number> => {
    const chat = randomInt(1_000_000_000, 2_000_000_000);
    const started = performance.now();
    telegram.pushText(chat, `Есть ли плёнка Oracal 641 в наличии? ${chat}`);
    await telegram.waitForSent(chat, 1, 30_000);
    return performance.now() - started;
  };
  const run = async (count: number): Promise<number[]> => {
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next += 1;
          const started = performance.now();
          latencies.push(await roundTrip());
          const rest = intervalMs - (performance.now() - started);
          if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
        }
      }),
    );
    return latencies;
  };

  progress(`warm-up: ${warmup} messages`);
  await run(warmup);
  progress(`measuring: ${messages} messages, ${concurrency} in flight`);
  const started = performance.now();
  const latencies = (await run(messages)).sort((a, b) => a - b);
  const seconds = (performance.now() - started) / 1000;

  const pick = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? NaN);
  const result = {
    mode,
    backend: embedded ? 'embedded+in-process' : 'postgres+redis',
    messages: latencies.length,
    concurrency,
    interval_ms: intervalMs,
    p50_ms: pick(0.5),
    p90_ms: pick(0.9),
    p99_ms: pick(0.99),
    max_ms: round(latencies[latencies.length - 1] ?? NaN),
    mean_ms: round(latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length),
    messages_per_s: round(latencies.length / seconds),
    send_errors: telegram.calls.filter((c) => c.method === 'sendMessage' && c.errorCode !== undefined).length,
  };
  process.stdout.write(`TELEGRAM_LATENCY ${JSON.stringify(result)}\n`);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

main()
  .catch((error: unknown) => {
    console.error(`telegram-latency failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    // Timers of the app's libraries may linger after stop; the figures are out, so leave.
    process.exit();
  });
