import { describe, expect, it } from 'vitest';
import { KnowledgeInvalidError } from '../../../src/knowledge/errors.js';
import { parseColors } from '../../../src/knowledge/folder/colors.js';
import { indexCatalog } from '../../../src/knowledge/search/index-catalog.js';
import { CatalogThread } from '../../../src/knowledge/search/catalog-thread.js';
import { LocalCatalog, type SearchableCatalog } from '../../../src/knowledge/search/searchable-catalog.js';
import { buildSynonyms } from '../../../src/knowledge/search/synonyms.js';
import { catalogYml } from './fixtures.js';

const synonyms = buildSynonyms([['оргстекло', 'акриловое стекло', 'плекс'], ['термопленка', 'флекс']]);
const extra = `
<offer id="opal-3"><url>https://shop.example/opal-3</url><price>5590</price><currencyId>RUB</currencyId><categoryId>42</categoryId><name>Оргстекло опал 3 мм 2050x3050</name></offer>
<offer id="lam-m"><url>https://shop.example/lam-m</url><price>7700</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Oraguard 210 M ламинирующая пленка матовая</name></offer>
<offer id="perf"><url>https://shop.example/perf</url><price>21800</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Перфорированная пленка One Way Vision 1,37x50 м</name></offer>`;
const source = { name: 'catalog.yml', text: catalogYml(extra) };
const ids = async (index: SearchableCatalog, q: string, n = 3): Promise<string[]> => (await index.rank(synonyms, q, n)).map((r) => r.offer.id);

describe('catalog indexing', () => {
  it('builds and searches in the catalog thread as on the main thread', async () => {
    const failures: unknown[] = [];
    const inWorker = await indexCatalog([source], { worker: true, searchThreadFromBytes: 0, onWorkerFailure: (e) => failures.push(e) });
    const inThread = await indexCatalog([source], { worker: false });
    try {
      expect(failures).toEqual([]);
      expect(inWorker).toBeInstanceOf(CatalogThread);
      expect(inWorker.size).toBe(inThread.size);
      expect(inWorker.shop).toEqual(inThread.shop);
      for (const q of ['синяя пленка oracal', 'пвх 3 мм', 'баннер до 200 рублей', 'оракал 641 красный', 'плекс 3 мм']) {
        const ranked = await inWorker.rank(synonyms, q, 5);
        expect(ranked.length).toBeGreaterThan(0);
        expect(ranked).toEqual(await inThread.rank(synonyms, q, 5));
      }
    } finally {
      inWorker.close();
    }
  });

  it('searches a small catalog indexed in a worker on this thread, as a thread would not pay its way', async () => {
    const small = await indexCatalog([source], { worker: true });
    const threaded = await indexCatalog([source], { worker: true, searchThreadFromBytes: source.text.length });
    try {
      expect(small).toBeInstanceOf(LocalCatalog);
      expect(threaded).toBeInstanceOf(CatalogThread);
      expect(await small.rank(synonyms, 'пвх 3 мм', 5)).toEqual(await threaded.rank(synonyms, 'пвх 3 мм', 5));
    } finally {
      threaded.close();
    }
  });

  it('searches the thread with the synonyms each search names, more lists than the thread keeps included', async () => {
    const catalog = await indexCatalog([source], { worker: true, searchThreadFromBytes: 0 });
    const local = await indexCatalog([source], { worker: false });
    // "плекс" finds acrylic only through the synonym group; six lists, three of them with it.
    const lists = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? synonyms : buildSynonyms([[`слово${i}`, `другое${i}`]])));
    try {
      for (let round = 0; round < 2; round++) {
        const answers = await Promise.all(lists.map((list) => catalog.rank(list, 'плекс', 3)));
        const expected = await Promise.all(lists.map((list) => local.rank(list, 'плекс', 3)));
        expect(answers).toEqual(expected);
        expect(answers.map((ranked) => ranked.some((r) => r.offer.id === 'acryl-3'))).toEqual([true, false, true, false, true, false]);
      }
    } finally {
      catalog.close();
    }
  });

  it('answers the searches asked before it was closed, and for a grace after it, as a reply composed before a reload may ask', async () => {
    const catalog = await indexCatalog([source], { worker: true, searchThreadFromBytes: 0 });
    const asked = ['пвх 3 мм', 'синяя пленка oracal', 'баннер'].map((q) => catalog.rank(synonyms, q, 3));

    catalog.close();

    for (const answer of await Promise.all(asked)) expect(answer.length).toBeGreaterThan(0);
    expect((await catalog.rank(synonyms, 'пвх 3 мм', 3)).length).toBeGreaterThan(0);
  });

  it('reports an invalid catalog found in the worker with its file, line and offer', async () => {
    const broken = { name: 'catalog.yml', text: catalogYml('<offer id="bad"><url>not a url</url><price>1</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>x</name></offer>') };

    const error = await indexCatalog([broken], { worker: true }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KnowledgeInvalidError);
    expect(error).toMatchObject({ file: 'catalog.yml', offerId: 'bad', line: expect.any(Number) });
  });

  it('meets a colloquial or verb form of a trade word by its known beginning', async () => {
    const index = await indexCatalog([source], { worker: false });

    expect(await ids(index, 'ламинашка матовая', 1)).toEqual(['lam-m']);
    expect(await ids(index, 'перфорка на стекло', 1)).toEqual(['perf']);
  });

  it('prefers a synonym spelled as typed over one a typo away, and knows a material\'s colour word', async () => {
    const index = await indexCatalog([source], { worker: false });

    expect(await ids(index, 'плекс 3 мм', 2)).toEqual(expect.arrayContaining(['acryl-3']));
    expect(await ids(index, 'белое оргстекло 3 мм', 1)).toEqual(['opal-3']);
  });
});

describe('colour file', () => {
  it('reads offers and questions with the managers\' colour words', async () => {
    const spec = parseColors('families:\n  red: [красный, кардинал]\n  blue: [синий]\nneighbours: []\n', 'colors.yml');
    const named = { name: 'catalog.yml', text: catalogYml('<offer id="card"><url>https://shop.example/card</url><price>900</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Пленка Oracal 641 кардинал</name></offer>') };

    const withWord = await indexCatalog([named], { worker: true, searchThreadFromBytes: 0, palette: spec });
    const withoutWord = await indexCatalog([named], { worker: false });

    try {
      expect(await ids(withWord, 'красная пленка oracal', 3)).toContain('card');
      expect(await ids(withoutWord, 'красная пленка oracal', 3)).not.toContain('card');
    } finally {
      withWord.close();
    }
  });

  it('refuses a colour file with a family that is not a list of words, naming the line', () => {
    expect(() => parseColors('families:\n  red: красный\n', 'colors.yml')).toThrow(KnowledgeInvalidError);
    expect(() => parseColors('families:\n  red: [красный]\nneighbours:\n  - [red, pink]\n', 'colors.yml')).toThrow(/two families listed above/);
  });
});
