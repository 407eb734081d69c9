import { describe, expect, it } from 'vitest';
import { readOfferXml } from '../../../src/knowledge/catalog/read-offer-xml.js';

describe('reading one YML offer element', () => {
  it('reads attributes, the first of each child, params with units, CDATA, entities and markup in text', () => {
    const xml = `<offer id="a&amp;b" available='false'>
      <!-- a comment -->
      <name>Плёнка &quot;Oracal&quot; &#8470;1</name>
      <name>second name is ignored</name>
      <picture/>
      <description><![CDATA[<p>Для <b>резки</b> & печати</p>]]></description>
      <sales_notes>от <b>10</b> м</sales_notes>
      <param name="Ширина" unit="м">1,26</param>
      <param name="Цвет">белый</param>
    </offer>`;

    const offer = readOfferXml(xml);

    expect(offer.attributes).toEqual({ id: 'a&b', available: 'false' });
    expect(offer.children.name).toBe('Плёнка "Oracal" №1');
    expect(offer.children.picture).toBe('');
    expect(offer.children.description).toBe('<p>Для <b>резки</b> & печати</p>');
    expect(offer.children.sales_notes).toBe('от  10  м');
    expect(offer.params).toEqual([{ name: 'Ширина', unit: 'м', value: '1,26' }, { name: 'Цвет', unit: undefined, value: 'белый' }]);
  });
});
