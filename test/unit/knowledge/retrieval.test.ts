import { beforeAll, describe, expect, it } from 'vitest';
import { rankOffers } from '../../../src/knowledge/search/rank-offers.js';
import { LocalCatalog } from '../../../src/knowledge/search/searchable-catalog.js';
import type { KnowledgeSnapshot } from '../../../src/knowledge/snapshot.js';
import { fixtureSnapshot } from './fixtures.js';

let snapshot: KnowledgeSnapshot;
beforeAll(async () => {
  snapshot = await fixtureSnapshot();
});

// The fixture's catalog is indexed on this thread, so the ranking can be read synchronously.
const index = () => {
  if (!(snapshot.catalog instanceof LocalCatalog)) throw new Error('the fixture snapshot should search on this thread');
  return snapshot.catalog.index;
};
const top = (question: string, n = 3): string[] => rankOffers(index(), snapshot.synonyms, question, n).map((r) => r.offer.id);

describe('catalog retrieval', () => {
  it('understands Russian word forms (morphology)', () => {
    expect(top('режущими плоттерами', 2).sort()).toEqual(['graphtec-ce7000-60', 'summa-d120']);
    expect(top('литым баннером', 1)).toEqual(['banner-510']);
  });

  it('forgives typos', () => {
    expect(top('плотер режущий', 2).sort()).toEqual(['graphtec-ce7000-60', 'summa-d120']);
    expect(top('оргстикло', 1)).toEqual(['acryl-3']);
  });

  it('uses the synonyms file for jargon', () => {
    expect(top('роллап', 2).sort()).toEqual(['rollup-eco', 'rollup-premium']);
    expect(top('поливинилхлорид 5 мм', 1)).toEqual(['pvc-5']);
    expect(top('самоклейка белая', 1)).toEqual(['ora-641-010']);
  });

  it('ranks the asked colour first, then its shades, and the head noun over modifiers', () => {
    const ranked = top('синие пленки для плоттера', 4);

    expect(ranked.slice(0, 2).sort()).toEqual(['ora-641-050', 'ora-641-051']);
    expect(ranked[2]).toBe('ora-641-053');
    expect(top('плоттер для резки пленки', 2).sort()).toEqual(['graphtec-ce7000-60', 'summa-d120']);
  });

  it('matches sizes and thicknesses in any unit', () => {
    expect(top('пвх 5мм', 1)).toEqual(['pvc-5']);
    expect(top('оракал шириной 100 см', 1)).toEqual(['ora-641-053']);
    expect(top('баннер 510 грамм', 1)).toEqual(['banner-510']);
  });

  it('finds brands and models, whole or in parts', () => {
    expect(top('Mimaki CJV150', 1)).toEqual(['mimaki-cjv150-130']);
    expect(top('graphtec ce7000', 1)).toEqual(['graphtec-ce7000-60']);
  });

  it('finds brands written in Russian letters (transliteration)', () => {
    expect(top('оракал 641 красный', 2).sort()).toEqual(['ora-641-031', 'ora-641-031-b']);
    expect(top('эйвери черная', 1)).toEqual(['avery-500-070']);
    expect(top('графтек', 1)).toEqual(['graphtec-ce7000-60']);
  });

  it('keeps to a price limit', () => {
    expect(top('роллап до 5000 рублей', 1)).toEqual(['rollup-eco']);
    expect(top('режущий плоттер до 300 тысяч', 1)).toEqual(['graphtec-ce7000-60']);
  });

  it('puts what is in stock first when asked', () => {
    expect(top('оракал 641 красный в наличии', 1)).toEqual(['ora-641-031-b']);
  });

  it('returns nothing for a question about nothing in the catalog', () => {
    expect(top('здравствуйте')).toEqual([]);
  });
});
