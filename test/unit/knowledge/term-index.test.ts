import { describe, expect, it } from 'vitest';
import { TermIndex, TermIndexBuilder } from '../../../src/knowledge/search/term-index.js';

function indexOf(documents: string[][][]): TermIndex {
  const builder = new TermIndexBuilder(2);
  for (const fields of documents) builder.add(fields);
  return new TermIndex(builder.finish());
}

describe('term index', () => {
  const index = indexOf([
    [['пленк', 'oracal'], ['синяя']],
    [['баннер'], ['пленк']],
    [['пленочн'], []],
  ]);
  const termsOf = (term: string, prefix: boolean, fuzzy: number): string[] =>
    index.expand(term, prefix, fuzzy).map((e) => `${e.kind}:${index.terms[e.term]}`).sort();

  it('keeps each term\'s postings in document order, with the field of each', () => {
    const id = index.id('пленк')!;
    const postings = [];
    for (let p = index.start[id]!; p < index.start[id + 1]!; p++) postings.push([index.docs[p], index.fieldTf[p]! >> 8]);

    expect(postings).toEqual([[0, 0], [1, 1]]);
    expect(index.documentFrequency('пленк')).toBe(2);
    expect(index.documentFrequency('холодильник')).toBe(0);
  });

  it('expands a query term to itself, the longer terms it begins and terms a typo away', () => {
    expect(termsOf('пленк', true, 0)).toEqual(['exact:пленк']);
    expect(termsOf('плен', true, 0)).toEqual(['prefix:пленк', 'prefix:пленочн']);
    expect(termsOf('банер', false, 1)).toEqual(['fuzzy:баннер']);
    expect(termsOf('oracall', false, 1)).toEqual(['fuzzy:oracal']);
    expect(index.hasPrefix('бан')).toBe(true);
    expect(index.hasPrefix('бот')).toBe(false);
  });
});
