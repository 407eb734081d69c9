/**
 * Runs a question's concepts against a `TermIndex`: per document, its BM25F score over every
 * alternative that matched, and the credit (0..1) of each concept — how well the best of its
 * alternatives was met, by the field it was met in. The same contract as `runConcepts` (which
 * serves the small FAQ index through MiniSearch), over typed arrays reused between queries.
 */
import type { Alternative, Concept } from './concepts.js';
import type { FieldRole } from './run-concepts.js';
import type { Expansion, TermIndex } from './term-index.js';

/** Credit of a match by field role, for concepts from the question's head and from its modifier. */
const ROLE_CREDIT: Record<'head' | 'modifier', Record<FieldRole, number>> = {
  head: { head: 1, tail: 0.5, mention: 0.35 },
  modifier: { head: 1, tail: 1, mention: 0.5 },
};
/** Score discounts of approximate matches, as MiniSearch weighs them. */
const WEIGHT = { prefix: 0.7, fuzzy: 0.55 };
/** A term met only by prefix or typo counts this much of an exact one. */
const APPROXIMATE = 0.75;

/** The matches of one query; arrays are indexed by document and valid until the next query. */
export interface ConceptMatches {
  /** Documents that matched any alternative, in no particular order. */
  candidates: Int32Array;
  count: number;
  /** BM25F score by document. */
  score: Float64Array;
  /** Per concept, the credit by document. */
  credits: Float32Array[];
  /** Which concepts matched any document: one no document has should not count against any. */
  live: boolean[];
}

/** Field boosts and roles, by the index's field order. */
export interface MatchFields {
  boost: number[];
  roles: FieldRole[];
}

/** Buffers reused across queries on one index (searches are synchronous, so never shared). */
interface Scratch {
  score: Float64Array;
  credits: Float32Array[];
  seen: Uint8Array;
  candidates: Int32Array;
  termBest: Float32Array;
  termTouched: Int32Array;
  phrase: Float32Array;
  phraseScore: Float64Array;
  phraseCount: Uint8Array;
  phraseTouched: Int32Array;
  dirty: { count: number; concepts: number };
}

const scratches = new WeakMap<TermIndex, Scratch>();

function scratchOf(index: TermIndex, concepts: number): Scratch {
  const n = index.documents;
  let s = scratches.get(index);
  if (!s) {
    s = {
      score: new Float64Array(n), credits: [], seen: new Uint8Array(n), candidates: new Int32Array(n),
      termBest: new Float32Array(n), termTouched: new Int32Array(n), phrase: new Float32Array(n),
      phraseScore: new Float64Array(n), phraseCount: new Uint8Array(n), phraseTouched: new Int32Array(n),
      dirty: { count: 0, concepts: 0 },
    };
    scratches.set(index, s);
  }
  // Clear only what the previous query touched.
  for (let i = 0; i < s.dirty.count; i++) {
    const d = s.candidates[i]!;
    s.score[d] = 0;
    s.seen[d] = 0;
    for (let c = 0; c < s.dirty.concepts; c++) s.credits[c]![d] = 0;
  }
  while (s.credits.length < concepts) s.credits.push(new Float32Array(n));
  s.dirty = { count: 0, concepts };
  return s;
}

/** Matches concepts against the index; see the module comment. */
export function matchConcepts(index: TermIndex, concepts: Concept[], fields: MatchFields): ConceptMatches {
  const s = scratchOf(index, concepts.length);
  const live = concepts.map(() => false);
  let count = 0;
  const touch = (d: number): void => {
    if (s.seen[d]) return;
    s.seen[d] = 1;
    s.candidates[count++] = d;
  };
  for (let c = 0; c < concepts.length; c++) {
    const concept = concepts[c]!;
    const roleCredit = ROLE_CREDIT[concept.modifier ? 'modifier' : 'head'];
    const place = fields.roles.map((r) => roleCredit[r]);
    const credit = s.credits[c]!;
    for (const alternative of concept.alternatives) {
      const touched = alternative.terms.length === 1
        ? matchTerm(index, s, alternative, alternative.terms[0]!, place, fields.boost, credit, touch)
        : matchPhrase(index, s, alternative, place, fields.boost, credit, touch);
      if (touched) live[c] = true;
    }
  }
  s.dirty.count = count;
  return { candidates: s.candidates, count, score: s.score, credits: s.credits.slice(0, concepts.length), live };
}

/** The score weight of an expansion: approximate matches count less, more so the further off. */
function expansionWeight(alternative: Alternative, term: string, e: Expansion): number {
  if (e.kind === 'exact') return alternative.weight;
  const distance = (e.kind === 'prefix' ? 0.3 : 1) * e.distance;
  return (alternative.weight * WEIGHT[e.kind] * term.length) / (term.length + distance);
}

function matchTerm(
  index: TermIndex, s: Scratch, alternative: Alternative, term: string, place: number[], boost: number[],
  credit: Float32Array, touch: (d: number) => void,
): boolean {
  let any = false;
  const { docs, fieldTf, start } = index;
  for (const e of index.expand(term, alternative.prefix, alternative.fuzzy)) {
    const factor = alternative.weight * (e.kind === 'exact' ? 1 : APPROXIMATE);
    const weight = expansionWeight(alternative, term, e) * index.idf(e.term);
    for (let p = start[e.term]!, end = start[e.term + 1]!; p < end; p++) {
      const doc = docs[p]!;
      const field = fieldTf[p]! >> 8;
      touch(doc);
      s.score[doc]! += weight * boost[field]! * index.bm25(p);
      const value = factor * place[field]!;
      if (value > credit[doc]!) credit[doc] = value;
      any = true;
    }
  }
  return any;
}

/**
 * A phrase or a code's parts: a document must have every term; its credit is that of its least
 * present term ("самоклеящаяся" in a description and "пленка" in the name is not a
 * self-adhesive film by name).
 */
function matchPhrase(
  index: TermIndex, s: Scratch, alternative: Alternative, place: number[], boost: number[],
  credit: Float32Array, touch: (d: number) => void,
): boolean {
  let phraseDocs = 0;
  const terms = alternative.terms;
  const { docs, fieldTf, start } = index;
  for (let k = 0; k < terms.length; k++) {
    let touched = 0;
    for (const e of index.expand(terms[k]!, alternative.prefix, alternative.fuzzy)) {
      const factor = e.kind === 'exact' ? 1 : APPROXIMATE;
      const weight = expansionWeight(alternative, terms[k]!, e) * index.idf(e.term);
      for (let p = start[e.term]!, end = start[e.term + 1]!; p < end; p++) {
        const doc = docs[p]!;
        if (s.phraseCount[doc] !== k) continue;
        const field = fieldTf[p]! >> 8;
        if (s.termBest[doc] === 0) s.termTouched[touched++] = doc;
        const value = factor * place[field]!;
        if (value > s.termBest[doc]!) s.termBest[doc] = value;
        s.phraseScore[doc]! += weight * boost[field]! * index.bm25(p);
      }
    }
    for (let i = 0; i < touched; i++) {
      const doc = s.termTouched[i]!;
      if (k === 0) {
        s.phraseTouched[phraseDocs++] = doc;
        s.phrase[doc] = s.termBest[doc]!;
      } else s.phrase[doc] = Math.min(s.phrase[doc]!, s.termBest[doc]!);
      s.phraseCount[doc] = k + 1;
      s.termBest[doc] = 0;
    }
  }
  let any = false;
  for (let i = 0; i < phraseDocs; i++) {
    const doc = s.phraseTouched[i]!;
    if (s.phraseCount[doc] === terms.length) {
      any = true;
      touch(doc);
      s.score[doc]! += s.phraseScore[doc]!;
      const value = alternative.weight * s.phrase[doc]!;
      if (value > credit[doc]!) credit[doc] = value;
    }
    s.phraseCount[doc] = 0;
    s.phraseScore[doc] = 0;
    s.phrase[doc] = 0;
  }
  return any;
}
