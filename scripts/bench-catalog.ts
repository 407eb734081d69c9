/**
 * Catalog load and search figures on a large generated feed:
 *   tsx scripts/bench-catalog.ts [--offers 50000]
 * Prints the feed size, parse and index times, the longest event-loop stall while loading (the
 * server must keep answering during a reload), and search latency over the evaluation questions.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCatalog } from '../src/knowledge/catalog/load-catalog.js';
import { buildCatalogIndex } from '../src/knowledge/search/catalog-index.js';
import { rankOffers } from '../src/knowledge/search/rank-offers.js';
import { parseSynonyms } from '../src/knowledge/search/synonyms.js';
import { catalogYml } from './generate-catalog.js';

const { values } = parseArgs({ options: { offers: { type: 'string', default: '50000' } } });
const count = Number(values.offers);
const yml = catalogYml(count);
const synonyms = parseSynonyms(readFileSync('prompts/synonyms.yml', 'utf8'), 'prompts/synonyms.yml');
const questions = (JSON.parse(readFileSync('test/eval/retrieval-set.json', 'utf8')) as Array<{ q: string }>).map((x) => x.q);

const stalls = monitorEventLoopDelay({ resolution: 5 });
stalls.enable();
const t0 = performance.now();
const catalog = await parseCatalog(yml, 'big.yml');
const t1 = performance.now();
const index = await buildCatalogIndex(catalog);
const t2 = performance.now();
stalls.disable();

const times: Array<{ ms: number; q: string }> = [];
for (const q of questions) rankOffers(index, synonyms, q, 10); // warm-up
for (const q of questions) {
  const started = performance.now();
  rankOffers(index, synonyms, q, 10);
  times.push({ ms: performance.now() - started, q });
}
times.sort((a, b) => a.ms - b.ms);
const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.ms;

console.log(`offers: ${catalog.offers.length}, feed ${(yml.length / 1e6).toFixed(1)} MB`);
console.log(`parse: ${((t1 - t0) / 1000).toFixed(2)} s, index: ${((t2 - t1) / 1000).toFixed(2)} s, total load: ${((t2 - t0) / 1000).toFixed(2)} s`);
console.log(`longest event-loop stall while loading: ${(stalls.max / 1e6).toFixed(0)} ms (p99 ${(stalls.percentile(99) / 1e6).toFixed(0)} ms)`);
console.log(`search over ${times.length} questions: p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, slowest ${times.at(-1)!.ms.toFixed(1)} ms ("${times.at(-1)!.q}")`);
console.log(`heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
