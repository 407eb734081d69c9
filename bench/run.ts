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
import { build } from 'esbuild';
import { componentSelectors, memorySnapshot, type ComponentSelectors, type MemorySnapshot } from './support/components.js';
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
  setups: parseSetups(),
  e2eBackgroundRps: envNumber('BENCH_E2E_BACKGROUND_RPS', 1000, 0),
  floor: envFlag('BENCH_FLOOR'),
  // For iterating on one part: a comma list of http, e2e, load (the 1,000 msg/s round), catalog, telegram, streams.
  skip: new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
  floorS: envNumber('BENCH_FLOOR_DURATION_S', 10, 1),
  readyTimeoutS: envNumber('BENCH_READY_TIMEOUT_S', 180, 1),
  drainTimeoutS: envNumber('BENCH_DRAIN_TIMEOUT_S', 300, 1),
  pgAdminUrl: process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseUrl: process.env.BENCH_DATABASE_URL,
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  llmDelayMs: envNumber('BENCH_LLM_DELAY_MS', 0, 0),
};

/**
 * What runs as the server, one setup after another on fresh data:
 * `api` — the API role alone (`npm run start:api`: WEB_CONCURRENCY processes), PostgreSQL + Redis;
 *         for the POST → reply figure a worker (`npm run start:worker`) joins it afterwards;
 * `all` — `npm start`'s one process, on PostgreSQL + Redis; `split` — api + worker from the start;
 * `embedded` — `npm start` on a fresh machine: embedded PostgreSQL, in-process queue.
 */
type SetupId = 'api' | 'all' | 'split' | 'embedded';

function parseSetups(): SetupId[] {
  const embedded = envFlag('BENCH_EMBEDDED');
  const raw = process.env.BENCH_ROLES;
  if (!raw) return embedded ? ['embedded'] : ['api', 'embedded'];
  const setups = raw.split(',').map((part) => part.trim()).filter(Boolean).map((part) => (part === 'all' && embedded ? 'embedded' : part));
  for (const setup of setups) {
    if (!['api', 'all', 'split', 'embedded'].includes(setup)) throw new Error(`BENCH_ROLES=${raw}: expected a list of api, all, split, embedded`);
    if (embedded && (setup === 'api' || setup === 'split')) throw new Error(`BENCH_ROLES=${setup} needs PostgreSQL and Redis: unset BENCH_EMBEDDED`);
  }
  return setups as SetupId[];
}

const runId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
const tsxBin = join(root, 'node_modules', '.bin', 'tsx');
/** The server runs as production does: the compiled entry points under plain node. */
const entry = (name: 'start' | 'api' | 'worker'): [string, string[]] => [process.execPath, [join(root, 'dist', 'src', 'entry', `${name}.js`)]];
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

function serverEnv(options: { port: number; fakeUrl: string; prefix: string; dataDir: string; databaseUrl?: string; redis: boolean }): NodeJS.ProcessEnv {
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
    RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE: RAISED_LIMIT,
    BULLMQ_PREFIX: options.prefix,
  });
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  if (options.redis) env.REDIS_URL = settings.redisUrl;
  return env;
}

const SETUP_ENTRIES: Record<SetupId, Array<['server' | 'api' | 'worker', 'start' | 'api' | 'worker']>> = {
  api: [['api', 'api']],
  all: [['server', 'start']],
  split: [['api', 'api'], ['worker', 'worker']],
  embedded: [['server', 'start']],
};

async function startServer(setup: SetupId, env: NodeJS.ProcessEnv, port: number): Promise<Server> {
  const started = performance.now();
  const processes = SETUP_ENTRIES[setup].map(([name, script]) => {
    const [command, args] = entry(script);
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
      if (setup === 'split') await sleep(1000);
      break;
    }
    if (performance.now() > deadline) {
      throw new Error(`/readyz did not answer 200 within ${settings.readyTimeoutS} s:\n${processes.map((c) => c.tail().trim()).join('\n')}`);
    }
    await sleep(250);
  }
  const description = {
    api: `the API role alone (npm run start:api, WEB_CONCURRENCY=${process.env.WEB_CONCURRENCY ?? 'unset: one process per core'}); a worker (npm run start:worker) joins for POST → reply`,
    all: 'one process, role all (npm start) on PostgreSQL + Redis',
    split: 'api (npm run start:api) + worker (npm run start:worker)',
    embedded: 'npm start on a fresh machine: one process, embedded PostgreSQL, in-process queue',
  }[setup];
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
  /** CPU time per request answered, µs, by component (from `cpu`: noise-resistant on a shared machine). */
  cpu_us_per_request: { node: number; postgres: number; redis: number } | null;
  /** Reply jobs not yet done when the measured run ended. */
  queue_backlog_after: number | null;
  /** Replies stored per second during the measured run (role all only: the worker's counter). */
  replies_per_s: number | null;
}

interface PhaseContext {
  wrk: string;
  server: Server;
  fakePid: number;
  components: ComponentSelectors;
  /** Whether a worker answers during the HTTP phases (the reply queue can drain). */
  worker: boolean;
}

async function wrkPhase(
  context: PhaseContext,
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
    sampler = new CpuSampler({ server: context.server.processes.map((p) => p.pid), ...context.components, llm_fake: [context.fakePid], wrk: [child.pid] });
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
    cpu_us_per_request: cpu && result.rps > 0 ? perRequest(cpu, result.rps) : null,
    queue_backlog_after: after?.pending ?? null,
    replies_per_s: replies,
  };
}

function perRequest(cpu: CpuFigures, rps: number): { node: number; postgres: number; redis: number } {
  const us = (percent: number | undefined) => round(((percent ?? 0) / 100) * (1e6 / rps), 0);
  return { node: us(cpu.groups.node), postgres: us(cpu.groups.postgres), redis: us(cpu.groups.redis) };
}

interface HttpSection {
  post_new_visitor: HttpFigures;
  post_returning_visitor: HttpFigures;
  get_poll_empty: HttpFigures;
  seed: { command: string; requests: number; pool: number; complete: boolean };
  drains: Record<string, DrainResult>;
}

async function httpSection(context: PhaseContext): Promise<HttpSection> {
  const drains: Record<string, DrainResult> = {};
  const drain = async (after: string) => {
    if (!context.worker) return; // the API role alone: nothing answers, the polls stay empty anyway
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

async function floorSection(wrk: string | undefined): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  out.http = wrk ? await httpFloor(wrk) : { skipped: 'wrk is not installed' };
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
  if (!settings.setups.some((setup) => setup !== 'embedded')) out.redis = { skipped: 'no setup of this run uses Redis' };
  else if (!redisBenchmark) out.redis = { skipped: 'redis-benchmark not found (apt-get install redis-tools)' };
  else out.redis = await redisFloor(redisBenchmark);
  return out;
}

/**
 * The empty poll's response from bare node:http and from a bare Express app (bench/http-floor.ts,
 * one process per core as start:api runs), with the poll's wrk script and connections.
 */
async function httpFloor(wrk: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const kind of ['node', 'express'] as const) {
    checkInterrupted();
    const port = await freePort();
    let ready: () => void = () => {};
    const listening = new Promise<void>((resolve) => (ready = resolve));
    const [command, args] = tsx(join(root, 'bench', 'http-floor.ts'), kind, String(port));
    const server = spawnChild(`http floor ${kind}`, command, args, { onLine: (line) => line === 'HTTP_FLOOR_READY' && ready() });
    try {
      await Promise.race([listening, server.exited.then(() => Promise.reject(new Error(`http-floor.ts ${kind} exited: ${server.tail()}`)))]);
      const run: WrkRun = {
        wrk,
        script: join(root, 'bench', 'wrk', 'get_poll_empty.lua'),
        url: `http://127.0.0.1:${port}/api/v1/message`,
        threads: settings.threads,
        connections: settings.connections,
        durationS: settings.floorS,
        latency: true,
        statusCodes: false,
      };
      log(`floor: HTTP ${kind} ${settings.floorS} s`);
      await runWrk({ ...run, durationS: Math.min(3, settings.floorS), latency: false });
      const result = await runWrk(run);
      out[kind === 'node' ? 'node_http' : 'express'] = { rps: round(result.rps, 0), latency_ms: result.latency_ms, command: `tsx bench/http-floor.ts ${kind} PORT; ${wrkCommandLine(run)}` };
    } finally {
      await stopChild(server, 10_000);
    }
  }
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
  // Under plain node, as production runs the knowledge module: under tsx the process would also
  // hold the TypeScript loader's thread and heap (40-70 MB of the RSS figures).
  const compiled = join(makeTempDir('catalog-bench'), 'catalog-search.mjs');
  await build({ entryPoints: [join(root, 'bench', 'catalog-search.ts')], outfile: compiled, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  const args = [compiled, '--root', root, '--prompts', promptsDir, '--queries', String(settings.catalogQueries), '--seconds', String(settings.catalogSeconds)];
  const run = await runChild('catalog-search', process.execPath, args, { cwd: root, timeoutMs: 900_000 });
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

interface SetupResult {
  setup: SetupId;
  server: Record<string, unknown>;
  http: HttpSection | Skipped;
  e2e: (E2eResult & { cpu?: CpuFigures; under_load?: E2eResult & { cpu?: CpuFigures; background?: unknown } }) | Skipped;
  memory: { idle: MemorySnapshot; after_load: MemorySnapshot | null };
}

const TARGETS = { post_returning_rps: 3000, post_new_rps: 2000, poll_rps: 10_000, p99_ms: 25, e2e_p99_ms: 50 };

function httpRows(http: HttpSection): string[][] {
  return [http.post_new_visitor, http.post_returning_visitor, http.get_poll_empty].map((p) => [
    p.label,
    fmt(p.rps, 0),
    fmt(p.latency_ms.p50, 2),
    fmt(p.latency_ms.p99, 2),
    fmt(p.latency_ms.max, 1),
    p.non_2xx === null ? 'n/c' : String(p.non_2xx),
    String(p.socket_errors + p.timeouts),
    pct(p.cpu?.groups.node),
    pct(p.cpu?.groups.postgres),
    pct(p.cpu?.groups.redis),
    pct(p.cpu?.groups.llm_fake),
    pct(p.cpu?.groups.wrk),
    pct(p.cpu?.others),
    pct(p.cpu?.machine),
    p.cpu_us_per_request ? `${p.cpu_us_per_request.node}/${p.cpu_us_per_request.postgres}/${p.cpu_us_per_request.redis}` : '—',
    fmt(p.replies_per_s, 0),
    fmt(p.queue_backlog_after, 0),
  ]);
}

function memoryLine(label: string, memory: MemorySnapshot | null): string {
  if (!memory) return `  memory ${label}: —`;
  const list = (items: MemorySnapshot['node']) => items.map((m) => `${m.comm} ${m.pid} RSS ${m.rss_mb}/PSS ${m.pss_mb ?? '?'}`).join(', ') || 'none';
  return `  memory ${label} (MiB): Node ${memory.total_mb.node} [${list(memory.node)}]; PostgreSQL ${memory.total_mb.postgres} over ${memory.postgres.length} processes; together ${memory.total_mb.both} (PSS sums)`;
}

function setupLines(result: SetupResult, machineCoresCount: number): string[] {
  const server = result.server;
  const lines = [
    `--- ${result.setup}: ${String(server.processes)}`,
    `database    ${String(server.database)}; queue ${String(server.queue)}`,
    `            startup to /readyz ${String(server.startup_ms)} ms; shutdown ${JSON.stringify(server.shutdown ?? null)}`,
  ];
  const http = result.http;
  if ('skipped' in http) lines.push(`HTTP (wrk): skipped: ${http.skipped}`);
  else {
    lines.push(
      `HTTP at ${settings.connections} connections (CPU: % of one core over the measured run; machine: % of all ${machineCoresCount} cores busy; µs/req: CPU time per answered request of Node/PostgreSQL/Redis)`,
      table(
        ['', 'rps', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'err', 'Node', 'PG', 'Redis', 'fake', 'wrk', 'others', 'machine', 'µs/req N/PG/R', 'replies/s', 'backlog'],
        httpRows(http),
      ),
      `  queue drains: ${Object.entries(http.drains).map(([after, d]) => `after ${after}: ${d.backlog ?? '?'} jobs in ${d.seconds} s${d.replies_per_s !== null ? ` (${d.replies_per_s} replies/s)` : ''}${d.drained ? '' : ' NOT DRAINED'}`).join('; ') || 'none (no worker during the HTTP phases)'}`,
      `  empty poll: ${http.get_poll_empty.bytes_per_response ?? '?'} bytes per response; status codes ${JSON.stringify(http.get_poll_empty.status_codes)}; pool seeded with ${http.seed.requests} requests (${http.seed.complete ? 'every token exists' : 'INCOMPLETE'})`,
    );
  }
  const e2e = result.e2e;
  if ('skipped' in e2e) lines.push(`POST → reply by poll: skipped: ${e2e.skipped}`);
  else {
    for (const [run, label] of [
      [e2e, 'quiet server'],
      [e2e.under_load, `while ${settings.e2eBackgroundRps} background messages/s arrive (10 s timeout); background ${JSON.stringify(e2e.under_load?.background ?? null)}`],
    ] as const) {
      if (!run) continue;
      lines.push(
        `POST → reply returned by a poll, ${label} (${run.messages} new visitors, ${run.concurrency} at a time, polling every ${run.poll_interval_ms} ms; fake answers at once)`,
        table(
          ['', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'mean ms'],
          [
            ['POST sent → reply in a poll response', ...[run.latency_ms.p50, run.latency_ms.p90, run.latency_ms.p99, run.latency_ms.max, run.latency_ms.mean].map((v) => fmt(v, 1))],
            ['POST sent → reply date_create (no polling)', ...[run.stored_ms.p50, run.stored_ms.p90, run.stored_ms.p99, run.stored_ms.max, run.stored_ms.mean].map((v) => fmt(v, 1))],
            ['POST alone', ...[run.post_ms.p50, run.post_ms.p90, run.post_ms.p99, run.post_ms.max, run.post_ms.mean].map((v) => fmt(v, 1))],
          ],
        ),
        `  replied ${run.replied}/${run.messages} (${run.model_replies} model answers), timeouts ${run.timeouts}, errors ${run.errors}${run.first_error ? ` (${run.first_error})` : ''}, ${run.polls_per_message} polls per message, ${run.wall_s} s; CPU Node ${pct(run.cpu?.groups.node)}, PG ${pct(run.cpu?.groups.postgres)}, Redis ${pct(run.cpu?.groups.redis)}, fake ${pct(run.cpu?.groups.llm_fake)}, load ${pct(run.cpu?.groups.background)}, bench ${pct(run.cpu?.bench)}, others ${pct(run.cpu?.others)}`,
      );
    }
  }
  lines.push(memoryLine('idle after start', result.memory.idle), memoryLine('right after the HTTP phases', result.memory.after_load), '');
  return lines;
}

/** The issue's targets next to each setup's figures and the same run's PostgreSQL floors. */
function targetLines(results: SetupResult[], floor: Record<string, unknown> | null): string[] {
  const postgres = (floor?.postgres ?? {}) as { pg_insert_message?: { tps?: number }; pg_poll_empty?: { tps?: number } };
  const insertFloor = postgres.pg_insert_message?.tps;
  const pollFloor = postgres.pg_poll_empty?.tps;
  const httpFloor = (floor?.http ?? {}) as { node_http?: { rps?: number }; express?: { rps?: number } };
  const ratio = (value: number | undefined, base: number | undefined) => (value !== undefined && base ? `${(value / base).toFixed(2)}×` : '—');
  const api = results.find((r) => r.setup === 'api');
  const rows: string[][] = [];
  for (const result of results) {
    const http = 'skipped' in result.http ? undefined : result.http;
    const apiHttp = api && !('skipped' in api.http) ? api.http : undefined;
    const e2e = 'skipped' in result.e2e ? undefined : result.e2e;
    const row = (label: string, figures: HttpFigures | undefined, target: number, floorTps: number | undefined, apiFigures: HttpFigures | undefined) => [
      `${result.setup}: ${label}`,
      fmt(figures?.rps, 0),
      `≥ ${target}`,
      fmt(figures?.latency_ms.p99, 1),
      `< ${TARGETS.p99_ms}`,
      ratio(figures?.rps, floorTps),
      result.setup !== 'api' && apiFigures ? ratio(figures?.rps, apiFigures.rps) : '',
    ];
    rows.push(row('POST returning visitor', http?.post_returning_visitor, TARGETS.post_returning_rps, insertFloor, apiHttp?.post_returning_visitor));
    rows.push(row('POST new visitor', http?.post_new_visitor, TARGETS.post_new_rps, insertFloor, apiHttp?.post_new_visitor));
    rows.push(row('empty poll', http?.get_poll_empty, TARGETS.poll_rps, pollFloor, apiHttp?.get_poll_empty));
    rows.push([`${result.setup}: POST → reply in a poll, p99, quiet`, '', '', fmt(e2e?.latency_ms.p99, 1), '', '', '']);
    const loaded = e2e?.under_load;
    rows.push([
      `${result.setup}: POST → reply p99 at ${settings.e2eBackgroundRps} msgs/s`,
      loaded ? `${loaded.replied}/${loaded.messages} replied` : '',
      '',
      loaded?.replied ? fmt(loaded.latency_ms.p99, 1) : '—',
      `< ${TARGETS.e2e_p99_ms}`,
      '',
      '',
    ]);
  }
  return [
    `Targets (issue 12) — rps / p99 ms; "÷ floor": rps over the same run's pgbench floor (INSERT for POSTs, empty UPDATE … RETURNING for polls: ${insertFloor ?? '—'} / ${pollFloor ?? '—'} tps); "÷ api": npm start over the API role alone (target ≥ 0.70×)`,
    table(['', 'rps', 'target', 'p99 ms', 'target', '÷ floor', '÷ api'], rows),
    `  HTTP floor (bench/http-floor.ts, an empty poll's answer with nothing behind it): bare node:http ${fmt(httpFloor.node_http?.rps, 0)} rps, bare Express ${fmt(httpFloor.express?.rps, 0)} rps; the API role's empty poll is ${ratio(api && !('skipped' in api.http) ? api.http.get_poll_empty?.rps : undefined, httpFloor.node_http?.rps)} of node:http's`,
    `  idle memory of npm start (embedded, target < 300 MiB Node + PostgreSQL): ${results.find((r) => r.setup === 'embedded')?.memory.idle.total_mb.both ?? '—'} MiB (PSS sum)`,
  ];
}

function report(result: Record<string, unknown>, results: SetupResult[], catalog: Record<string, unknown> | Skipped, telegram: Record<string, unknown> | Skipped, floor: Record<string, unknown> | null): void {
  const lines: string[] = ['', '=== support-bot benchmark ==='];
  const machine = result.machine as { cores: number; online: number; model: string; node: string; os: string; load_avg_at_start: number[] };
  lines.push(
    `machine     ${machine.cores} cores (${machine.online} online) · ${machine.model} · node ${machine.node} · ${machine.os} · load average at start ${machine.load_avg_at_start.join(' ')}`,
    `build       ${String(result.build)} (compiled dist/, plain node)`,
    `LLM         loopback YandexGPT fake in its own process, answering at once${settings.llmDelayMs ? ` after ${settings.llmDelayMs} ms` : ''}`,
    `RATE LIMITS RAISED for this run: RATE_LIMIT_MESSAGES_PER_MINUTE, RATE_LIMIT_ADDRESS_PER_MINUTE and RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE=${RAISED_LIMIT}, so the figures are not 429s`,
    `settings    wrk -t${settings.threads} -c${settings.connections}, warm-up ${settings.warmupS} s then measured ${settings.durationS} s, token pool ${settings.pool}, WRK_STATUS_CODES=${settings.statusCodes ? 1 : 0}, LOG_LEVEL=warn, LLM_CONCURRENCY=${process.env.LLM_CONCURRENCY ?? '10 (default)'}`,
    `            CPU "others" is everything else on the machine meanwhile: compare runs only where it is low; PostgreSQL and Redis CPU of a shared server include other users' work`,
    '',
  );
  for (const setup of results) lines.push(...setupLines(setup, machine.cores));
  if ('skipped' in catalog) lines.push(`Catalog search: skipped: ${catalog.skipped}`);
  else if ('error' in catalog) lines.push(`Catalog search: error: ${String(catalog.error)}`);
  else {
    const latency = catalog.latency_ms as { p50: number; p90: number; p99: number; max: number; mean: number };
    lines.push(
      `Catalog search (${String(catalog.offers_in_file)} offers; ${String(catalog.queries)} queries over ${String(catalog.distinct_queries)} distinct, limit ${String(catalog.limit)}; in-process searchCatalog, one at a time)`,
      `  load ${String(catalog.load_ms)} ms (generate ${String(catalog.generate_ms)} ms), first query ${String(catalog.first_query_ms)} ms, ` +
        `p50 ${fmt(latency.p50, 3)} ms, p90 ${fmt(latency.p90, 3)} ms, p99 ${fmt(latency.p99, 3)} ms, max ${fmt(latency.max, 3)} ms, ${String(catalog.queries_per_s)} queries/s`,
      `  mean hits ${String(catalog.mean_hits)}, empty results ${String(catalog.empty_results)}, RSS after load ${String(catalog.rss_mb_after_load)} MB (+${String(catalog.rss_mb_growth)} MB), after searches ${String(catalog.rss_mb_after_searches)} MB, peak ${String(catalog.rss_mb_peak)} MB`,
      `  event loop while loading: p99 ${String((catalog.load_event_loop_ms as { p99?: number } | undefined)?.p99)} ms, max ${String((catalog.load_event_loop_ms as { max?: number } | undefined)?.max)} ms; ` +
        `during a burst of searches (one per macrotask): p99 ${String((catalog.burst_event_loop_ms as { p99?: number } | undefined)?.p99)} ms, max ${String((catalog.burst_event_loop_ms as { max?: number } | undefined)?.max)} ms`,
    );
  }
  lines.push('skipped' in telegram ? `Telegram latency: skipped: ${telegram.skipped}` : `Telegram latency: ${JSON.stringify(telegram.result)}`);
  if (floor) lines.push('', `Floors (BENCH_FLOOR=1, server stopped): ${JSON.stringify(floor)}`);
  lines.push('', ...targetLines(results, floor));
  console.log(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// Main

/** Background POSTs at a fixed rate, in a process of its own (bench/paced-load.ts). */
async function startBackgroundLoad(url: string): Promise<{ child: Child; stop: () => Promise<unknown> } | undefined> {
  if (settings.e2eBackgroundRps <= 0) return undefined;
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (started = resolve));
  // node with tsx's loader, not the tsx command: one process, which gets the SIGTERM itself and prints its result.
  const child = spawnChild('paced-load', process.execPath, ['--import', 'tsx', join(root, 'bench', 'paced-load.ts'), url, String(settings.e2eBackgroundRps)], {
    cwd: root,
    onLine: (line) => line.startsWith('PACED_STARTED') && started(),
  });
  await Promise.race([ready, sleep(30_000)]);
  return {
    child,
    stop: async () => {
      await stopChild(child, 10_000);
      const line = child.stdout().split('\n').find((l) => l.startsWith('PACED_RESULT '));
      return line ? (JSON.parse(line.slice('PACED_RESULT '.length)) as unknown) : { error: child.tail().slice(-500) };
    },
  };
}

interface RunningSetup {
  server: Server;
  info: Record<string, unknown>;
  components: () => ComponentSelectors;
  stop: () => Promise<void>;
}

/** A fresh database (or embedded DATA_DIR) and Redis prefix, and the setup's processes on them. */
async function startSetup(setup: SetupId, fake: { url: string }, tag: string): Promise<RunningSetup> {
  const external = setup !== 'embedded';
  const prefix = `supportbot-bench-${runId}-${tag}`;
  const dbTag = tag.replace(/\W/g, '_');
  let databaseUrl: string | undefined;
  let databaseName: string | undefined;
  let databaseNote = 'embedded PostgreSQL in a temp DATA_DIR';
  if (external && settings.databaseUrl) {
    databaseUrl = settings.databaseUrl;
    databaseName = new URL(databaseUrl).pathname.slice(1);
    databaseNote = `PostgreSQL at BENCH_DATABASE_URL ${redactUrl(databaseUrl)} (kept)`;
  } else if (external) {
    const name = `supportbot_bench_${runId}_${dbTag}`;
    databaseName = name;
    databaseUrl = await createScratchDatabase(settings.pgAdminUrl, name);
    cleanups.push({ what: `drop database ${name}`, run: () => dropScratchDatabase(settings.pgAdminUrl, name) });
    databaseNote = `PostgreSQL scratch database ${name} at ${redactUrl(settings.pgAdminUrl.replace(/\/[^/]*$/, '/'))} (dropped at the end)`;
  }
  if (external) {
    cleanups.push({ what: `delete Redis keys ${prefix}:*`, run: async () => log(`deleted ${await deleteRedisPrefix(settings.redisUrl, prefix)} Redis keys under ${prefix}:`) });
  }
  const port = await freePort();
  const env = serverEnv({ port, fakeUrl: fake.url, prefix, dataDir: makeTempDir(`data-${tag}`), databaseUrl, redis: external });
  log(`${tag}: starting ${SETUP_ENTRIES[setup].map(([, script]) => `node dist/src/entry/${script}.js`).join(' + ')} on 127.0.0.1:${port}`);
  const running: { server?: Server; shutdown?: Awaited<ReturnType<typeof stopServer>> } = {};
  const info: Record<string, unknown> = {
    database: databaseNote,
    queue: external ? `BullMQ on Redis ${redactUrl(settings.redisUrl)}, BULLMQ_PREFIX=${prefix}` : 'in-process queue',
  };
  const stop = async () => {
    if (running.server && !running.shutdown) running.shutdown = await stopServer(running.server);
    for (const child of liveChildren()) if (['server', 'api', 'worker'].includes(child.name)) await stopChild(child, 10_000);
    info.shutdown = running.shutdown;
  };
  cleanups.push({ what: `stop the ${tag} server`, run: stop });
  const server = await startServer(setup, env, port);
  running.server = server;
  log(`${tag}: ready in ${server.startupMs} ms: ${server.url}`);
  Object.assign(info, { processes: server.description, startup_ms: server.startupMs });
  return { server, info, stop, components: () => componentSelectors(server.processes.map((p) => p.pid), databaseName) };
}

/**
 * POST → reply by poll: first on a quiet server, then while the background load arrives (a
 * message that waits longer than 10 s for its reply there counts as a timeout).
 */
async function endToEnd(running: RunningSetup, fake: { child: Child }, tag: string): Promise<SetupResult['e2e']> {
  const { server } = running;
  const options = { baseUrl: server.url, concurrency: settings.e2eConcurrency, pollMs: settings.e2ePollMs, timeoutMs: 30_000, modelReplyPrefix: 'Ответ:' };
  const measure = async (background?: Child) => {
    const sampler = new CpuSampler({
      server: server.processes.map((p) => p.pid),
      ...running.components(),
      llm_fake: [fake.child.pid],
      ...(background ? { background: [background.pid] } : {}),
    });
    sampler.start();
    const result = await measureEndToEnd({ ...options, messages: settings.e2eMessages, ...(background ? { timeoutMs: 10_000 } : {}) });
    return { ...result, cpu: sampler.stop() };
  };
  log(`${tag}: POST → reply: warm-up, then ${settings.e2eMessages} visitors, ${settings.e2eConcurrency} at a time, polling every ${settings.e2ePollMs} ms`);
  await measureEndToEnd({ ...options, messages: Math.min(50, settings.e2eMessages) });
  const quiet = await measure();
  if (settings.skip.has('load')) return quiet;
  const background = await startBackgroundLoad(server.url);
  if (!background) return quiet;
  cleanups.push({ what: 'stop the background load', run: () => stopChild(background.child, 10_000) });
  log(`${tag}: POST → reply again while ${settings.e2eBackgroundRps} background messages/s arrive`);
  await sleep(2000);
  const loaded = await measure(background.child);
  return { ...quiet, under_load: { ...loaded, background: await background.stop() } };
}

async function runSetup(setup: SetupId, fake: { child: Child; url: string }, wrk: string | undefined): Promise<SetupResult> {
  const running = await startSetup(setup, fake, setup);
  await sleep(2000);
  const idle = memorySnapshot(running.components());
  let http: HttpSection | Skipped;
  if (settings.skip.has('http')) http = { skipped: 'BENCH_SKIP=http' };
  else if (!wrk) http = { skipped: 'wrk is not installed: apt-get install wrk (Debian/Ubuntu), or set BENCH_WRK=/path/to/wrk' };
  else http = await httpSection({ wrk, server: running.server, fakePid: fake.child.pid, components: running.components(), worker: setup !== 'api' });
  const afterLoad = 'skipped' in http ? null : memorySnapshot(running.components());
  checkInterrupted();
  let e2e: SetupResult['e2e'];
  if (settings.skip.has('e2e')) {
    e2e = { skipped: 'BENCH_SKIP=e2e' };
    await running.stop();
  } else if (setup === 'api') {
    // The API role alone left every message of the HTTP phases unanswered: a worker started now
    // would first work through that backlog. POST → reply runs on fresh api + worker processes.
    log('api: stopping the server (SIGTERM); POST → reply on fresh api + worker processes (split)');
    await running.stop();
    const split = await startSetup('split', fake, 'api-e2e');
    e2e = await endToEnd(split, fake, 'api + worker');
    await split.stop();
    running.info.e2e_server = split.info;
  } else {
    e2e = await endToEnd(running, fake, setup);
    log(`${setup}: stopping the server (SIGTERM)`);
    await running.stop();
  }
  return { setup, server: running.info, http, e2e, memory: { idle, after_load: afterLoad } };
}

async function main(): Promise<number> {
  const cores = machineCores();
  const machine = { ...cores, node: process.version, os: `${platform()} ${release()} ${arch()}`, load_avg_at_start: loadavg().map((v) => round(v, 2)) };
  const build = gitDescribe();
  log(`${machine.cores} cores (${machine.model}), build ${build}, run ${runId}, setups ${settings.setups.join(', ')}`);
  log('building dist/ if the sources changed (node scripts/build.mjs --if-stale)');
  const built = await runChild('build', process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, timeoutMs: 600_000 });
  if (built.status.code !== 0) throw new Error(`build failed: ${built.tail}`);
  if (settings.setups.some((s) => s !== 'embedded') && !(await redisAnswers(settings.redisUrl))) {
    throw new Error(`Redis at ${redactUrl(settings.redisUrl)} does not answer (set BENCH_REDIS_URL, or BENCH_EMBEDDED=1)`);
  }

  log('starting the YandexGPT fake (a child process)');
  const fake = await startFakeLlm();
  let fakeStats: unknown = null;
  const stopFake = async () => {
    await stopChild(fake.child, 10_000);
    const line = fake.child.stdout().split('\n').find((l) => l.startsWith('FAKE_STATS '));
    if (line) fakeStats = JSON.parse(line.slice('FAKE_STATS '.length)) as unknown;
  };
  cleanups.push({ what: 'stop the YandexGPT fake', run: stopFake });
  log(`rate limits raised for the bench: RATE_LIMIT_MESSAGES_PER_MINUTE, RATE_LIMIT_ADDRESS_PER_MINUTE, RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE=${RAISED_LIMIT}`);
  const wrk = process.env.BENCH_WRK ? (isExecutable(process.env.BENCH_WRK) ? process.env.BENCH_WRK : undefined) : findExecutable('wrk');
  if (!wrk) log('wrk is not installed: apt-get install wrk; the HTTP figures are skipped');

  const results: SetupResult[] = [];
  for (const setup of settings.setups) {
    checkInterrupted();
    results.push(await runSetup(setup, fake, wrk));
  }
  await stopFake();

  // Floors, catalog, Telegram — with every server stopped, so they do not compete with it.
  let floor: Record<string, unknown> | null = null;
  if (settings.floor) {
    checkInterrupted();
    floor = await floorSection(wrk).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  }
  checkInterrupted();
  const skipped = (part: string) => Promise.resolve({ skipped: `BENCH_SKIP=${part}` });
  const catalog = await (settings.skip.has('catalog') ? skipped('catalog') : catalogSection()).catch((error: unknown) => ({ skipped: `failed: ${error instanceof Error ? error.message : String(error)}` }));
  checkInterrupted();
  const telegram = await (settings.skip.has('telegram') ? skipped('telegram') : telegramSection()).catch((error: unknown) => ({ skipped: `failed: ${error instanceof Error ? error.message : String(error)}` }));
  checkInterrupted();
  const streams = await (settings.skip.has('streams') ? skipped('streams') : streamSection()).catch((error: unknown) => ({ skipped: `failed: ${error instanceof Error ? error.message : String(error)}` }));

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
      e2e_background_rps: settings.e2eBackgroundRps,
      catalog_offers: settings.catalogOffers,
      catalog_queries: settings.catalogQueries,
      catalog_seconds: settings.catalogSeconds,
      setups: settings.setups,
      web_concurrency: process.env.WEB_CONCURRENCY ?? null,
      llm_concurrency: Number(process.env.LLM_CONCURRENCY ?? 10),
      log_level: 'warn',
    },
    llm_fake: fakeStats,
    setups: results,
    catalog,
    telegram,
    streams,
    ...(floor ? { floor } : {}),
  };
  report(result, results, catalog, telegram, floor);
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
