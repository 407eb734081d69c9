/**
 * Catalog search latency, run by bench/run.ts in a process of its own:
 *   tsx bench/catalog-search.ts --prompts <dir> [--queries 2000] [--seconds 60] [--limit 10] [--root <repo>]
 * (bench/run.ts runs it bundled by esbuild under plain node, with --root naming the repository).
 * Loads the prompts folder (with its catalog) through `createPromptsKnowledge` of
 * src/knowledge/index.ts, times the load, then times `searchCatalog` (up to --queries, or
 * --seconds of measuring, whichever ends first) over a shuffled mix of the retrieval evaluation
 * questions, words from the catalog's own offer names and a few query shapes of its own. Prints one line `CATALOG_RESULT {json}`.
 * The knowledge module is the compiled build (`dist/`, rebuilt first with
 * `node scripts/build.mjs --if-stale`), as production runs it with plain `node`: loaded from
 * TypeScript sources, the indexing worker would first start tsx's loader in its thread (about a
 * second) and the process would hold the loader's memory. It is imported by a computed path:
 * this file typechecks without it and reports what is missing instead of failing to compile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { createLogger as createSourceLogger } from '../src/logger.js';
import { round, summarize } from './support/stats.js';

const { values } = parseArgs({
  options: {
    prompts: { type: 'string' },
    queries: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '60' },
    limit: { type: 'string', default: '10' },
    root: { type: 'string' },
  },
});
if (!values.prompts) throw new Error('--prompts <dir> is required');
const promptsDir = resolve(values.prompts);
const queryCount = Number(values.queries);
/** Time budget of the measured loop: a slow search stops early, with the count it reached. */
const budgetMs = Number(values.seconds) * 1000;
const limit = Number(values.limit);
const root = values.root ? resolve(values.root) : resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What we need of the knowledge module; checked at run time. */
interface SearchableKnowledge {
  searchCatalog(query: string, limit: number): unknown;
  close?(): Promise<void> | void;
}
type CreateKnowledge = (options: Record<string, unknown>) => Promise<SearchableKnowledge>;

function emit(result: Record<string, unknown>): void {
  process.stdout.write(`CATALOG_RESULT ${JSON.stringify(result)}\n`);
}

/**
 * A few query shapes of our own (price caps, stock, transliteration, typos, off-topic); the bulk
 * comes from the retrieval evaluation set (test/eval/retrieval-set.json) when it is there, and from
 * words of the catalog's own offer names.
 */
const FIXED_QUERIES = [
  'пленка',
  'пленка до 5000 рублей',
  'баннер в наличии',
  'oracal 641 белая матовая',
  'orakal',
  'плоттер режущий дешевле 100 000',
  'ламинатор',
  'чернила',
  'пвх 3 мм',
  'холодильник',
  'xyzzy несуществующий товар',
];

function evaluationQueries(): string[] {
  const file = join(root, 'test', 'eval', 'retrieval-set.json');
  if (!existsSync(file)) return [];
  try {
    const set = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(set) ? set.map((item: { q?: unknown }) => item?.q).filter((q): q is string => typeof q === 'string') : [];
  } catch {
    return [];
  }
}

/** Up to `count` short queries from the catalog's offer names (YML `<name>` or a CSV `name` column). */
/**
 * Reads one to three leading words of offer names, as a shopper would type part of one. The
 * catalog is read in a thread of its own: its text (76 MB in the heap as a two-byte string) and
 * the names would otherwise stay in this process's RSS and count as the search's.
 */
async function queriesFromCatalog(count: number): Promise<string[]> {
  const files = readdirSync(promptsDir).filter((file) => /^catalog\.(ya?ml|xml|csv)$/i.test(file)).map((file) => join(promptsDir, file));
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const out = [];
    for (const file of workerData.files) {
      const text = readFileSync(file, 'utf8');
      const names = [];
      if (/\\.csv$/i.test(file)) {
        const [header, ...rows] = text.split('\\n');
        const separator = (header ?? '').includes(';') ? ';' : ',';
        const column = (header ?? '').split(separator).findIndex((cell) => cell.trim().replace(/"/g, '').toLowerCase() === 'name');
        if (column >= 0) for (const row of rows) names.push((row.split(separator)[column] ?? '').replace(/"/g, ''));
      } else {
        for (const match of text.matchAll(/<name>([^<]{1,300})<\\/name>/g)) names.push(match[1] ?? '');
      }
      const step = Math.max(1, Math.floor(names.length / workerData.count));
      for (let i = 0; i < names.length && out.length < workerData.count; i += step) {
        const words = (names[i] ?? '').trim().split(/\\s+/).filter(Boolean);
        const take = 1 + (i % 3);
        if (words.length) out.push(words.slice(0, take).join(' ').toLowerCase());
      }
    }
    parentPort.postMessage(out);
  `, { eval: true, workerData: { files, count } });
  const [queries] = (await once(worker, 'message')) as [string[]];
  await worker.terminate();
  return queries;
}

/** The mix in a fixed pseudo-random order (mulberry32), so a cut-short run still samples every kind. */
function shuffle<T>(items: T[]): T[] {
  let seed = 20_240_601;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function hitsOf(result: unknown): number | null {
  if (Array.isArray(result)) return result.length;
  if (result && typeof result === 'object' && Array.isArray((result as { items?: unknown }).items)) return (result as { items: unknown[] }).items.length;
  return null;
}

const modulePath = join(root, 'src/knowledge/index.ts');
if (!existsSync(modulePath)) {
  emit({ skipped: 'src/knowledge/index.ts does not exist' });
  process.exit(0);
}
try {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
} catch (error) {
  emit({ error: `node scripts/build.mjs --if-stale failed: ${error instanceof Error ? error.message : String(error)}` });
  process.exit(0);
}
const knowledgeModule = (await import(pathToFileURL(join(root, 'dist/src/knowledge/index.js')).href)) as Record<string, unknown>;
const { createLogger } = (await import(pathToFileURL(join(root, 'dist/src/logger.js')).href)) as { createLogger: typeof createSourceLogger };
const create = knowledgeModule.createPromptsKnowledge as CreateKnowledge | undefined;
if (typeof create !== 'function') {
  emit({ skipped: 'src/knowledge/index.ts exports no createPromptsKnowledge' });
  process.exit(0);
}

const catalogBytes = readdirSync(promptsDir)
  .filter((file) => file.startsWith('catalog.'))
  .reduce((sum, file) => sum + statSync(join(promptsDir, file)).size, 0);
// Made before the load, so that neither its time nor its memory is the load's.
const queries = shuffle([...FIXED_QUERIES, ...evaluationQueries(), ...(await queriesFromCatalog(200))]);
const rssBefore = process.memoryUsage().rss;
// The event loop's delay while loading: a server answering requests meanwhile would wait this long.
const loadDelay = monitorEventLoopDelay({ resolution: 10 });
loadDelay.enable();
const loadStarted = performance.now();
let knowledge: SearchableKnowledge;
try {
  knowledge = await create({
    promptsDir,
    logger: createLogger({ level: 'warn', destination: process.stderr }).child({ component: 'knowledge' }),
    catalogRefreshMinutes: 60,
    maxTokens: 2000,
    // No folder watcher: nothing edits the temp folder, and its start-up is not search time.
    watch: false,
  });
} catch (error) {
  emit({ error: `createPromptsKnowledge failed: ${error instanceof Error ? error.message : String(error)}` });
  process.exit(0);
}
const loadMs = performance.now() - loadStarted;
loadDelay.disable();
const rssAfterLoad = process.memoryUsage().rss;
if (typeof knowledge.searchCatalog !== 'function') {
  await knowledge.close?.();
  emit({ skipped: 'the knowledge base has no searchCatalog(query, limit)' });
  process.exit(0);
}

const firstStarted = performance.now();
await knowledge.searchCatalog(queries[0] as string, limit);
const firstQueryMs = performance.now() - firstStarted;

// Warm-up, not measured: the first 20 of the mix, at most 10 s.
const warmupStarted = performance.now();
for (const query of queries.slice(0, 20)) {
  if (performance.now() - warmupStarted > 10_000) break;
  await knowledge.searchCatalog(query, limit);
}

const times: number[] = [];
let empty = 0;
let hits = 0;
const measuredStarted = performance.now();
let done = 0;
for (let i = 0; i < queryCount && performance.now() - measuredStarted < budgetMs; i++, done++) {
  const query = queries[i % queries.length] as string;
  const started = performance.now();
  const result = await knowledge.searchCatalog(query, limit);
  times.push(performance.now() - started);
  const count = hitsOf(result);
  if (count === 0) empty += 1;
  hits += count ?? 0;
}
const measuredMs = performance.now() - measuredStarted;

// A burst: every query its own macrotask, as concurrent HTTP requests would be; the event-loop
// delay histogram then shows how long one search keeps everything else waiting.
const burstDelay = monitorEventLoopDelay({ resolution: 1 });
const burstCount = Math.min(done, 500);
burstDelay.enable();
const answers: Array<Promise<unknown>> = [];
for (let i = 0; i < burstCount; i++) {
  await new Promise<void>((resolve) => setImmediate(() => {
    answers.push(Promise.resolve(knowledge.searchCatalog(queries[i % queries.length] as string, limit)));
    resolve();
  }));
}
// Until the last answer is in: a search run off this thread still costs it its answer's handling.
await Promise.all(answers);
burstDelay.disable();
const memory = process.memoryUsage();
await knowledge.close?.();

const latency = summarize(times);
emit({
  catalog_bytes: catalogBytes,
  load_ms: round(loadMs, 1),
  first_query_ms: round(firstQueryMs, 2),
  queries: done,
  queries_requested: queryCount,
  time_budget_s: budgetMs / 1000,
  distinct_queries: queries.length,
  limit,
  latency_ms: { p50: round(latency.p50, 3), p90: round(latency.p90, 3), p99: round(latency.p99, 3), max: round(latency.max, 3), mean: round(latency.mean, 3) },
  queries_per_s: round(done / (measuredMs / 1000), 1),
  mean_hits: round(hits / Math.max(1, done), 1),
  empty_results: empty,
  load_event_loop_ms: { p99: round(loadDelay.percentile(99) / 1e6, 1), max: round(loadDelay.max / 1e6, 1) },
  burst_event_loop_ms: { queries: burstCount, p50: round(burstDelay.percentile(50) / 1e6, 2), p99: round(burstDelay.percentile(99) / 1e6, 2), max: round(burstDelay.max / 1e6, 2) },
  rss_mb_after_load: round(rssAfterLoad / 2 ** 20, 0),
  rss_mb_after_searches: round(memory.rss / 2 ** 20, 0),
  rss_mb_peak: round(process.resourceUsage().maxRSS / 1024, 0),
  rss_mb_growth: round((memory.rss - rssBefore) / 2 ** 20, 0),
  heap_used_mb: round(memory.heapUsed / 2 ** 20, 0),
});
process.exit(0);
