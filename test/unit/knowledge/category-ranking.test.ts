import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/knowledge/catalog/load-catalog.js';
import { buildCatalogIndex, type CatalogIndex } from '../../../src/knowledge/search/catalog-index.js';
import { categoryText } from '../../../src/knowledge/search/index-document.js';
import { rankOffers } from '../../../src/knowledge/search/rank-offers.js';
import { parseSynonyms } from '../../../src/knowledge/search/synonyms.js';

const offer = (id: string, category: number, name: string, description = ''): string =>
  `<offer id="${id}"><url>https://shop.example/${id}</url><price>100</price><currencyId>RUB</currencyId>` +
  `<categoryId>${category}</categoryId><name>${name}</name><description>${description}</description></offer>`;

const yml = `<?xml version="1.0" encoding="UTF-8"?>
<yml_catalog date="2026-01-01"><shop><name>Shop</name><company>Shop</company><url>https://shop.example</url>
<categories>
  <category id="1">Листовые материалы</category>
  <category id="2" parentId="1">Поликарбонат</category>
  <category id="3" parentId="2">Комплектующие для поликарбоната</category>
  <category id="4">Оборудование</category>
  <category id="5" parentId="4">Плоттеры режущие</category>
  <category id="6" parentId="4">Ламинаторы</category>
  <category id="7">Клейкие ленты</category>
</categories>
<offers>
${offer('pc-profile', 3, 'Профиль торцевой 8 мм', 'Профиль для сотового поликарбоната')}
${offer('pc-cap', 3, 'Заглушка для поликарбоната 10 мм')}
${offer('pc-8', 2, 'Сотовый лист 8 мм прозрачный')}
${offer('pc-4', 2, 'Монолитный лист 4 мм')}
${offer('plotter', 5, 'Graphtec CE7000-60')}
${offer('laminator', 6, 'Рулонный ламинатор 1600')}
${offer('knife', 5, 'Нож для плоттера Graphtec 45°')}
${offer('tape', 7, 'Лента двусторонняя 3M 19 мм')}
</offers></shop></yml_catalog>`;

const synonyms = parseSynonyms(
  `- [скотч, клейкая лента, лента двусторонняя]
- {words: [оборудование, техника], covers: [плоттер, ламинатор]}
- {words: [ламинировать], covers: [ламинатор]}
`,
  'synonyms.yml',
);

let index: CatalogIndex;
beforeAll(async () => {
  index = await buildCatalogIndex(await parseCatalog(yml, 'catalog.yml'));
});
const top = (question: string, n: number): string[] => rankOffers(index, synonyms, question, n).map((r) => r.offer.id);

describe('category-aware ranking', () => {
  it('counts a parent category word as what an offer is only when no deeper level names it as what the offer serves', () => {
    expect(categoryText(['Листовые материалы', 'Поликарбонат'])).toEqual({ head: ['листовые', 'материалы', 'поликарбонат'], tail: [] });
    expect(categoryText(['Листовые материалы', 'Поликарбонат', 'Комплектующие для поликарбоната'])).toEqual({
      head: ['листовые', 'материалы', 'комплектующие'],
      tail: ['поликарбонат', 'для', 'поликарбоната'],
    });
  });

  it('answers a broad question with the core offers of the category it names before accessories for them', () => {
    expect(top('нужен поликарбонат', 2).sort()).toEqual(['pc-4', 'pc-8']);
  });

  it('finds offers of a category named only by its parent, which accessories only mention', () => {
    expect(top('какое оборудование есть', 2).sort()).toEqual(['laminator', 'plotter']);
  });
});

describe('families in synonyms.yml', () => {
  it('lets a word for the whole family find each kind it covers, and not the other way round', () => {
    const family = parseSynonyms('- {words: [техника], covers: [плоттер, ламинатор]}\n', 'synonyms.yml');

    expect(rankOffers(index, family, 'техника', 5).map((r) => r.offer.id)).toEqual(expect.arrayContaining(['plotter', 'laminator']));
    expect(rankOffers(index, family, 'ламинатор', 5).map((r) => r.offer.id)).toEqual(['laminator']);
  });

  it('reads a verb made with a prefix as the trade word it is made of', () => {
    expect(top('чем заламинировать', 1)).toEqual(['laminator']);
  });

  it('finds an everyday word by the trade term it stands for', () => {
    expect(top('какие скотчи есть', 1)).toEqual(['tape']);
  });

  it('refuses a family without both lists, naming its line', () => {
    expect(() => parseSynonyms('- [роллап, roll-up]\n- {words: [техника]}\n', 'synonyms.yml')).toThrow(/synonyms\.yml:2: a family must have/);
  });
});
