/**
 * Runs concepts against a MiniSearch index: MiniSearch does the matching and BM25 scoring of
 * every alternative (exact, prefix, fuzzy) in one query; this module then records, per document,
 * how well each concept was met, which is what lets a ranking prefer documents that answer the
 * whole question.
 */
import type MiniSearch from 'minisearch';
import type { Query, SearchResult } from 'minisearch';
import { withinEdits } from '../text/edit.js';
import type { Alternative, Concept } from './concepts.js';

/** Per document: its BM25 score and the credit (0..1) of each concept, by concept index. */
export interface ConceptMatch {
  score: number;
  credits: number[];
}

/** What a match in a field says: the document is the thing (`head`), is for it (`tail`), or mentions it. */
export type FieldRole = 'head' | 'tail' | 'mention';

/** How fields are weighted and what a match in each says. */
export interface ConceptSearchOptions {
  /** Field boosts for BM25. */
  boost: Record<string, number>;
  /** The role of each field; unlisted fields count as mentions. */
  roles: Readonly<Record<string, FieldRole>>;
}

/**
 * Credit of a match by the field it is in, for a concept from the question's head ("пленка" in
 * "пленка для плоттера") and from its modifier ("плоттер"): the head must name what the offer
 * is, a modifier may be met anywhere but in passing mentions.
 */
const ROLE_CREDIT: Record<'head' | 'modifier', Record<FieldRole, number>> = {
  head: { head: 1, tail: 0.5, mention: 0.35 },
  modifier: { head: 1, tail: 1, mention: 0.5 },
};

const identity = (term: string): string => term;
const splitSpaces = (text: string): string[] => text.split(' ');

function termQuery(term: string, alternative: Alternative): Query {
  const weight = alternative.weight;
  return { queries: [term], fuzzy: alternative.fuzzy, prefix: alternative.prefix, boostTerm: () => weight };
}

/** One MiniSearch query for all concepts; an alternative already asked for is not asked twice. */
function buildQuery(concepts: Concept[]): Query {
  const seen = new Set<string>();
  const queries: Query[] = [];
  for (const concept of concepts) {
    for (const alternative of concept.alternatives) {
      const key = `${alternative.terms.join(' ')}|${alternative.fuzzy}|${alternative.prefix}`;
      if (seen.has(key)) continue;
      seen.add(key);
      queries.push(alternative.terms.length === 1
        ? termQuery(alternative.terms[0]!, alternative)
        : { combineWith: 'AND', queries: alternative.terms.map((t) => termQuery(t, alternative)) });
    }
  }
  return { combineWith: 'OR', queries };
}

function bestCredit(fields: string[] | undefined, credits: Record<FieldRole, number>, roles: Readonly<Record<string, FieldRole>>): number {
  let best = 0;
  for (const field of fields ?? []) {
    const credit = credits[roles[field] ?? 'mention'];
    if (credit > best) best = credit;
  }
  return best;
}

/**
 * The fields where a query term matched by prefix or typo was found: those of the document's
 * terms that no query term matched exactly and that the term could have produced.
 */
function approximateFields(term: string, alternative: Alternative, result: SearchResult): string[] {
  const fields: string[] = [];
  for (const [docTerm, docFields] of Object.entries(result.match)) {
    if (result.queryTerms.includes(docTerm)) continue;
    if ((alternative.prefix && docTerm.startsWith(term)) || (alternative.fuzzy > 0 && withinEdits(term, docTerm, alternative.fuzzy))) fields.push(...docFields);
  }
  return fields;
}

/** The credit of one concept in one result: its best alternative that the result satisfies. */
function conceptCredit(concept: Concept, result: SearchResult, roles: Readonly<Record<string, FieldRole>>): number {
  const credits = ROLE_CREDIT[concept.modifier ? 'modifier' : 'head'];
  let best = 0;
  for (const alternative of concept.alternatives) {
    let exact = true;
    // A phrase is only as present as its least present word ("самоклеящаяся" in a description
    // and "пленка" in the name is not a self-adhesive film by name).
    let place = 1;
    for (const term of alternative.terms) {
      if (!result.queryTerms.includes(term)) {
        place = 0;
        break;
      }
      let fields = result.match[term];
      if (!fields) {
        exact = false;
        fields = approximateFields(term, alternative, result);
      }
      place = Math.min(place, bestCredit(fields, credits, roles));
    }
    const credit = alternative.weight * (exact ? 1 : 0.75) * place;
    if (credit > best) best = credit;
  }
  return best;
}

/**
 * Matches of every concept, by document id, and which concepts matched anything at all: a
 * concept no document has (a word the catalog never uses) should not count against any of them.
 */
export function runConcepts(
  index: MiniSearch,
  concepts: Concept[],
  options: ConceptSearchOptions,
): { matches: Map<number, ConceptMatch>; live: boolean[] } {
  const matches = new Map<number, ConceptMatch>();
  const live = concepts.map(() => false);
  if (concepts.length === 0) return { matches, live };
  const results = index.search(buildQuery(concepts), { tokenize: splitSpaces, processTerm: identity, boost: options.boost, weights: { fuzzy: 0.55, prefix: 0.7 } });
  for (const result of results) {
    const credits = new Array<number>(concepts.length);
    for (let c = 0; c < concepts.length; c++) {
      credits[c] = conceptCredit(concepts[c]!, result, options.roles);
      if (credits[c]! > 0) live[c] = true;
    }
    matches.set(result.id as number, { score: result.score, credits });
  }
  return { matches, live };
}
