/**
 * Open widget streams: memory per stream, and the time from a reply being stored to it reaching
 * the streams' clients. Runs the app in this process (so its memory can be read after a GC; start
 * with `node --expose-gc --import tsx`), creates one conversation per visitor, then a child
 * process (bench/support/stream-clients.ts) opens one stream per visitor on loopback. Once all are
 * open, one reply per visitor is stored (ConversationStore.addOutbound, then the web outbox's
 * deliver, as an operator's message is), `BENCH_STREAM_STORE_CONCURRENCY` at a time; each
 * client records when its message arrived. Prints progress on stderr and `STREAM_FANOUT {json}`.
 *
 * Settings (env): BENCH_STREAMS (default 10000), BENCH_STREAM_OPEN_CONCURRENCY (100),
 * BENCH_STREAM_STORE_CONCURRENCY (32), BENCH_EMBEDDED=1 (embedded PostgreSQL, in-process events),
 * BENCH_PG_ADMIN_URL, BENCH_REDIS_URL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeCursor } from '../channels/web/stream-hub.js';
import { startApp, type App } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { freePort } from '../src/free-port.js';
import { createLogger } from '../src/logger.js';
import { spawnChild, stopChild, type Child } from './support/processes.js';
import { createScratchDatabase, deleteRedisPrefix, dropScratchDatabase } from './support/services.js';
import { round, sleep, summarize } from './support/stats.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const streams = Number(process.env.BENCH_STREAMS ?? 10_000);
const openConcurrency = Number(process.env.BENCH_STREAM_OPEN_CONCURRENCY ?? 100);
const storeConcurrency = Number(process.env.BENCH_STREAM_STORE_CONCURRENCY ?? 32);
const embedded = ['1', 'true', 'yes'].includes((process.env.BENCH_EMBEDDED ?? '').toLowerCase());
const pgAdminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runId = `${Date.now().toString(36)}_${process.pid}`;
const progress = (line: string) => process.stderr.write(`· stream-fanout: ${line}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

const cleanups: Array<() => Promise<unknown>> = [];
async function cleanup(): Promise<void> {
  while (cleanups.length) await (cleanups.pop() as () => Promise<unknown>)().catch((error: unknown) => progress(`cleanup failed: ${String(error)}`));
}

/** Runs `work(i)` for i in [0, count), `concurrency` at a time. */
async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await work(next++);
  }));
}

function memory(): { rssMb: number; heapMb: number } {
  gc?.();
  const usage = process.memoryUsage();
  return { rssMb: usage.rss / 2 ** 20, heapMb: usage.heapUsed / 2 ** 20 };
}

function waitForLine(child: Child, lines: string[], prefix: string, timeoutMs: number): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const started = Date.now();
    const check = setInterval(() => {
      const line = lines.find((l) => l.startsWith(prefix));
      if (line) {
        clearInterval(check);
        resolveLine(line.slice(prefix.length));
      } else if (child.exitStatus() || Date.now() - started > timeoutMs) {
        clearInterval(check);
        reject(new Error(`stream clients: no ${prefix.trim()} line within ${timeoutMs} ms:\n${child.tail()}`));
      }
    }, 20);
  });
}

async function main(): Promise<void> {
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PROMPTS_DIR: join(root, 'prompts'),
    BULLMQ_PREFIX: `supportbot-streambench-${runId}`,
    // Every stream comes from 127.0.0.1: the per-address limit would refuse most of them.
    RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000000',
  };
  if (embedded) {
    const dataDir = mkdtempSync(join(tmpdir(), 'supportbot-streambench-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    env.DATA_DIR = dataDir;
  } else {
    const name = `supportbot_streambench_${runId}`;
    env.DATABASE_URL = await createScratchDatabase(pgAdminUrl, name);
    cleanups.push(() => dropScratchDatabase(pgAdminUrl, name));
    env.REDIS_URL = redisUrl;
    cleanups.push(() => deleteRedisPrefix(redisUrl, env.BULLMQ_PREFIX as string));
  }
  progress(`starting the app (${embedded ? 'embedded PostgreSQL, in-process events' : 'PostgreSQL, Redis pub/sub'})`);
  const app: App = await startApp(loadConfig(env), createLogger({ level: env.LOG_LEVEL as string }), 'all');
  cleanups.push(() => app.stop());
  const url = `${app.info.url}/api/v1/stream`;
  const outbox = app.deps.outboxes.web;
  if (!outbox) throw new Error('the web channel is not running');

  progress(`creating ${streams} conversations`);
  const visitors: Array<{ token: string; conversationId: string; cursor: string }> = new Array(streams);
  await pool(streams, 16, async (i) => {
    const token = `sb-${runId}-${String(i).padStart(6, '0')}`;
    const { conversation, message } = await app.deps.store.accept({ address: { channel: 'web', chatId: token }, externalId: `bench-${i}`, text: 'вопрос', at: new Date() });
    // Parked with a (pretend) operator, so the message waits for no reply job.
    await app.deps.store.transition(conversation.id, ['bot'], 'with_operator');
    visitors[i] = { token, conversationId: conversation.id, cursor: encodeCursor(message.id) };
  });
  const file = join(mkdtempSync(join(tmpdir(), 'supportbot-streambench-')), 'visitors.json');
  cleanups.push(async () => rmSync(resolve(file, '..'), { recursive: true, force: true }));
  writeFileSync(file, JSON.stringify(visitors.map((v) => [v.token, v.cursor])));

  await sleep(1000);
  const before = memory();
  progress(`opening ${streams} streams (${openConcurrency} at a time, a child process)`);
  const lines: string[] = [];
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const clients = spawnChild('stream-clients', tsx, [join(root, 'bench', 'support', 'stream-clients.ts')], {
    cwd: root,
    env: { ...process.env, STREAM_URL: url, STREAM_VISITORS: file, STREAM_OPEN_CONCURRENCY: String(openConcurrency) },
    onLine: (line) => lines.push(line),
  });
  cleanups.push(() => stopChild(clients, 10_000));
  const opened = JSON.parse(await waitForLine(clients, lines, 'OPENED ', 300_000)) as { ok: number; failed: number; ms: number };
  progress(`opened ${opened.ok} (${opened.failed} failed) in ${opened.ms} ms`);
  await sleep(2000);
  const after = memory();

  progress(`storing one reply per visitor (${storeConcurrency} at a time)`);
  const stored = new Array<number>(streams).fill(0);
  const storeStarted = performance.timeOrigin + performance.now();
  await pool(streams, storeConcurrency, async (i) => {
    const v = visitors[i] as (typeof visitors)[number];
    const message = await app.deps.store.addOutbound(v.conversationId, 'Здравствуйте! Я оператор.', 'OPERATOR', 'operator');
    stored[i] = performance.timeOrigin + performance.now();
    await outbox.deliver({ channel: 'web', chatId: v.token }, { kind: 'reply', messageId: message.id, text: message.text, author: 'OPERATOR' });
  });
  const storeEnded = performance.timeOrigin + performance.now();
  await waitForLine(clients, lines, 'ALL ', 120_000).catch((error: unknown) => progress(String(error).split('\n')[0] ?? ''));
  clients.process.stdin?.write('REPORT\n');
  const arrivals = JSON.parse(await waitForLine(clients, lines, 'ARRIVALS ', 60_000)) as number[];

  const latencies = arrivals.flatMap((t, i) => (t ? [t - (stored[i] ?? 0)] : []));
  const arrivedSorted = arrivals.filter((t) => t > 0).sort((a, b) => a - b);
  const at99 = arrivedSorted[Math.ceil(0.99 * streams) - 1];
  const result = {
    backend: embedded ? 'embedded PostgreSQL + in-process events' : 'PostgreSQL + Redis pub/sub',
    streams,
    opened: opened.ok,
    open_failed: opened.failed,
    open_ms: opened.ms,
    gc: Boolean(gc),
    server_rss_mb: { before: round(before.rssMb, 1), after: round(after.rssMb, 1) },
    server_heap_mb: { before: round(before.heapMb, 1), after: round(after.heapMb, 1) },
    kb_per_stream: { rss: round(((after.rssMb - before.rssMb) * 1024) / streams, 2), heap: round(((after.heapMb - before.heapMb) * 1024) / streams, 2) },
    received: latencies.length,
    stored_to_client_ms: summarize(latencies),
    store_all_ms: round(storeEnded - storeStarted, 0),
    first_store_to_99pct_clients_ms: at99 ? round(at99 - storeStarted, 0) : null,
  };
  process.stdout.write(`STREAM_FANOUT ${JSON.stringify(result)}\n`);
}

main()
  .then(cleanup)
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(`stream-fanout failed: ${error instanceof Error ? error.stack : String(error)}`);
    await cleanup();
    process.exit(1);
  });
