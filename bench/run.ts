/**
 * `npm run bench`: figures (not pass/fail) for the current build against the services it is
 * configured with — see bench/README.md for what is measured, how, and every BENCH_* setting.
 *
 *  1. POST /api/v1/gpt (new and returning visitors) and the empty GET /api/v1/message poll at 64
 *     connections, with wrk and the shared Lua scripts in bench/wrk/ (warm-up, then measured run);
 *  2. POST → reply returned by a poll, with a YandexGPT fake that answers at once;
 *  3. catalog search on a 50,000-offer catalog, and bench/telegram-latency.ts when present;
 *  4. with BENCH_FLOOR=1, the raw PostgreSQL (pgbench) and Redis (LPUSH) floors for comparison.
 *
 * The server under test runs as child processes (`tsx src/entry/start.ts`, or api + worker), on a
 * scratch database and a unique Redis key prefix that are removed at the end, as are temp dirs and
 * every child process (also on Ctrl-C). Output: a table, then one line `BENCH_RESULT {json}`.
 * bench/wrk/*.lua and bench/sql/*.sql are unchanged copies of the shared load scripts (shared/bench/).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch, loadavg, platform, release, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuSampler, machineCores, type CpuFigures } from './support/cpu.js';
import { measureEndToEnd, type E2eResult } from './support/e2e.js';
import { killAllSync, liveChildren, runChild, spawnChild, stopChild, type Child } from './support/processes.js';
import {
  createScratchDatabase,
  deleteRedisPrefix,
  dropScratchDatabase,
  redactUrl,
  redisAnswers,
} from './support/services.js';
import { freePort } from '../src/free-port.js';
import { round, sleep } from './support/stats.js';
import { findExecutable, isExecutable, runWrk, wrkCommandLine, type WrkResult, type WrkRun } from './support/wrk.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Settings

function envNumber(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name}=${raw}: expected a number ≥ ${min}`);
  return value;
}
const envFlag = (name: string) => ['1', 'true', 'yes'].includes((process.env[name] ?? '').toLowerCase());

const RAISED_LIMIT = '1000000000';

const settings = {
  durationS: envNumber('BENCH_DURATION_S', 15, 1),
  warmupS: envNumber('BENCH_WARMUP_S', 5, 0),
  seedS: envNumber('BENCH_SEED_S', 5, 1),
  threads: envNumber('BENCH_THREADS', 2, 1),
  connections: envNumber('BENCH_CONNECTIONS', 64, 1),
  pool: envNumber('BENCH_POOL', 1000, 1),
  statusCodes: process.env.WRK_STATUS_CODES !== '0',
  e2eMessages: envNumber('BENCH_E2E_MESSAGES', 300, 1),
  e2eConcurrency: envNumber('BENCH_E2E_CONCURRENCY', 16, 1),
  e2ePollMs: envNumber('BENCH_E2E_POLL_MS', 25, 1),
  catalogOffers: envNumber('BENCH_CATALOG_OFFERS', 50_000, 1),
  catalogQueries: envNumber('BENCH_CATALOG_QUERIES', 2000, 1),
  catalogSeconds: envNumber('BENCH_CATALOG_SECONDS', 60, 1),
  embedded: envFlag('BENCH_EMBEDDED'),
  roles: (process.env.BENCH_ROLES ?? 'all') as 'all' | 'split',
  floor: envFlag('BENCH_FLOOR'),
  floorS: envNumber('BENCH_FLOOR_DURATION_S', 10, 1),
  readyTimeoutS: envNumber('BENCH_READY_TIMEOUT_S', 180, 1),
  drainTimeoutS: envNumber('BENCH_DRAIN_TIMEOUT_S', 300, 1),
  pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseUrl: process.env.BENCH_DATABASE_URL,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  llmDelayMs: envNumber('BENCH_LLM_DELAY_MS', 0, 0),
};
if (settings.roles !== 'all' && settings.roles !== 'split') throw new Error(`BENCH_ROLES=${String(settings.roles)}: expected all or split`);
if (settings.roles === 'split' && settings.embedded) throw new Error('BENCH_ROLES=split needs PostgreSQL and Redis: unset BENCH_EMBEDDED');

const runId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
const tsxBin = join(root, 'node_modules', '.bin', 'tsx');
const tsx = (script: string, ...args: string[]): [string, string[]] =>
  existsSync(tsxBin) ? [tsxBin, [script, ...args]] : ['npx', ['tsx', script, ...args]];

const log = (line: string) => console.log(`· ${line}`);

// ---------------------------------------------------------------------------------------------
// Cleanup: every step registered as soon as there is something to undo; run once, newest first.

const cleanups: Array<{ what: string; run: () => Promise<unknown> }> = [];
const tempDirs: string[] = [];
let cleaning: Promise<void> | undefined;
let interrupted = false;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const step = cleanups.pop() as (typeof cleanups)[number];
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup: ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    killAllSync();
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}

function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `supportbot-bench-${label}-`));
  tempDirs.push(dir);
  return dir;
}

process.on('exit', () => {
  killAllSync();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      killAllSync();
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${signal}: stopping the server and cleaning up (again to force)…`);
    const force = setTimeout(() => process.exit(130), 60_000);
    force.unref();
    void cleanup().finally(() => process.exit(130));
  });
}

function checkInterrupted(): void {
  if (interrupted) throw new Error('interrupted');
}

// ---------------------------------------------------------------------------------------------
// The server under test

interface Server {
  url: string;
  processes: Child[];
  startupMs: number;
  description: string;
}

async function startFakeLlm(): Promise<{ child: Child; url: string }> {
  let resolveUrl: (url: string) => void = () => undefined;
  const urlReady = new Promise<string>((resolve) => (resolveUrl = resolve));
  const [command, args] = tsx('bench/fake-llm.ts');
  const child = spawnChild('fake-llm', command, args, {
    cwd: root,
    env: { ...process.env, BENCH_LLM_DELAY_MS: String(settings.llmDelayMs) },
    onLine: (line) => {
      if (line.startsWith('FAKE_URL ')) resolveUrl(line.slice('FAKE_URL '.length).trim());
    },
  });
  const url = await Promise.race([
    urlReady,
    child.exited.then(() => {
      throw new Error(`the YandexGPT fake exited before listening:\n${child.tail()}`);
    }),
    sleep(60_000).then(() => {
      throw new Error('the YandexGPT fake did not start within 60 s');
    }),
  ]);
  return { child, url };
}

function serverEnv(options: { port: number; fakeUrl: string; prefix: string; dataDir: string; databaseUrl?: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's environment may point the bench server at real services or bots.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'YANDEX_IAM_TOKEN', 'TELEGRAM_BOT_TOKEN', 'TELEGRAM_OPERATOR_BOT_TOKEN', 'TELEGRAM_WEBHOOK_BASE_URL', 'CATALOG_URL']) {
    delete env[name];
  }
  Object.assign(env, {
    PORT: String(options.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATA_DIR: options.dataDir,
    YANDEX_API_KEY: 'bench-api-key',
    YANDEX_FOLDER_ID: 'bench-folder',
    YANDEX_GPT_BASE_URL: options.fakeUrl,
    RATE_LIMIT_MESSAGES_PER_MINUTE: RAISED_LIMIT,
    RATE_LIMIT_ADDRESS_PER_MINUTE: RAISED_LIMIT,
    BULLMQ_PREFIX: options.prefix,
  });
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (!settings.embedded) env.REDIS_URL = settings.redisUrl;
  return env;
}

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<Server> {
  const started = performance.now();
  const entries: Array<[string, string]> =
    settings.roles === 'all' ? [['server', 'src/entry/start.ts']] : [['api', 'src/entry/api.ts'], ['worker', 'src/entry/worker.ts']];
  const processes = entries.map(([name, script]) => {
    const [command, args] = tsx(script);
    return spawnChild(name, command, args, { cwd: root, env, maxStdout: 64 * 1024 });
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + settings.readyTimeoutS * 1000;
  for (;;) {
    checkInterrupted();
    for (const child of processes) {
      const status = child.exitStatus();
      if (status) throw new Error(`${child.name} exited (${status.code ?? status.signal}) before /readyz answered 200:\n${child.tail().trim()}`);
    }
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })
      .then(async (response) => (await response.arrayBuffer(), response.status === 200))
      .catch(() => false);
    // The worker has no HTTP; a moment more lets it finish starting its consumer.
    if (ready) {
      if (settings.roles === 'split') await sleep(1000);
      break;
    }
    if (performance.now() > deadline) {
      throw new Error(`/readyz did not answer 200 within ${settings.readyTimeoutS} s:\n${processes.map((c) => c.tail().trim()).join('\n')}`);
    }
    await sleep(250);
  }
  const description =
    settings.roles === 'all' ? 'one process, role all (npm start)' : 'two processes: api (npm run start:api) + worker (npm run start:worker)';
  return { url, processes, startupMs: round(performance.now() - started, 0), description };
}

async function stopServer(server: Server): Promise<Array<{ name: string; ms: number; forced: boolean; exit: string }>> {
  // The api first (no new work), then the worker.
  const out = [];
  for (const child of server.processes) {
    const stopped = await stopChild(child);
    out.push({ name: child.name, ms: round(stopped.ms, 0), forced: stopped.forced, exit: String(stopped.status.code ?? stopped.status.signal) });
  }
  return out;
}

/** Jobs not yet done (waiting + active + delayed) and replies stored, from /metrics. */
async function queueState(url: string): Promise<{ pending: number; replies: number | null } | undefined> {
  const text = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })
    .then((response) => (response.ok ? response.text() : undefined))
    .catch(() => undefined);
  if (!text) return undefined;
  let pending: number | undefined;
  let replies: number | null = null;
  for (const line of text.split('\n')) {
    const queue = /^queue_jobs\{([^}]*)\}\s+(\S+)/.exec(line);
    if (queue && /state="(waiting|active|delayed)"/.test(queue[1] ?? '')) pending = (pending ?? 0) + Number(queue[2]);
    const reply = /^replies_total(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (reply) replies = (replies ?? 0) + Number(reply[1]);
  }
  return pending === undefined ? undefined : { pending, replies };
}

interface DrainResult {
  backlog: number | null;
  seconds: number;
  replies_per_s: number | null;
  drained: boolean;
}

/** Waits until the reply queue is empty (every reply to the POSTs so far stored). */
async function drainQueue(url: string): Promise<DrainResult> {
  const started = performance.now();
  const first = await queueState(url);
  if (!first) return { backlog: null, seconds: 0, replies_per_s: null, drained: false };
  let last = first;
  let zeros = 0;
  while (performance.now() - started < settings.drainTimeoutS * 1000) {
    checkInterrupted();
    const state = await queueState(url);
    if (state) last = state;
    zeros = state?.pending === 0 ? zeros + 1 : 0;
    if (zeros >= 2) break;
    await sleep(250);
  }
  const seconds = (performance.now() - started) / 1000;
  const replies = first.replies !== null && last.replies !== null && first.pending > 0 && seconds > 0.5 ? round((last.replies - first.replies) / seconds, 0) : null;
  return { backlog: first.pending, seconds: round(seconds, 1), replies_per_s: replies, drained: zeros >= 2 };
}

// ---------------------------------------------------------------------------------------------
// wrk phases

interface HttpFigures {
  label: string;
  command: string;
  warmup_rps: number | null;
  rps: number;
  latency_ms: WrkResult['latency_ms'];
  requests: number;
  non_2xx: number | null;
  status_codes: Record<string, number>;
  socket_errors: number;
  timeouts: number;
  bytes_per_response?: number;
  cpu: CpuFigures | null;
  /** Reply jobs not yet done when the measured run ended. */
  queue_backlog_after: number | null;
  /** Replies stored per second during the measured run (role all only: the worker's counter). */
  replies_per_s: number | null;
}

async function wrkPhase(
  context: { wrk: string; server: Server; fakePid: number },
  label: string,
  script: string,
  path: string,
  args: string[],
): Promise<HttpFigures> {
  const base: Omit<WrkRun, 'durationS'> = {
    wrk: context.wrk,
    script: join(root, 'bench', 'wrk', script),
    url: `${context.server.url}${path}`,
    threads: settings.threads,
    connections: settings.connections,
    args,
    statusCodes: settings.statusCodes,
  };
  let warmupRps: number | null = null;
  if (settings.warmupS > 0) {
    checkInterrupted();
    log(`${label}: warm-up ${settings.warmupS} s`);
    warmupRps = round((await runWrk({ ...base, durationS: settings.warmupS })).rps, 0);
  }
  checkInterrupted();
  log(`${label}: measured ${settings.durationS} s`);
  const before = await queueState(context.server.url);
  const run: WrkRun = { ...base, durationS: settings.durationS, latency: true };
  let sampler: CpuSampler | undefined;
  const result = await runWrk(run, (child) => {
    sampler = new CpuSampler({ server: context.server.processes.map((p) => p.pid), llm_fake: [context.fakePid], wrk: [child.pid] });
    sampler.start();
  });
  const cpu = sampler?.stop() ?? null;
  const after = await queueState(context.server.url);
  const replies =
    before?.replies != null && after?.replies != null ? round((after.replies - before.replies) / result.duration_s, 0) : null;
  return {
    label,
    command: wrkCommandLine(run),
    warmup_rps: warmupRps,
    rps: round(result.rps, 0),
    latency_ms: result.latency_ms,
    requests: result.requests,
    non_2xx: result.non_2xx,
    status_codes: result.status_codes,
    socket_errors: result.errors.connect + result.errors.read + result.errors.write,
    timeouts: result.errors.timeout,
    ...(result.bytes_per_response !== undefined ? { bytes_per_response: round(result.bytes_per_response, 0) } : {}),
    cpu,
    queue_backlog_after: after?.pending ?? null,
    replies_per_s: replies,
  };
}

interface HttpSection {
  post_new_visitor: HttpFigures;
  post_returning_visitor: HttpFigures;
  get_poll_empty: HttpFigures;
  seed: { command: string; requests: number; pool: number; complete: boolean };
  drains: Record<string, DrainResult>;
}

async function httpSection(context: { wrk: string; server: Server; fakePid: number }): Promise<HttpSection> {
  const drains: Record<string, DrainResult> = {};
  const drain = async (after: string) => {
    log(`waiting for the reply queue to drain (after ${after})`);
    drains[after] = await drainQueue(context.server.url);
  };
  const newVisitor = await wrkPhase(context, 'POST /api/v1/gpt, new visitor', 'post_new_visitor.lua', '/api/v1/gpt', []);
  await drain('post_new_visitor');

  checkInterrupted();
  const seedRun: WrkRun = {
    wrk: context.wrk,
    script: join(root, 'bench', 'wrk', 'post_returning_visitor.lua'),
    url: `${context.server.url}/api/v1/gpt`,
    threads: 1,
    connections: 8,
    durationS: settings.seedS,
    args: [String(settings.pool), 'bench-visitor', 'seq'],
    statusCodes: settings.statusCodes,
  };
  // One thread walks the pool in order from the first token: a run of at least `pool` requests
  // creates every token. A slower server gets a longer run (doubling, up to three tries).
  let seeded = { requests: 0 };
  for (let attempt = 0; attempt < 3 && seeded.requests < settings.pool; attempt++) {
    checkInterrupted();
    if (attempt > 0) seedRun.durationS *= 2;
    log(`seeding the ${settings.pool}-token pool (${seedRun.durationS} s)`);
    seeded = await runWrk(seedRun);
  }
  const seed = { command: wrkCommandLine(seedRun), requests: seeded.requests, pool: settings.pool, complete: seeded.requests >= settings.pool };
  if (!seed.complete) log(`WARNING: only ${seeded.requests} seeding requests for a pool of ${settings.pool}: raise BENCH_SEED_S`);

  const poolArgs = [String(settings.pool), 'bench-visitor'];
  const returning = await wrkPhase(context, 'POST /api/v1/gpt, returning visitor', 'post_returning_visitor.lua', '/api/v1/gpt', poolArgs);
  // Every reply must be stored before the polls can be empty; the poll's warm-up then fetches them.
  await drain('post_returning_visitor');
  const poll = await wrkPhase(context, 'GET /api/v1/message, empty poll', 'get_poll_empty.lua', '/api/v1/message', poolArgs);
  return { post_new_visitor: newVisitor, post_returning_visitor: returning, get_poll_empty: poll, seed, drains };
}

// ---------------------------------------------------------------------------------------------
// After the server: floors, catalog, Telegram

type Skipped = { skipped: string };

async function floorSection(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const pgbench = findExecutable('pgbench');
  const psql = findExecutable('psql');
  if (!pgbench || !psql) {
    out.postgres = { skipped: 'pgbench/psql not found (apt-get install postgresql-client postgresql-contrib)' };
  } else {
    const name = `supportbot_benchfloor_${runId}`;
    const url = await createScratchDatabase(settings.pgAdminUrl, name);
    cleanups.push({ what: `drop database ${name}`, run: () => dropScratchDatabase(settings.pgAdminUrl, name) });
    const schema = await runChild('psql', psql, ['-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', join(root, 'bench/sql/pg_schema.sql')], {
      timeoutMs: 120_000,
    });
    if (schema.status.code !== 0) throw new Error(`psql pg_schema.sql failed: ${schema.tail}`);
    const postgres: Record<string, unknown> = { server: redactUrl(settings.pgAdminUrl.replace(/\/[^/]*$/, '/')) };
    for (const script of ['pg_insert_message', 'pg_poll_empty']) {
      checkInterrupted();
      const args = ['-n', '-f', join(root, `bench/sql/${script}.sql`), '-c', '64', '-j', '2', '-T', String(settings.floorS), url];
      log(`floor: pgbench ${script} ${settings.floorS} s`);
      const run = await runChild('pgbench', pgbench, args, { timeoutMs: (settings.floorS + 60) * 1000 });
      const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout);
      const latency = /latency average = ([\d.]+) ms/.exec(run.stdout);
      postgres[script] = tps
        ? { tps: round(Number(tps[1]), 0), latency_avg_ms: latency ? Number(latency[1]) : null, command: `pgbench ${args.slice(0, -1).join(' ').replaceAll(`${root}/`, '')} <scratch db>` }
        : { error: run.tail.trim().slice(-500) };
    }
    out.postgres = postgres;
  }
  const redisBenchmark = findExecutable('redis-benchmark');
  if (settings.embedded) out.redis = { skipped: 'embedded mode uses no Redis' };
  else if (!redisBenchmark) out.redis = { skipped: 'redis-benchmark not found (apt-get install redis-tools)' };
  else out.redis = await redisFloor(redisBenchmark);
  return out;
}

/** LPUSH with redis-benchmark in database 15, refusing if its key `mylist` is already there. */
async function redisFloor(redisBenchmark: string): Promise<unknown> {
  const { Redis } = await import('ioredis');
  const url = new URL(settings.redisUrl);
  const db = 15;
  const redis = new Redis(settings.redisUrl, { db, maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    if (await redis.exists('mylist')) return { skipped: `key mylist already exists in Redis db ${db}; not touching it` };
    const args = ['-h', url.hostname, '-p', url.port || '6379', '--dbnum', String(db), '-t', 'lpush', '-c', '64', '-n', '200000', '-q'];
    if (url.password) args.push('-a', decodeURIComponent(url.password));
    log('floor: redis-benchmark LPUSH 200,000');
    const run = await runChild('redis-benchmark', redisBenchmark, args, { timeoutMs: 120_000 });
    const rps = /LPUSH: ([\d.]+) requests per second/.exec(run.stdout.replace(/\r/g, '\n'));
    return rps
      ? { lpush_per_s: round(Number(rps[1]), 0), command: `redis-benchmark --dbnum ${db} -t lpush -c 64 -n 200000 -q` }
      : { error: run.tail.trim().slice(-500) };
  } finally {
    await redis.del('mylist').catch(() => undefined);
    redis.disconnect();
  }
}

async function catalogSection(): Promise<Record<string, unknown> | Skipped> {
  const generator = join(root, 'scripts', 'generate-catalog.ts');
  if (!existsSync(generator)) return { skipped: 'scripts/generate-catalog.ts does not exist yet' };
  const knowledgeIndex = join(root, 'src', 'knowledge', 'index.ts');
  if (!existsSync(knowledgeIndex)) return { skipped: 'src/knowledge/index.ts does not exist yet' };
  if (!/createPromptsKnowledge/.test(readFileSync(knowledgeIndex, 'utf8')) || !/searchCatalog|search/.test(readFileSync(knowledgeIndex, 'utf8'))) {
    return { skipped: 'src/knowledge/index.ts has no createPromptsKnowledge with a catalog search' };
  }
  const promptsDir = join(makeTempDir('catalog'), 'prompts');
  const source = resolve(root, process.env.PROMPTS_DIR ?? 'prompts');
  // The rest of the prompts folder as it is (system.md, messages.yml, …); only the catalog is replaced.
  if (existsSync(source)) cpSync(source, promptsDir, { recursive: true, filter: (path) => !/[\\/]catalog\.[^\\/]*$/.test(path) });
  mkdirSync(promptsDir, { recursive: true });
  const out = join(promptsDir, 'catalog.yml');
  log(`catalog: generating ${settings.catalogOffers} offers`);
  const [genCommand, genArgs] = tsx(generator, '--offers', String(settings.catalogOffers), '--out', out);
  const generated = await runChild('generate-catalog', genCommand, genArgs, { cwd: root, timeoutMs: 600_000 });
  if (generated.status.code !== 0 || !existsSync(out)) {
    return { skipped: `scripts/generate-catalog.ts failed (exit ${generated.status.code ?? generated.status.signal}): ${generated.tail.trim().slice(-800)}` };
  }
  const offersInFile = (readFileSync(out, 'utf8').match(/<offer[\s>]/g) ?? []).length;
  log(`catalog: loading and searching (${settings.catalogQueries} queries or ${settings.catalogSeconds} s)`);
  const [command, args] = tsx('bench/catalog-search.ts', '--prompts', promptsDir, '--queries', String(settings.catalogQueries), '--seconds', String(settings.catalogSeconds));
  const run = await runChild('catalog-search', command, args, { cwd: root, timeoutMs: 900_000 });
  const line = run.stdout.split('\n').find((l) => l.startsWith('CATALOG_RESULT '));
  if (!line) return { skipped: `bench/catalog-search.ts printed no result (exit ${run.status.code ?? run.status.signal}): ${run.tail.trim().slice(-800)}` };
  const result = JSON.parse(line.slice('CATALOG_RESULT '.length)) as Record<string, unknown>;
  return { offers_requested: settings.catalogOffers, offers_in_file: offersInFile, generate_ms: round(generated.ms, 0), ...result };
}

async function telegramSection(): Promise<Record<string, unknown> | Skipped> {
  const script = join(root, 'bench', 'telegram-latency.ts');
  if (!existsSync(script)) return { skipped: 'bench/telegram-latency.ts does not exist yet' };
  log('telegram: running bench/telegram-latency.ts');
  const [command, args] = tsx(script);
  const run = await runChild('telegram-latency', command, args, { cwd: root, timeoutMs: 900_000 });
  const lines = run.stdout.split('\n').map((l) => l.trim()).filter(Boolean).reverse();
  for (const line of lines) {
    const brace = line.indexOf('{');
    if (brace < 0) continue;
    try {
      const json = JSON.parse(line.slice(brace)) as unknown;
      return { exit: run.status.code, line: line.slice(0, brace).trim() || undefined, result: json };
    } catch {
      // not the JSON line
    }
  }
  return { skipped: `bench/telegram-latency.ts printed no JSON line (exit ${run.status.code ?? run.status.signal}): ${run.tail.trim().slice(-800)}` };
}

/** bench/stream-fanout.ts: open widget streams, memory per stream, stored → client latency. */
async function streamSection(): Promise<Record<string, unknown> | Skipped> {
  const script = join(root, 'bench', 'stream-fanout.ts');
  log(`streams: running bench/stream-fanout.ts (${process.env.BENCH_STREAMS ?? 10_000} open streams)`);
  // node itself (not the tsx binary) so that --expose-gc reaches the process that measures its heap.
  const run = await runChild('stream-fanout', process.execPath, ['--expose-gc', '--import', 'tsx', script], { cwd: root, timeoutMs: 900_000 });
  const line = run.stdout.split('\n').find((l) => l.startsWith('STREAM_FANOUT '));
  if (!line) return { skipped: `bench/stream-fanout.ts printed no result (exit ${run.status.code ?? run.status.signal}): ${run.tail.trim().slice(-800)}` };
  return JSON.parse(line.slice('STREAM_FANOUT '.length)) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Report

function gitDescribe(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).trim() ? '+uncommitted changes' : '';
    return `${commit}${dirty}`;
  } catch {
    return 'unknown';
  }
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fmt = (value: number | null | undefined, digits = 1) => (value === null || value === undefined ? '—' : value.toFixed(digits));
const pct = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(0)}%`);

function report(result: Record<string, unknown>, http: HttpSection | Skipped, e2e: (E2eResult & { cpu?: CpuFigures }) | Skipped | null, catalog: Record<string, unknown> | Skipped, telegram: Record<string, unknown> | Skipped, floor: Record<string, unknown> | null): void {
  const lines: string[] = ['', '=== support-bot benchmark ==='];
  const machine = result.machine as { cores: number; online: number; model: string; node: string; os: string; load_avg_at_start: number[] };
  const server = result.server as Record<string, unknown>;
  lines.push(
    `machine     ${machine.cores} cores (${machine.online} online) · ${machine.model} · node ${machine.node} · ${machine.os} · load average at start ${machine.load_avg_at_start.join(' ')}`,
    `build       ${String(result.build)}`,
    `server      ${String(server.processes)}; ${String(server.database)}; ${String(server.queue)}`,
    `LLM         ${String(server.llm)}`,
    `RATE LIMITS RAISED for this run: RATE_LIMIT_MESSAGES_PER_MINUTE=${RAISED_LIMIT} RATE_LIMIT_ADDRESS_PER_MINUTE=${RAISED_LIMIT} (defaults 20 / 600), so the figures are not 429s`,
    `settings    wrk -t${settings.threads} -c${settings.connections}, warm-up ${settings.warmupS} s then measured ${settings.durationS} s (BENCH_WARMUP_S, BENCH_DURATION_S), ` +
      `token pool ${settings.pool}, WRK_STATUS_CODES=${settings.statusCodes ? 1 : 0}, LOG_LEVEL=warn, LLM_CONCURRENCY=${process.env.LLM_CONCURRENCY ?? '10 (default)'}`,
    `            startup to /readyz ${String(server.startup_ms)} ms; shutdown ${JSON.stringify(server.shutdown ?? null)}`,
    '',
  );
  if ('skipped' in http) lines.push(`HTTP (wrk): skipped: ${http.skipped}`);
  else {
    const phases = [http.post_new_visitor, http.post_returning_visitor, http.get_poll_empty];
    lines.push(
      `HTTP at ${settings.connections} connections (CPU: % of one core over the measured run; others: every other process on the machine; machine: % of all ${machine.cores} cores busy)`,
      table(
        ['', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'non-2xx', 'sock err/timeout', 'server CPU', 'fake CPU', 'wrk CPU', 'others CPU', 'machine', 'replies/s', 'backlog'],
        phases.map((p) => [
          p.label,
          fmt(p.rps, 0),
          fmt(p.latency_ms.p50, 2),
          fmt(p.latency_ms.p90, 2),
          fmt(p.latency_ms.p99, 2),
          fmt(p.latency_ms.max, 1),
          p.non_2xx === null ? 'n/c' : String(p.non_2xx),
          String(p.socket_errors + p.timeouts),
          pct(p.cpu?.groups.server),
          pct(p.cpu?.groups.llm_fake),
          pct(p.cpu?.groups.wrk),
          pct(p.cpu?.others),
          pct(p.cpu?.machine),
          fmt(p.replies_per_s, 0),
          fmt(p.queue_backlog_after, 0),
        ]),
      ),
      `  replies/s: replies the worker stored per second during the run; backlog: reply jobs left when it ended.`,
      `  queue drains: ${Object.entries(http.drains)
        .map(([after, d]) => `after ${after}: ${d.backlog ?? '?'} jobs in ${d.seconds} s${d.replies_per_s !== null ? ` (${d.replies_per_s} replies/s)` : ''}${d.drained ? '' : ' NOT DRAINED'}`)
        .join('; ')}`,
      `  empty poll: ${http.get_poll_empty.bytes_per_response ?? '?'} bytes per response; status codes ${JSON.stringify(http.get_poll_empty.status_codes)}`,
      `  pool seeded with ${http.seed.requests} requests (${http.seed.complete ? 'every token exists' : 'INCOMPLETE'})`,
      '',
    );
  }
  if (e2e === null) lines.push('POST → reply by poll: not run');
  else if ('skipped' in e2e) lines.push(`POST → reply by poll: skipped: ${e2e.skipped}`);
  else {
    lines.push(
      `POST → reply returned by a poll (${e2e.messages} new visitors, ${e2e.concurrency} at a time, each polling every ${e2e.poll_interval_ms} ms after the previous poll returned; fake answers at once)`,
      table(
        ['', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'mean ms'],
        [
          ['POST sent → reply in a poll response', ...[e2e.latency_ms.p50, e2e.latency_ms.p90, e2e.latency_ms.p99, e2e.latency_ms.max, e2e.latency_ms.mean].map((v) => fmt(v, 1))],
          ['POST sent → reply date_create (no polling)', ...[e2e.stored_ms.p50, e2e.stored_ms.p90, e2e.stored_ms.p99, e2e.stored_ms.max, e2e.stored_ms.mean].map((v) => fmt(v, 1))],
          ['POST alone', ...[e2e.post_ms.p50, e2e.post_ms.p90, e2e.post_ms.p99, e2e.post_ms.max, e2e.post_ms.mean].map((v) => fmt(v, 1))],
        ],
      ),
      `  replied ${e2e.replied}/${e2e.messages} (${e2e.model_replies} model answers), timeouts ${e2e.timeouts}, errors ${e2e.errors}${e2e.first_error ? ` (${e2e.first_error})` : ''}, ${e2e.polls_per_message} polls per message, ${e2e.wall_s} s; CPU server ${pct(e2e.cpu?.groups.server)}, fake ${pct(e2e.cpu?.groups.llm_fake)}, bench client ${pct(e2e.cpu?.bench)}, others ${pct(e2e.cpu?.others)}`,
      '',
    );
  }
  if ('skipped' in catalog) lines.push(`Catalog search: skipped: ${catalog.skipped}`);
  else if ('error' in catalog) lines.push(`Catalog search: error: ${String(catalog.error)}`);
  else {
    const latency = catalog.latency_ms as { p50: number; p90: number; p99: number; max: number; mean: number };
    lines.push(
      `Catalog search (${String(catalog.offers_in_file)} offers in the generated catalog.yml; ${String(catalog.queries)} queries (of ${String(catalog.queries_requested)} asked, ${String(catalog.time_budget_s)} s budget) over ${String(catalog.distinct_queries)} distinct, limit ${String(catalog.limit)}; in-process searchCatalog, one at a time)`,
      `  load ${String(catalog.load_ms)} ms (generate ${String(catalog.generate_ms)} ms), first query ${String(catalog.first_query_ms)} ms, ` +
        `p50 ${fmt(latency.p50, 3)} ms, p90 ${fmt(latency.p90, 3)} ms, p99 ${fmt(latency.p99, 3)} ms, max ${fmt(latency.max, 3)} ms, ${String(catalog.queries_per_s)} queries/s`,
      `  mean hits ${String(catalog.mean_hits)}, empty results ${String(catalog.empty_results)}, RSS after load ${String(catalog.rss_mb_after_load)} MB (+${String(catalog.rss_mb_growth)} MB), after searches ${String(catalog.rss_mb_after_searches)} MB, peak ${String(catalog.rss_mb_peak)} MB`,
      `  event loop while loading: p99 ${String((catalog.load_event_loop_ms as { p99?: number } | undefined)?.p99)} ms, max ${String((catalog.load_event_loop_ms as { max?: number } | undefined)?.max)} ms; ` +
        `during a burst of searches (one per macrotask): p99 ${String((catalog.burst_event_loop_ms as { p99?: number } | undefined)?.p99)} ms, max ${String((catalog.burst_event_loop_ms as { max?: number } | undefined)?.max)} ms`,
    );
  }
  lines.push('skipped' in telegram ? `Telegram latency: skipped: ${telegram.skipped}` : `Telegram latency: ${JSON.stringify(telegram.result)}`);
  if (floor) {
    lines.push('', `Floors for comparison (BENCH_FLOOR=1): ${JSON.stringify(floor)}`);
  }
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const cores = machineCores();
  const machine = { ...cores, node: process.version, os: `${platform()} ${release()} ${arch()}`, load_avg_at_start: loadavg().map((v) => round(v, 2)) };
  const build = gitDescribe();
  log(`${machine.cores} cores (${machine.model}), build ${build}, run ${runId}`);

  const prefix = `supportbot-bench-${runId}`;
  let databaseUrl: string | undefined;
  let databaseNote: string;
  if (settings.embedded) {
    databaseNote = 'embedded PostgreSQL in a temp DATA_DIR (BENCH_EMBEDDED=1)';
  } else if (settings.databaseUrl) {
    databaseUrl = settings.databaseUrl;
    databaseNote = `PostgreSQL at BENCH_DATABASE_URL ${redactUrl(databaseUrl)} (kept)`;
  } else {
    const name = `supportbot_bench_${runId}`;
    databaseUrl = await createScratchDatabase(settings.pgAdminUrl, name);
    cleanups.push({ what: `drop database ${name}`, run: () => dropScratchDatabase(settings.pgAdminUrl, name) });
    databaseNote = `PostgreSQL scratch database ${name} at ${redactUrl(settings.pgAdminUrl.replace(/\/[^/]*$/, '/'))} (dropped at the end)`;
  }
  let queueNote = 'in-process queue';
  if (!settings.embedded) {
    if (!(await redisAnswers(settings.redisUrl))) throw new Error(`Redis at ${redactUrl(settings.redisUrl)} does not answer (set BENCH_REDIS_URL, or BENCH_EMBEDDED=1)`);
    cleanups.push({
      what: `delete Redis keys ${prefix}:*`,
      run: async () => log(`deleted ${await deleteRedisPrefix(settings.redisUrl, prefix)} Redis keys under ${prefix}:`),
    });
    queueNote = `BullMQ on Redis ${redactUrl(settings.redisUrl)}, BULLMQ_PREFIX=${prefix} (keys deleted at the end)`;
  }

  const dataDir = makeTempDir('data');
  log('starting the YandexGPT fake (a child process)');
  const fake = await startFakeLlm();
  let fakeStats: unknown = null;
  const stopFake = async () => {
    await stopChild(fake.child, 10_000);
    const line = fake.child.stdout().split('\n').find((l) => l.startsWith('FAKE_STATS '));
    if (line) fakeStats = JSON.parse(line.slice('FAKE_STATS '.length)) as unknown;
  };
  cleanups.push({ what: 'stop the YandexGPT fake', run: stopFake });

  const port = await freePort();
  const env = serverEnv({ port, fakeUrl: fake.url, prefix, dataDir, databaseUrl });
  log(`starting the server (${settings.roles === 'all' ? 'tsx src/entry/start.ts' : 'tsx src/entry/api.ts + tsx src/entry/worker.ts'}) on 127.0.0.1:${port}`);
  log(`rate limits raised for the bench: RATE_LIMIT_MESSAGES_PER_MINUTE=${RAISED_LIMIT}, RATE_LIMIT_ADDRESS_PER_MINUTE=${RAISED_LIMIT}`);
  const running: { server?: Server; shutdown?: Awaited<ReturnType<typeof stopServer>> } = {};
  const stop = async () => {
    if (running.server && !running.shutdown) running.shutdown = await stopServer(running.server);
    // A server that failed to start: whatever it left running.
    for (const child of liveChildren()) if (child.name === 'server' || child.name === 'api' || child.name === 'worker') await stopChild(child, 10_000);
  };
  cleanups.push({ what: 'stop the server', run: stop });
  const server = await startServer(env, port);
  running.server = server;
  log(`ready in ${server.startupMs} ms: ${server.url}`);

  const serverInfo: Record<string, unknown> = {
    processes: server.description,
    database: databaseNote,
    queue: queueNote,
    llm: `loopback YandexGPT fake (test/fakes/fake-yandex-gpt.ts via bench/fake-llm.ts) in its own process, answering at once${settings.llmDelayMs ? ` after ${settings.llmDelayMs} ms` : ''}; it shares the cores with the server and wrk`,
    rate_limits_raised: { RATE_LIMIT_MESSAGES_PER_MINUTE: Number(RAISED_LIMIT), RATE_LIMIT_ADDRESS_PER_MINUTE: Number(RAISED_LIMIT) },
    startup_ms: server.startupMs,
  };

  // 1. HTTP with wrk
  let http: HttpSection | Skipped;
  const wrk = process.env.BENCH_WRK ? (isExecutable(process.env.BENCH_WRK) ? process.env.BENCH_WRK : undefined) : findExecutable('wrk');
  if (!wrk) {
    http = {
      skipped: `wrk is not installed${process.env.BENCH_WRK ? ` at BENCH_WRK=${process.env.BENCH_WRK}` : ''}: apt-get install wrk (Debian/Ubuntu), or set BENCH_WRK=/path/to/wrk`,
    };
    log(http.skipped);
  } else {
    http = await httpSection({ wrk, server, fakePid: fake.child.pid });
  }

  // 2. POST → reply by poll
  checkInterrupted();
  log(`POST → reply: warm-up, then ${settings.e2eMessages} visitors, ${settings.e2eConcurrency} at a time, polling every ${settings.e2ePollMs} ms`);
  const e2eOptions = {
    baseUrl: server.url,
    concurrency: settings.e2eConcurrency,
    pollMs: settings.e2ePollMs,
    timeoutMs: 30_000,
    modelReplyPrefix: 'Ответ:',
  };
  await measureEndToEnd({ ...e2eOptions, messages: Math.min(50, settings.e2eMessages) });
  const e2eSampler = new CpuSampler({ server: server.processes.map((p) => p.pid), llm_fake: [fake.child.pid] });
  e2eSampler.start();
  const e2e = await measureEndToEnd({ ...e2eOptions, messages: settings.e2eMessages });
  const e2eCpu = e2eSampler.stop();

  log('stopping the server (SIGTERM) and the fake');
  await stop();
  serverInfo.shutdown = running.shutdown;
  await stopFake();

  // 3. floors, catalog, Telegram — with the server stopped, so they do not compete with it.
  let floor: Record<string, unknown> | null = null;
  if (settings.floor) {
    checkInterrupted();
    floor = await floorSection().catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  }
  checkInterrupted();
  const catalog = await catalogSection().catch((error: unknown) => ({ skipped: `failed: ${error instanceof Error ? error.message : String(error)}` }));
  checkInterrupted();
  const telegram = await telegramSection().catch((error: unknown) => ({ skipped: `failed: ${error instanceof Error ? error.message : String(error)}` }));
  checkInterrupted();
  const streams = await streamSection().catch((error: unknown) => ({ skipped: `failed: ${error instanceof Error ? error.message : String(error)}` }));

  const result: Record<string, unknown> = {
    machine,
    build,
    settings: {
      duration_s: settings.durationS,
      warmup_s: settings.warmupS,
      seed_s: settings.seedS,
      threads: settings.threads,
      connections: settings.connections,
      pool: settings.pool,
      wrk_status_codes: settings.statusCodes,
      e2e_messages: settings.e2eMessages,
      e2e_concurrency: settings.e2eConcurrency,
      e2e_poll_ms: settings.e2ePollMs,
      catalog_offers: settings.catalogOffers,
      catalog_queries: settings.catalogQueries,
      catalog_seconds: settings.catalogSeconds,
      roles: settings.roles,
      embedded: settings.embedded,
      llm_concurrency: Number(process.env.LLM_CONCURRENCY ?? 10),
      log_level: 'warn',
    },
    server: serverInfo,
    llm_fake: fakeStats,
    http,
    e2e: { ...e2e, cpu: e2eCpu },
    catalog,
    telegram,
    streams,
    ...(floor ? { floor } : {}),
  };
  report(result, http, { ...e2e, cpu: e2eCpu }, catalog, telegram, floor);
  console.log('skipped' in streams ? `Widget streams: skipped: ${String(streams.skipped)}` : `Widget streams: ${JSON.stringify(streams)}`);
  await cleanup();
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
  return 0;
}

const missing = ['post_new_visitor.lua', 'post_returning_visitor.lua', 'get_poll_empty.lua'].filter((file) => !existsSync(join(root, 'bench', 'wrk', file)));
if (missing.length) {
  console.error(`bench/wrk/ lacks ${missing.join(', ')}`);
  process.exit(2);
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    if (interrupted) return; // the signal handler cleans up and exits
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    await cleanup();
    process.exit(1);
  });
