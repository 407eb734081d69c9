/**
 * Catalog search: the question is split into concepts, colours, measures, a price limit and
 * stock wishes; MiniSearch scores the concepts; offers are then ranked by how much of the
 * question they answer (coverage) before how strongly they match (BM25), so an offer that is
 * blue, a plotter film and 1,26 m wide beats one that only mentions "пленка" many times.
 */
import { neighbourFamilies, type ColorMention, type Palette } from '../query/colors.js';
import type { Measure } from '../query/measures.js';
import { parseQuery, type ParsedQuery } from '../query/parse-query.js';
import { CATALOG_MATCH_FIELDS, type CatalogIndex } from './catalog-index.js';
import type { OfferStore } from './offer-store.js';
import { buildConcepts } from './concepts.js';
import { matchConcepts } from './match-concepts.js';
import type { Offer } from '../catalog/offer.js';
import type { Synonyms } from './synonyms.js';

/** An offer with its relevance: `score` for ordering, `coverage` (0..1) for "is this an answer". */
export interface RankedOffer {
  offer: Offer;
  score: number;
  coverage: number;
}

/** Offers outside a price limit sink to the bottom rather than vanish: nothing else may fit. */
const OUT_OF_PRICE = 0.02;
const NO_PRICE_UNDER_LIMIT = 0.5;
const OUT_OF_STOCK = 0.25;

/** Ranks the catalog for a question, best first, at most `limit` offers. */
export function rankOffers(index: CatalogIndex, synonyms: Synonyms, question: string, limit: number): RankedOffer[] {
  const query = parseQuery(question, index.palette);
  const concepts = buildConcepts(query.words, index.vocabulary, synonyms);
  const match = matchConcepts(index.text, concepts, CATALOG_MATCH_FIELDS);
  const live = match.live;
  const liveCount = live.filter(Boolean).length;
  const isHead = concepts.map((c, i) => live[i]! && !c.modifier);
  const headCount = isHead.filter(Boolean).length;
  const specialCount = (query.colors.length > 0 ? 1 : 0) + query.measures.length;
  const restCount = liveCount - headCount + specialCount;
  const constrained = specialCount > 0 || query.price !== undefined || query.inStock || query.cheap;
  if (liveCount === 0 && !constrained) return [];

  // With words that matched, the candidates are their matches; with only colours, sizes or a
  // price ("что-нибудь синее до 1000 рублей"), every offer is a candidate.
  const all = liveCount === 0;
  const count = all ? index.offers.size : match.count;
  let maxText = 0;
  for (let i = 0; !all && i < count; i++) maxText = Math.max(maxText, match.score[match.candidates[i]!]!);
  const colors = query.colors.map((c) => queryColor(index.offers, c, index.palette));
  const credits = concepts.map((_, c) => match.credits[c]!);

  const candidates = candidatesOf(index.offers);
  for (let i = 0; i < count; i++) {
    const id = all ? i : match.candidates[i]!;
    let headCredit = 0;
    let restCredit = specialCredit(index.offers, id, colors, query.measures);
    for (let c = 0; !all && c < concepts.length; c++) {
      if (isHead[c]) headCredit += credits[c]![id]!;
      else if (live[c]) restCredit += credits[c]![id]!;
    }
    const coverage = combineCoverage(headCount ? headCredit / headCount : 1, restCount ? restCredit / restCount : 1);
    const strength = maxText > 0 && !all ? match.score[id]! / maxText : 1;
    // BM25 only orders offers that answer equally much; a rare synonym must not outweigh coverage.
    const score = coverage * (0.8 + 0.2 * strength) * constraintFactor(query, index.offers, id);
    if (score > 0) {
      const at = candidates.count++;
      candidates.id[at] = id;
      candidates.score[at] = score;
      candidates.coverage[at] = coverage;
    }
  }
  if (query.cheap) preferCheap(candidates, index.offers);
  return topOffers(candidates, index.offers, limit).map((at) => ({
    offer: index.offers.offer(candidates.id[at]!),
    score: candidates.score[at]!,
    coverage: candidates.coverage[at]!,
  }));
}

/** Offers that answer anything, before they are materialised: `count` entries of each array. */
interface Candidates {
  id: Int32Array;
  score: Float64Array;
  coverage: Float32Array;
  count: number;
}

/**
 * Arrays reused across the searches of one store (a search is synchronous and materialises its
 * results before it returns, so they are never shared): new ones per search were up to 800 KB of
 * garbage each at 50,000 offers, which lingered as RSS between collections.
 */
const reusedCandidates = new WeakMap<OfferStore, Candidates>();

function candidatesOf(store: OfferStore): Candidates {
  let candidates = reusedCandidates.get(store);
  if (!candidates) {
    const n = store.size;
    candidates = { id: new Int32Array(n), score: new Float64Array(n), coverage: new Float32Array(n), count: 0 };
    reusedCandidates.set(store, candidates);
  }
  candidates.count = 0;
  return candidates;
}

/**
 * How fully an offer answers the question, 0..1. The head ("пленка" in "синяя пленка для
 * плоттера") says what the visitor wants and gates the score; modifiers, colours and sizes refine
 * it. An offer that misses the head still ranks, far below, in case nothing has it.
 */
export function combineCoverage(head: number, rest: number): number {
  return (0.15 + 0.85 * head * head) * (0.4 + 0.6 * rest);
}

/** A query colour in a store's terms: its word's id and the bitmasks of its and neighbouring families. */
interface QueryColor {
  word: number;
  modifier: number;
  families: number;
  neighbours: number;
}

function queryColor(store: OfferStore, color: ColorMention, palette: Palette): QueryColor {
  return {
    word: store.colorId(color.stem),
    // -2: any modifier will do; -3: a modifier no offer has (offers without one store -1).
    modifier: color.modifier ? (store.colorId(color.modifier) === -1 ? -3 : store.colorId(color.modifier)) : -2,
    families: store.familyMask(color.families),
    neighbours: store.familyMask(neighbourFamilies(color.families, palette)),
  };
}

/**
 * Credit for the colour (one concept, whichever colour fits best: 1 the same word and modifier,
 * 0.9 the same word, 0.8 a shade of the family, 0.4 a neighbouring family) and each measure.
 */
function specialCredit(store: OfferStore, id: number, colors: QueryColor[], measures: Measure[]): number {
  let credit = 0;
  if (colors.length > 0) {
    const d = store.data;
    let color = 0;
    for (let c = d.colorStart[id]!, end = d.colorStart[id + 1]!; c < end && color < 1; c++) {
      for (const q of colors) {
        if (d.colorStem[c] === q.word) color = Math.max(color, q.modifier === -2 || d.colorModifier[c] === q.modifier ? 1 : 0.9);
        else if (d.colorFamilies[c]! & q.families) color = Math.max(color, 0.8);
        else if (d.colorFamilies[c]! & q.neighbours) color = Math.max(color, 0.4);
      }
    }
    credit += color;
  }
  for (const measure of measures) if (store.hasMeasure(id, measure)) credit += 1;
  return credit;
}

function constraintFactor(query: ParsedQuery, store: OfferStore, id: number): number {
  let factor = 1;
  if (query.price) {
    const price = store.data.price[id]!;
    if (Number.isNaN(price)) factor *= NO_PRICE_UNDER_LIMIT;
    else if (price < query.price.min || price > query.price.max) factor *= OUT_OF_PRICE;
  }
  if (query.inStock && !store.data.available[id]) factor *= OUT_OF_STOCK;
  return factor;
}

/**
 * The best `limit` offers. Ties in coverage are broken in favour of the best offer's category:
 * after "epson s40600" the other Epson printers come before Epson inks, which answer the question
 * just as little. A bounded selection rather than a sort: a broad question matches most of a
 * 50,000-offer catalog.
 */
function topOffers(c: Candidates, store: OfferStore, limit: number): number[] {
  let top = -1;
  for (let i = 0; i < c.count; i++) if (top < 0 || c.score[i]! > c.score[top]!) top = i;
  if (top < 0 || limit <= 0) return [];
  const category = store.data.category[c.id[top]!];
  const bucket = (i: number): number => Math.round(c.coverage[i]! * 50);
  const same = (i: number): number => (store.data.category[c.id[i]!] === category ? 1 : 0);
  const before = (a: number, b: number): boolean =>
    a === top || (b !== top && (bucket(a) - bucket(b) || same(a) - same(b) || c.score[a]! - c.score[b]!) > 0);
  const best: number[] = [];
  for (let r = 0; r < c.count; r++) {
    if (best.length === limit && !before(r, best[limit - 1]!)) continue;
    let at = best.length === limit ? limit - 1 : best.length;
    while (at > 0 && before(r, best[at - 1]!)) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = r;
  }
  return best;
}

/**
 * "Недорогой", "самый дешевый": among the offers that answer the question about as fully as the
 * best one, the cheaper rank higher.
 */
function preferCheap(c: Candidates, store: OfferStore): void {
  let top = 0;
  for (let i = 1; i < c.count; i++) if (c.score[i]! > c.score[top]!) top = i;
  const floor = (c.coverage[top] ?? 0) * 0.8;
  const price = (i: number): number => store.data.price[c.id[i]!]!;
  const leaders: number[] = [];
  for (let i = 0; i < c.count; i++) if (c.coverage[i]! >= floor && !Number.isNaN(price(i))) leaders.push(i);
  const prices = Float64Array.from(leaders, price).sort();
  for (const i of leaders) c.score[i] = c.score[i]! * (1 - (0.5 * lowerBound(prices, price(i))) / Math.max(1, prices.length - 1));
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
