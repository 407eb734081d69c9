import { describe, expect, it } from 'vitest';
import { findColors, colorMatch } from '../../../src/knowledge/query/colors.js';
import { extractMeasures, measureMatches } from '../../../src/knowledge/query/measures.js';
import { parseQuery } from '../../../src/knowledge/query/parse-query.js';
import { extractPriceAndStock } from '../../../src/knowledge/query/price.js';
import { normalizeText, tokenize } from '../../../src/knowledge/text/normalize.js';

const lengths = (text: string): number[] => extractMeasures(normalizeText(text)).measures.map((m) => m.min);

describe('measures', () => {
  it.each([
    ['3 мм', [3]], ['3мм', [3]], ['трехмиллиметровый', [3]], ['толщина 5', [5]], ['80 мкм', [0.08]],
    ['1,26 м', [1260]], ['126 см', [1260]], ['1260 мм', [1260]], ['ширина рулона 1,6', [1600]],
    ['1,37x50 м', [1370, 50000]], ['2050х3050', [2050, 3050]], ['85x200 см', [850, 2000]],
    ['5mm', [5]], ['0,5 см', [5]], ['3050*2050', [3050, 2050]], ['1560x3050', [1560, 3050]],
    ['1,56 x 3,05 м', [1560, 3050]], ['скотч 19мм', [19]], ['лента 1,2 см', [12]], ['1,5 на 4 метра', [1500, 4000]],
    ['1000мм*50м', [1000, 50000]], ['1220мм x 45,7м', [1220, 45700]],
  ])('reads "%s" in millimetres', (text, expected) => {
    expect(lengths(text)).toEqual(expected);
  });

  it('reads densities and volumes, and leaves model numbers and prices alone', () => {
    expect(extractMeasures(normalizeText('баннер 510 г/м2')).measures).toEqual([{ kind: 'density', min: 510, max: 510 }]);
    expect(extractMeasures(normalizeText('чернила 1 л')).measures).toEqual([{ kind: 'volume', min: 1000, max: 1000 }]);
    expect(extractMeasures(normalizeText('oracal 641m до 1,5 млн')).measures).toEqual([]);
  });

  it('reads ranges and limits, and matches offers within 2%', () => {
    const [range] = extractMeasures(normalizeText('пвх от 3 до 5 мм')).measures;
    const [upTo] = extractMeasures(normalizeText('толщиной до 4 мм')).measures;

    expect(range).toMatchObject({ min: 3, max: 5 });
    expect(upTo).toMatchObject({ min: 0, max: 4, hint: 'thickness' });
    expect(measureMatches({ kind: 'length', min: 1260, max: 1260 }, { kind: 'length', min: 1270, max: 1270 })).toBe(true);
    expect(measureMatches({ kind: 'length', min: 3, max: 3 }, { kind: 'length', min: 5, max: 5 })).toBe(false);
  });
});

describe('prices and stock', () => {
  it.each([
    ['пленка до 5000 рублей', { min: 0, max: 5000 }],
    ['дешевле 5 тыс', { min: 0, max: 5000 }],
    ['в пределах 10к', { min: 0, max: 10000 }],
    ['пвх не дороже 3000 за лист', { min: 0, max: 3000 }],
    ['неон дешевле 500 за пог. м', { min: 0, max: 500 }],
    ['пленка от 2 до 3 тыс за рулон', { min: 2000, max: 3000 }],
    ['плоттер от 100 000 до 1,5 млн', { min: 100_000, max: 1_500_000 }],
    ['от 1000 до 3000 ₽', { min: 1000, max: 3000 }],
    ['2-3 тыс', { min: 2000, max: 3000 }],
    ['принтер не дороже 1,5 млн', { min: 0, max: 1_500_000 }],
    ['около 2000 р', { min: 1500, max: 2500 }],
  ])('reads "%s"', (text, price) => {
    expect(extractPriceAndStock(normalizeText(text)).price).toEqual(price);
  });

  it('does not take a model number for a price', () => {
    const { price, rest } = extractPriceAndStock(normalizeText('оракал 641 до 1000 руб'));

    expect(price).toEqual({ min: 0, max: 1000 });
    expect(rest).toContain('641');
  });

  it('recognises "in stock" and "cheap" wishes', () => {
    expect(extractPriceAndStock(normalizeText('есть в наличии?'))).toMatchObject({ inStock: true });
    expect(extractPriceAndStock(normalizeText('что есть на складе'))).toMatchObject({ inStock: true });
    expect(extractPriceAndStock(normalizeText('самый дешевый баннер'))).toMatchObject({ cheap: true });
  });
});

describe('colours', () => {
  it('finds colours in any form, with shade modifiers and typos, but not in lookalike words', () => {
    const stems = (text: string): string[] => findColors(tokenize(text), { typos: true }).colors.map((c) => `${c.modifier ?? ''}${c.stem}`);

    expect(stems('темно-синие пленки')).toEqual(['темнсин']);
    expect(stems('пленка цвета морской волны')).toEqual(['морск волн']);
    expect(stems('белыйй')).toEqual(['бел']);
    expect(stems('чернила для принтера')).toEqual([]);
    expect(stems('серия 641')).toEqual([]);
  });

  it('scores the same colour over a shade of its family over an unrelated colour', () => {
    const [blue] = findColors(tokenize('синий')).colors;
    const offer = (text: string) => findColors(tokenize(text)).colors;

    expect(colorMatch(blue!, offer('синий'))).toBe(1);
    expect(colorMatch(blue!, offer('лазурный'))).toBe(0.8);
    expect(colorMatch(blue!, offer('красный'))).toBe(0);
  });
});

describe('questions', () => {
  it('splits a question into head words, modifiers, colour, size, price and stock', () => {
    const query = parseQuery('Какие у вас есть синие пленки для плоттера шириной 1,26 м до 12000 рублей в наличии?');

    expect(query.words.map((w) => [w.group[0], w.modifier])).toEqual([['пленки', false], ['плоттера', true]]);
    expect(query.colors.map((c) => c.stem)).toEqual(['син']);
    expect(query.measures).toEqual([{ kind: 'length', min: 1260, max: 1260, hint: 'width' }]);
    expect(query).toMatchObject({ price: { min: 0, max: 12000 }, inStock: true, cheap: false });
  });

  it('keeps model codes together with their parts', () => {
    expect(parseQuery('Mimaki CJV150-130').words.map((w) => w.group)).toEqual([['mimaki'], ['cjv150', 'cjv', '150'], ['130']]);
  });
});
