import { describe, expect, it } from 'vitest';
import { KnowledgeInvalidError } from '../../../src/knowledge/errors.js';
import { parseColors } from '../../../src/knowledge/folder/colors.js';
import { indexCatalog } from '../../../src/knowledge/search/index-catalog.js';
import { rankOffers } from '../../../src/knowledge/search/rank-offers.js';
import { buildSynonyms } from '../../../src/knowledge/search/synonyms.js';
import { catalogYml } from './fixtures.js';

const synonyms = buildSynonyms([['оргстекло', 'акриловое стекло', 'плекс'], ['термопленка', 'флекс']]);
const extra = `
<offer id="opal-3"><url>https://shop.example/opal-3</url><price>5590</price><currencyId>RUB</currencyId><categoryId>42</categoryId><name>Оргстекло опал 3 мм 2050x3050</name></offer>
<offer id="lam-m"><url>https://shop.example/lam-m</url><price>7700</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Oraguard 210 M ламинирующая пленка матовая</name></offer>
<offer id="perf"><url>https://shop.example/perf</url><price>21800</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Перфорированная пленка One Way Vision 1,37x50 м</name></offer>`;
const source = { name: 'catalog.yml', text: catalogYml(extra) };
const ids = (index: Awaited<ReturnType<typeof indexCatalog>>, q: string, n = 3): string[] => rankOffers(index, synonyms, q, n).map((r) => r.offer.id);

describe('catalog indexing', () => {
  it('builds in a worker thread the same index as on the main thread', async () => {
    const failures: unknown[] = [];
    const inWorker = await indexCatalog([source], { worker: true, onWorkerFailure: (e) => failures.push(e) });
    const inThread = await indexCatalog([source], { worker: false });

    expect(failures).toEqual([]);
    expect(inWorker.offers.size).toBe(inThread.offers.size);
    for (const q of ['синяя пленка oracal', 'пвх 3 мм', 'баннер до 200 рублей', 'оракал 641 красный']) {
      expect(rankOffers(inWorker, synonyms, q, 5)).toEqual(rankOffers(inThread, synonyms, q, 5));
    }
    expect(inWorker.offers.offer(0)).toEqual(inThread.offers.offer(0));
  });

  it('reports an invalid catalog found in the worker with its file, line and offer', async () => {
    const broken = { name: 'catalog.yml', text: catalogYml('<offer id="bad"><url>not a url</url><price>1</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>x</name></offer>') };

    const error = await indexCatalog([broken], { worker: true }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KnowledgeInvalidError);
    expect(error).toMatchObject({ file: 'catalog.yml', offerId: 'bad', line: expect.any(Number) });
  });

  it('meets a colloquial or verb form of a trade word by its known beginning', async () => {
    const index = await indexCatalog([source], { worker: false });

    expect(ids(index, 'ламинашка матовая', 1)).toEqual(['lam-m']);
    expect(ids(index, 'перфорка на стекло', 1)).toEqual(['perf']);
  });

  it('prefers a synonym spelled as typed over one a typo away, and knows a material\'s colour word', async () => {
    const index = await indexCatalog([source], { worker: false });

    expect(ids(index, 'плекс 3 мм', 2)).toEqual(expect.arrayContaining(['acryl-3']));
    expect(ids(index, 'белое оргстекло 3 мм', 1)).toEqual(['opal-3']);
  });
});

describe('colour file', () => {
  it('reads offers and questions with the managers\' colour words', async () => {
    const spec = parseColors('families:\n  red: [красный, кардинал]\n  blue: [синий]\nneighbours: []\n', 'colors.yml');
    const named = { name: 'catalog.yml', text: catalogYml('<offer id="card"><url>https://shop.example/card</url><price>900</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Пленка Oracal 641 кардинал</name></offer>') };

    const withWord = await indexCatalog([named], { worker: true, palette: spec });
    const withoutWord = await indexCatalog([named], { worker: false });

    expect(ids(withWord, 'красная пленка oracal', 3)).toContain('card');
    expect(ids(withoutWord, 'красная пленка oracal', 3)).not.toContain('card');
  });

  it('refuses a colour file with a family that is not a list of words, naming the line', () => {
    expect(() => parseColors('families:\n  red: красный\n', 'colors.yml')).toThrow(KnowledgeInvalidError);
    expect(() => parseColors('families:\n  red: [красный]\nneighbours:\n  - [red, pink]\n', 'colors.yml')).toThrow(/two families listed above/);
  });
});
