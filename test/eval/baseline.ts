/**
 * The comparison baseline: plain BM25 (MiniSearch defaults) over the same fields, with Russian
 * Snowball stemming and nothing else — no fuzzy matching, synonyms, transliteration, colours,
 * measures or price understanding.
 */
import MiniSearch from 'minisearch';
import snowball from 'snowball-stemmers';
import type { Offer } from '../../src/knowledge/catalog/offer.js';

const russian = snowball.newStemmer('russian');

/** A search function over the offers: the ids of the best `limit` offers for a query. */
export function createBaselineSearch(offers: Offer[]): (query: string, limit: number) => string[] {
  const index = new MiniSearch<{ id: number; name: string; brand: string; category: string; params: string; description: string }>({
    fields: ['name', 'brand', 'category', 'params', 'description'],
    processTerm: (term) => russian.stem(term.toLowerCase().replace(/ё/g, 'е')),
  });
  index.addAll(offers.map((o, id) => ({
    id,
    name: o.name,
    brand: [o.vendor, o.model].filter(Boolean).join(' '),
    category: o.categoryPath.join(' '),
    params: o.params.map((p) => `${p.name} ${p.value}`).join(' '),
    description: o.description,
  })));
  return (query, limit) => index.search(query).slice(0, limit).map((r) => offers[r.id as number]!.id);
}
