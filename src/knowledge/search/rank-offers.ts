/**
 * Catalog search: the question is split into concepts, colours, measures, a price limit and
 * stock wishes; MiniSearch scores the concepts; offers are then ranked by how much of the
 * question they answer (coverage) before how strongly they match (BM25), so an offer that is
 * blue, a plotter film and 1,26 m wide beats one that only mentions "пленка" many times.
 */
import { colorMatch } from '../query/colors.js';
import { measureMatches } from '../query/measures.js';
import { parseQuery, type ParsedQuery } from '../query/parse-query.js';
import { CATALOG_FIELD_BOOST, CATALOG_FIELD_ROLE, type CatalogIndex, type IndexedOffer } from './catalog-index.js';
import { buildConcepts } from './concepts.js';
import { runConcepts, type ConceptMatch } from './run-concepts.js';
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
  const query = parseQuery(question);
  const concepts = buildConcepts(query.words, index.vocabulary, synonyms);
  const { matches, live } = runConcepts(index.text, concepts, { boost: CATALOG_FIELD_BOOST, roles: CATALOG_FIELD_ROLE });
  const liveCount = live.filter(Boolean).length;
  const isHead = concepts.map((c, i) => live[i]! && !c.modifier);
  const headCount = isHead.filter(Boolean).length;
  const specialCount = (query.colors.length > 0 ? 1 : 0) + query.measures.length;
  const restCount = liveCount - headCount + specialCount;
  const constrained = specialCount > 0 || query.price !== undefined || query.inStock || query.cheap;
  if (liveCount === 0 && !constrained) return [];

  // With words that matched, the candidates are their matches; with only colours, sizes or a
  // price ("что-нибудь синее до 1000 рублей"), every offer is a candidate.
  const candidates: Array<[number, ConceptMatch | undefined]> =
    liveCount > 0 ? [...matches.entries()] : index.offers.map((_, i) => [i, undefined]);
  let maxText = 0;
  for (const [, match] of candidates) if (match && match.score > maxText) maxText = match.score;

  const ranked: RankedOffer[] = [];
  for (const [id, match] of candidates) {
    const indexed = index.offers[id]!;
    let headCredit = 0;
    let restCredit = specialCredit(query, indexed);
    for (let c = 0; match && c < match.credits.length; c++) {
      if (isHead[c]) headCredit += match.credits[c]!;
      else if (live[c]) restCredit += match.credits[c]!;
    }
    const coverage = combineCoverage(headCount ? headCredit / headCount : 1, restCount ? restCredit / restCount : 1);
    const strength = maxText > 0 && match ? match.score / maxText : 1;
    // BM25 only orders offers that answer equally much; a rare synonym must not outweigh coverage.
    const score = coverage * (0.8 + 0.2 * strength) * constraintFactor(query, indexed.offer);
    if (score > 0) ranked.push({ offer: indexed.offer, score, coverage });
  }
  ranked.sort((a, b) => b.score - a.score);
  if (query.cheap) preferCheap(ranked);
  preferSameCategory(ranked);
  return ranked.slice(0, limit);
}

/**
 * How fully an offer answers the question, 0..1. The head ("пленка" in "синяя пленка для
 * плоттера") says what the visitor wants and gates the score; modifiers, colours and sizes refine
 * it. An offer that misses the head still ranks, far below, in case nothing has it.
 */
export function combineCoverage(head: number, rest: number): number {
  return (0.15 + 0.85 * head * head) * (0.4 + 0.6 * rest);
}

/** Credit for the colour (one concept, whichever colour fits best) and each measure. */
function specialCredit(query: ParsedQuery, indexed: IndexedOffer): number {
  let credit = 0;
  let color = 0;
  for (const c of query.colors) color = Math.max(color, colorMatch(c, indexed.colors));
  credit += color;
  for (const measure of query.measures) {
    for (const m of indexed.measures) {
      if (measureMatches(measure, m)) {
        credit += 1;
        break;
      }
    }
  }
  return credit;
}

function constraintFactor(query: ParsedQuery, offer: Offer): number {
  let factor = 1;
  if (query.price) {
    if (offer.price === null) factor *= NO_PRICE_UNDER_LIMIT;
    else if (offer.price < query.price.min || offer.price > query.price.max) factor *= OUT_OF_PRICE;
  }
  if (query.inStock && !offer.available) factor *= OUT_OF_STOCK;
  return factor;
}

/**
 * Breaks ties in coverage in favour of the best offer's category: after "epson s40600" the other
 * Epson printers come before Epson inks, which answer the question just as little.
 */
function preferSameCategory(ranked: RankedOffer[]): void {
  const top = ranked[0];
  if (!top) return;
  const category = top.offer.categoryPath.join('/');
  const bucket = (r: RankedOffer): number => Math.round(r.coverage * 50);
  const same = (r: RankedOffer): number => (r.offer.categoryPath.join('/') === category ? 1 : 0);
  ranked.sort((a, b) => (a === top ? -1 : b === top ? 1 : bucket(b) - bucket(a) || same(b) - same(a) || b.score - a.score));
}

/**
 * "Недорогой", "самый дешевый": among the offers that answer the question about as fully as the
 * best one, the cheaper rank higher.
 */
function preferCheap(ranked: RankedOffer[]): void {
  const best = ranked[0]?.coverage ?? 0;
  const leaders = ranked.filter((r) => r.coverage >= best * 0.8 && r.offer.price !== null);
  const byPrice = [...leaders].sort((a, b) => a.offer.price! - b.offer.price!);
  byPrice.forEach((r, i) => {
    r.score *= 1 - (0.5 * i) / Math.max(1, byPrice.length - 1);
  });
  ranked.sort((a, b) => b.score - a.score);
}
