/**
 * Retrieval evaluation: recall@5, recall@10, nDCG@10 and MRR of the catalog search, overall and
 * per query class, next to a plain BM25 + Russian stemmer baseline.
 *   tsx scripts/eval-retrieval.ts                 # every set: the held-out set first, then our own
 *   tsx scripts/eval-retrieval.ts --catalog <file> --set <file.json> [--misses]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCatalog } from '../src/knowledge/catalog/load-catalog.js';
import { parseColors } from '../src/knowledge/folder/colors.js';
import { buildCatalogIndex } from '../src/knowledge/search/catalog-index.js';
import { rankOffers } from '../src/knowledge/search/rank-offers.js';
import { parseSynonyms, type Synonyms } from '../src/knowledge/search/synonyms.js';
import { createBaselineSearch } from '../test/eval/baseline.js';
import { ndcgAt, recallAt, reciprocalRank, type Judgments } from '../test/eval/metrics.js';

interface Row { r5: number; r10: number; ndcg: number; mrr: number }
type Search = (q: string) => string[];
interface EvalSet { title: string; catalog: string; set: string }

/**
 * The held-out set (another catalog and questions written blind, frozen before tuning) comes
 * first: it says how the search does on questions nobody tuned for. Then the project's own sets.
 */
const SETS: EvalSet[] = [
  { title: 'HELD-OUT (independent catalog, questions written blind, frozen before tuning)', catalog: 'test/eval/heldout/heldout-catalog.yml', set: 'test/eval/heldout/heldout-set.json' },
  { title: 'held-out questions over the same catalog as CSV (no parameters: sizes and colours only in names)', catalog: 'test/eval/heldout/heldout-catalog.csv', set: 'test/eval/heldout/heldout-set.json' },
  { title: 'own: sample catalog', catalog: 'prompts/catalog.yml', set: 'test/eval/retrieval-set.json' },
  { title: 'own: alternative catalog', catalog: 'test/eval/alt-catalog.csv', set: 'test/eval/alt-set.json' },
];

const { values } = parseArgs({
  options: {
    catalog: { type: 'string' },
    set: { type: 'string' },
    synonyms: { type: 'string', default: 'prompts/synonyms.yml' },
    colors: { type: 'string', default: 'prompts/colors.yml' },
    misses: { type: 'boolean', default: false },
  },
});

const mean = (rows: Row[], key: keyof Row): number => rows.reduce((s, r) => s + r[key], 0) / rows.length;
const fmt = (x: number): string => x.toFixed(3);

async function evaluateSet({ title, catalog: catalogFile, set }: EvalSet, synonyms: Synonyms): Promise<void> {
  const catalog = await parseCatalog(readFileSync(catalogFile, 'utf8'), catalogFile);
  const index = await buildCatalogIndex(catalog, parseColors(readFileSync(values.colors, 'utf8'), values.colors));
  const questions = JSON.parse(readFileSync(set, 'utf8')) as Array<{ q: string; class: string; relevant: Judgments }>;
  const ours: Search = (q) => rankOffers(index, synonyms, q, 10).map((r) => r.offer.id);
  const baselineSearch = createBaselineSearch(catalog.offers);
  const baseline: Search = (q) => baselineSearch(q, 10);

  let slowest = { ms: 0, q: '' };
  const evaluate = (search: Search, timed: boolean): Map<string, Row[]> => {
    const byClass = new Map<string, Row[]>();
    for (const { q, class: queryClass, relevant } of questions) {
      const started = performance.now();
      const ranked = search(q);
      const ms = performance.now() - started;
      if (timed && ms > slowest.ms) slowest = { ms, q };
      const row = { r5: recallAt(ranked, relevant, 5), r10: recallAt(ranked, relevant, 10), ndcg: ndcgAt(ranked, relevant, 10), mrr: reciprocalRank(ranked, relevant) };
      if (timed && values.misses && row.r10 < 1) console.log(`miss r10=${row.r10.toFixed(2)} [${queryClass}] ${q}\n   got: ${ranked.slice(0, 10).join(' ')}\n   want: ${Object.keys(relevant).slice(0, 12).join(' ')}`);
      for (const key of [queryClass, 'ALL']) byClass.set(key, [...(byClass.get(key) ?? []), row]);
    }
    return byClass;
  };

  const mine = evaluate(ours, true);
  const base = evaluate(baseline, false);
  console.log(`\n== ${title}\n   ${catalogFile}: ${catalog.offers.length} offers; ${set}: ${questions.length} questions\n`);
  console.log('class          n   recall@5 recall@10 nDCG@10   MRR  | baseline: recall@5 recall@10 nDCG@10   MRR');
  for (const [key, rows] of [...mine.entries()].sort(([a], [b]) => (a === 'ALL' ? 1 : b === 'ALL' ? -1 : a.localeCompare(b)))) {
    const b = base.get(key)!;
    console.log(`${key.padEnd(13)} ${String(rows.length).padStart(3)}   ${fmt(mean(rows, 'r5'))}    ${fmt(mean(rows, 'r10'))}    ${fmt(mean(rows, 'ndcg'))}  ${fmt(mean(rows, 'mrr'))} |           ${fmt(mean(b, 'r5'))}    ${fmt(mean(b, 'r10'))}    ${fmt(mean(b, 'ndcg'))}  ${fmt(mean(b, 'mrr'))}`);
  }
  console.log(`\nslowest query: ${slowest.ms.toFixed(1)} ms ("${slowest.q}")`);
}

const synonyms = parseSynonyms(readFileSync(values.synonyms, 'utf8'), values.synonyms);
const sets = values.catalog || values.set
  ? [{ title: 'custom', catalog: values.catalog ?? 'prompts/catalog.yml', set: values.set ?? 'test/eval/retrieval-set.json' }]
  : SETS;
for (const set of sets) await evaluateSet(set, synonyms);
