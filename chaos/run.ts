/**
 * `npm run chaos [-- --minutes N] [--visitors N] [--customers N] [--fault-every S] [--keep]`: the system as real processes
 * (2 api behind a round-robin proxy, 2 workers) on its own PostgreSQL and Redis, with the
 * YandexGPT and Telegram fakes, under a traffic of web visitors and Telegram customers, while
 * processes are SIGKILLed, Redis and PostgreSQL restarted or frozen, the model answers 429/500 or
 * hangs and Telegram answers 429. At the end every accepted message is checked (check.ts) and a
 * table printed; memory and open file descriptors of each process are sampled every minute.
 * Exit status 1 when a message was lost, doubled, reordered or misdelivered.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { killAllSync } from '../bench/support/processes.js';
import { freePort } from '../src/free-port.js';
import { createLogger } from '../src/logger.js';
import { echoResponder, startFakeYandexGpt, type FakeYandexGptBehaviour, type RecordedYandexGptRequest } from '../test/fakes/fake-yandex-gpt.js';
import { startFakeTelegram } from '../test/fakes/fake-telegram.js';
import { checkRun, percentile } from './check.js';
import { startCluster } from './cluster.js';
import { startProxy } from './proxy.js';
import { startScratchPostgres, startScratchRedis } from './services.js';
import { drainVisitor, newCustomer, newVisitor, runCustomer, runVisitor, type TelegramCustomer, type WebVisitor } from './traffic.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    visitors: { type: 'string' },
    customers: { type: 'string' },
    messages: { type: 'string', default: '5' },
    'fault-every': { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
  },
});
const minutes = Number(args.minutes);
const runMs = minutes * 60_000;
// A few hundred conversations over ten minutes; a longer soak keeps the same rate.
const visitors = Number(args.visitors ?? Math.round(24 * minutes));
const customers = Number(args.customers ?? Math.round(12 * minutes));
const messagesEach = Number(args.messages);

process.on('exit', killAllSync);
process.on('SIGINT', () => process.exit(130));

type ModelMode = 'ok' | '429' | '500' | 'hang';
let modelMode: ModelMode = 'ok';
const faults: Record<string, number> = {};
const count = (name: string) => (faults[name] = (faults[name] ?? 0) + 1);
const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const dir = await mkdtemp(path.join(tmpdir(), 'supportbot-chaos-'));
const quiet = createLogger({ level: 'warn' });
log(`chaos: ${minutes} min, ${visitors} web visitors + ${customers} Telegram customers × ${messagesEach} messages; state in ${dir}`);
const postgres = await startScratchPostgres(dir, quiet);
const redis = await startScratchRedis(dir);
const model = await startFakeYandexGpt();
model.setResponder((body, request) => {
  // During a fault window about half the calls fail, the rest pass: as a struggling provider does.
  const behaviours: Record<ModelMode, FakeYandexGptBehaviour> = {
    ok: echoResponder(body, request) as FakeYandexGptBehaviour,
    '429': { error: 429, retryAfterSeconds: 1 },
    '500': { error: 500 },
    hang: { hang: true },
  };
  return modelMode !== 'ok' && Math.random() < 0.5 ? behaviours[modelMode] : { delayMs: 50 + Math.random() * 400, then: behaviours.ok };
});
const telegram = await startFakeTelegram();
const apiPorts = [await freePort(), await freePort()];
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: 'production',
  DATABASE_URL: postgres.url,
  REDIS_URL: redis.url,
  BULLMQ_PREFIX: 'chaos',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  PROMPTS_DIR: path.resolve(import.meta.dirname, '..', 'prompts'),
  YANDEX_API_KEY: 'chaos-key',
  YANDEX_FOLDER_ID: 'b1gchaos',
  YANDEX_GPT_BASE_URL: model.url,
  TELEGRAM_BOT_TOKEN: telegram.token,
  TELEGRAM_API_ROOT: telegram.url,
  LLM_TIMEOUT_MS: '4000',
  LLM_RETRY_ATTEMPTS: '10',
  LLM_RETRY_BACKOFF_MS: '500',
  RECOVERY_SWEEP_SECONDS: '10',
  DATABASE_CONNECT_TIMEOUT_MS: '2000',
  DATABASE_STATEMENT_TIMEOUT_MS: '5000',
  // Every visitor comes from an address of its own; Telegram customers send within their limit.
  RATE_LIMIT_ADDRESS_PER_MINUTE: '3000',
};
const cluster = startCluster(
  [
    { name: 'api-1', role: 'api', port: apiPorts[0] as number },
    { name: 'api-2', role: 'api', port: apiPorts[1] as number },
    { name: 'worker-1', role: 'worker', port: 0 },
    { name: 'worker-2', role: 'worker', port: 0 },
  ],
  env,
  dir,
);
const proxy = await startProxy(() => cluster.apiPorts());
await cluster.ready(180_000);
log(`cluster ready behind ${proxy.url}`);

const started = Date.now();
const trafficEnd = started + runMs;
const stopAt = () => trafficEnd + 180_000;
const web: WebVisitor[] = [];
const tg: TelegramCustomer[] = [];
const trafficOptions = { baseUrl: proxy.url, telegram, messages: messagesEach, gapMs: [1000, 6000] as [number, number] };
const conversations: Array<Promise<void>> = [];
// Conversations start spread over the run, leaving the last minute (or fifth) for them to finish.
const spreadMs = Math.max(runMs - Math.min(60_000, runMs / 5), 1000);
const starter = (async () => {
  const total = visitors + customers;
  for (let i = 0; i < total && Date.now() < trafficEnd; i += 1) {
    if (i % (Math.round(total / Math.max(customers, 1)) || 1) === 0 && tg.length < customers) {
      const c = newCustomer(tg.length);
      tg.push(c);
      conversations.push(runCustomer(c, trafficOptions, stopAt));
    } else if (web.length < visitors) {
      const v = newVisitor(web.length);
      web.push(v);
      conversations.push(runVisitor(v, trafficOptions, stopAt));
    }
    await sleep(spreadMs / total);
  }
})();

/** The faults, in turn, one every FAULT_EVERY_MS until a minute before the traffic ends. */
const FAULT_EVERY_MS = Number(args['fault-every']) * 1000;
const schedule: Array<[string, () => Promise<void>]> = [
  ['worker SIGKILL', () => cluster.kill(cluster.processes[2]!, 3000)],
  ['model 500', async () => window('500', 20_000)],
  ['api SIGKILL', () => cluster.kill(cluster.processes[1]!, 3000)],
  ['model 429', async () => window('429', 20_000)],
  ['redis restart', () => redis.restart(3000)],
  ['model hang', async () => window('hang', 15_000)],
  ['telegram 429', async () => telegram.failNext('sendMessage', { code: 429, retryAfter: 2 }, 15)],
  ['postgres restart', () => postgres.restart(3000)],
  ['worker SIGKILL', () => cluster.kill(cluster.processes[3]!, 3000)],
  ['postgres freeze', () => postgres.freeze(10_000)],
  ['api SIGKILL', () => cluster.kill(cluster.processes[0]!, 3000)],
];
async function window(mode: ModelMode, ms: number): Promise<void> {
  modelMode = mode;
  await sleep(ms);
  modelMode = 'ok';
}
const chaos = (async () => {
  for (let i = 0; Date.now() + FAULT_EVERY_MS < trafficEnd - 30_000; i += 1) {
    await sleep(FAULT_EVERY_MS);
    const [name, inject] = schedule[i % schedule.length]!;
    log(`fault: ${name}`);
    count(name);
    await inject().catch((error: unknown) => log(`fault ${name} failed: ${String(error)}`));
  }
})();

const samples: Array<{ minute: number; rows: ReturnType<typeof cluster.sample> }> = [];
const sampler = setInterval(() => {
  const rows = cluster.sample();
  samples.push({ minute: Math.round((Date.now() - started) / 60_000), rows });
  log(`memory: ${rows.map((r) => `${r.name} ${Math.round(r.rssKb / 1024)} MB/${r.fds} fds`).join(', ')}; ${web.filter((v) => v.done).length + tg.filter((c) => c.done).length}/${web.length + tg.length} conversations done`);
  // The fake keeps every request for tests; the soak would measure the fake's memory instead.
  (model.requests as RecordedYandexGptRequest[]).splice(0);
}, 60_000);

await starter;
await chaos;
await Promise.all(conversations);
log('traffic done; waiting for the last replies');
// Telegram replies: wait until every stored reply was sent, or a deadline.
await sleep(15_000);
for (const v of web) await drainVisitor(v, proxy.url);
clearInterval(sampler);
const final = cluster.sample();
samples.push({ minute: Math.round((Date.now() - started) / 60_000), rows: final });

const verdict = await checkRun(postgres.url, web, tg, telegram);
await proxy.close();
await cluster.stop();
await telegram.close();
await model.close();
await redis.stop();
await postgres.stop();

const rows: Array<[string, string | number]> = [
  ['duration (traffic), min', minutes],
  ['conversations (web + telegram)', `${verdict.conversations} (${web.length} + ${tg.length})`],
  ['messages stored and checked', verdict.messages],
  ['  of which accepted without the client knowing (answer lost to a fault)', verdict.ambiguousStored],
  ['refusals retried by clients (status: count)', JSON.stringify(mergeCounts(web.map((v) => v.refused)))],
  ['faults injected', `${Object.values(faults).reduce((a, b) => a + b, 0)} — ${Object.entries(faults).map(([k, n]) => `${k} ×${n}`).join(', ')}`],
  ['process crashes (not injected)', cluster.processes.reduce((n, p) => n + p.crashes, 0)],
  ['outcomes by kind', JSON.stringify(verdict.kinds)],
  ['lost (no outcome, or never delivered)', verdict.noOutcome + verdict.lost],
  ['duplicated (two outcomes, or delivered twice)', verdict.multipleOutcomes + verdict.duplicated],
  ['out of order', verdict.outOfOrder],
  ['delivered to the wrong conversation', verdict.misdelivered],
  ['time to reply p50 / p99 / max, s', [50, 99, 100].map((p) => (percentile(verdict.latenciesMs, p) / 1000).toFixed(1)).join(' / ')],
];
process.stdout.write(`\n${table(['check', 'value'], rows)}\n`);
process.stdout.write(`\nmemory (RSS MB) and open file descriptors by minute:\n${table(
  ['minute', ...final.map((r) => r.name)],
  samples.map((s) => [String(s.minute), ...s.rows.map((r) => `${Math.round(r.rssKb / 1024)} / ${r.fds}`)]),
)}\n`);
if (verdict.problems.length) process.stdout.write(`\nproblems (first ${verdict.problems.length}):\n${verdict.problems.map((p) => `  - ${p}`).join('\n')}\n`);
const failed = verdict.noOutcome + verdict.lost + verdict.multipleOutcomes + verdict.duplicated + verdict.outOfOrder + verdict.misdelivered > 0;
if (!args.keep && !failed) await rm(dir, { recursive: true, force: true });
else log(`logs and data kept in ${dir}`);
process.exit(failed ? 1 : 0);

function mergeCounts(list: Array<Record<number, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list) for (const [k, n] of Object.entries(item)) out[k] = (out[k] ?? 0) + n;
  return out;
}

function table(header: string[], body: Array<Array<string | number>>): string {
  const cells = [header, ...body].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(cells[0] as string[]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
