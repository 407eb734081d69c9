/**
 * Materialises the evaluation judgments: runs each question's judge of `test/eval/questions.ts`
 * over the sample catalog and writes the graded offer ids to `test/eval/retrieval-set.json`.
 * Re-run after regenerating the catalog:  tsx scripts/build-eval-set.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCatalog } from '../src/knowledge/catalog/load-catalog.js';
import { QUESTIONS } from '../test/eval/questions.js';

const catalogFile = 'prompts/catalog.yml';
const catalog = await parseCatalog(readFileSync(catalogFile, 'utf8'), catalogFile);
const set = QUESTIONS.map(({ q, class: queryClass, judge }) => {
  const relevant: Record<string, number> = {};
  for (const offer of catalog.offers) {
    const grade = judge(offer);
    if (grade > 0) relevant[offer.id] = grade;
  }
  if (Object.keys(relevant).length === 0) throw new Error(`no relevant offer for "${q}"`);
  return { q, class: queryClass, relevant };
});
writeFileSync('test/eval/retrieval-set.json', `${JSON.stringify(set, null, 1)}\n`);
console.log(`wrote test/eval/retrieval-set.json: ${set.length} questions`);
