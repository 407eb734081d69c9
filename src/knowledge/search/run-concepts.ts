/**
 * Runs concepts against a MiniSearch index: MiniSearch does the matching and BM25 scoring of
 * every alternative (exact, prefix, fuzzy); this module records, per document, how well each
 * concept was met, which is what lets a ranking prefer documents that answer the whole question.
 */
import type MiniSearch from 'minisearch';
import type { Concept } from './concepts.js';

/** Per document: the best BM25 score and the credit (0..1) of each concept, by concept index. */
export interface ConceptMatch {
  scores: number[];
  credits: number[];
}

/** What a match in a field says: the document is the thing (`head`), is for it (`tail`), or mentions it. */
export type FieldRole = 'head' | 'tail' | 'mention';

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
  concepts.forEach((concept, c) => {
    for (const alternative of concept.alternatives) {
      const results = index.search(alternative.terms.join(' '), {
        tokenize: splitSpaces,
        processTerm: identity,
        combineWith: 'AND',
        fuzzy: alternative.fuzzy,
        prefix: alternative.prefix,
        boost: options.boost,
        weights: { fuzzy: 0.55, prefix: 0.7 },
      });
      for (const result of results) {
        live[c] = true;
        const exact = alternative.terms.every((t) => t in result.match);
        const credits = ROLE_CREDIT[concept.modifier ? 'modifier' : 'head'];
        const best = (fields: string[]): number => Math.max(0, ...fields.map((f) => credits[options.roles[f] ?? 'mention']));
        const anywhere = best(Object.values(result.match).flat());
        // A phrase is only as present as its least present word ("самоклеящаяся" in a description
        // and "пленка" in the name is not a self-adhesive film by name).
        const place = Math.min(...alternative.terms.map((t) => (result.match[t] ? best(result.match[t]) : anywhere)));
        const credit = alternative.weight * (exact ? 1 : 0.75) * place;
        const score = alternative.weight * result.score;
        let match = matches.get(result.id as number);
        if (!match) {
          match = { scores: new Array<number>(concepts.length).fill(0), credits: new Array<number>(concepts.length).fill(0) };
          matches.set(result.id as number, match);
        }
        if (score > match.scores[c]!) match.scores[c] = score;
        if (credit > match.credits[c]!) match.credits[c] = credit;
      }
    }
  });
  return { matches, live };
}
