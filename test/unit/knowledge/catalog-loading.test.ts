import { describe, expect, it } from 'vitest';
import { decodeCatalog } from '../../../src/knowledge/catalog/decode.js';
import { parseCatalog } from '../../../src/knowledge/catalog/load-catalog.js';
import { KnowledgeInvalidError } from '../../../src/knowledge/errors.js';
import { catalogYml } from './fixtures.js';

async function problemOf(promise: Promise<unknown>): Promise<KnowledgeInvalidError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(KnowledgeInvalidError);
  return error as KnowledgeInvalidError;
}

describe('YML catalogs', () => {
  it('reads offers with their category path, parameters, price, stock and the shop', async () => {
    const catalog = await parseCatalog(catalogYml(), 'catalog.yml');

    const film = catalog.offers.find((o) => o.id === 'ora-641-051')!;
    expect(catalog.offers).toHaveLength(19);
    expect(catalog.shop).toEqual({ name: 'Винк', company: 'ООО «Винк»', url: 'https://shop.example' });
    expect(film).toMatchObject({ name: 'Пленка Oracal 641 051 синий глянцевая, 1,26x50 м', price: 11160, available: true, vendor: 'Oracal', currency: 'RUB' });
    expect(film.categoryPath).toEqual(['Самоклеящиеся пленки', 'Пленки для плоттерной резки']);
    expect(film.params).toContainEqual({ name: 'Ширина рулона', value: '1,26', unit: 'м' });
  });

  it('treats a missing price as "on request" and a missing available attribute as in stock', async () => {
    const extra = '<offer id="no-price"><url>https://shop.example/x/</url><categoryId>11</categoryId><name>Пленка без цены</name></offer>';

    const offer = (await parseCatalog(catalogYml(extra), 'catalog.yml')).offers.find((o) => o.id === 'no-price')!;

    expect(offer.price).toBeNull();
    expect(offer.available).toBe(true);
  });

  it('builds the name of a vendor.model offer from its type prefix, vendor and model', async () => {
    const extra = '<offer id="vm" type="vendor.model"><url>https://shop.example/vm/</url><typePrefix>Плоттер</typePrefix><vendor>Graphtec</vendor><model>CE7000-130</model></offer>';

    const offer = (await parseCatalog(catalogYml(extra), 'catalog.yml')).offers.find((o) => o.id === 'vm')!;

    expect(offer.name).toBe('Плоттер Graphtec CE7000-130');
  });

  it('decodes entities and strips HTML from descriptions', async () => {
    const extra = '<offer id="html"><url>https://shop.example/h/</url><name>A &amp; B</name><description><![CDATA[<p>Прочная&nbsp;пленка &laquo;люкс&raquo;</p>]]></description></offer>';

    const offer = (await parseCatalog(catalogYml(extra), 'catalog.yml')).offers.find((o) => o.id === 'html')!;

    expect(offer.name).toBe('A & B');
    expect(offer.description).toBe('Прочная пленка «люкс»');
  });

  it('refuses malformed XML, naming the file, the line and the offer', async () => {
    const broken = catalogYml().replace('<name>Баннер литой 510 г/м², рулон 3,20x50 м</name>', '<name>Баннер литой</nam>');
    const line = broken.split('\n').findIndex((l) => l.includes('</nam>')) + 1;

    const problem = await problemOf(parseCatalog(broken, 'catalog.yml'));

    expect(problem.message).toMatch(new RegExp(`^catalog\\.yml:${line}: offer "banner-510": malformed XML`));
    expect(problem).toMatchObject({ code: 'knowledge.invalid', file: 'catalog.yml', line, offerId: 'banner-510' });
  });

  it('refuses an offer whose price is not a number', async () => {
    const broken = catalogYml().replace('<price>210</price>', '<price>двести</price>');

    const problem = await problemOf(parseCatalog(broken, 'catalog.yml'));

    expect(problem.offerId).toBe('banner-510');
    expect(problem.message).toContain('price "двести" is not a non-negative number');
  });

  it('refuses an offer without a URL and duplicate offer ids', async () => {
    const noUrl = catalogYml('<offer id="x"><name>Без ссылки</name></offer>');
    const duplicate = catalogYml('<offer id="pvc-3"><url>https://shop.example/d/</url><name>Дубль</name></offer>');

    expect((await problemOf(parseCatalog(noUrl, 'catalog.yml'))).message).toContain('url is missing');
    expect((await problemOf(parseCatalog(duplicate, 'catalog.yml'))).message).toMatch(/offer "pvc-3": duplicate offer id \(first at line \d+\)/);
  });

  it('refuses a catalog with no offers', async () => {
    const empty = catalogYml().replace(/<offers>[\s\S]*<\/offers>/, '<offers></offers>');

    expect((await problemOf(parseCatalog(empty, 'catalog.yml'))).message).toBe('catalog.yml: the catalog has no offers');
  });

  it('reads a windows-1251 feed as declared in its XML header', () => {
    const text = '<?xml version="1.0" encoding="windows-1251"?><x>Пленка</x>';
    const bytes = Uint8Array.from([...text].map((ch) => (ch >= 'А' && ch <= 'я' ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0))));

    expect(decodeCatalog(bytes)).toBe(text);
  });
});

describe('CSV catalogs', () => {
  const csv = [
    'id;Название;Ссылка;Цена;Категория;Бренд;Наличие;Толщина, мм;Цвет',
    'pvc-3;Вспененный ПВХ 3 мм;https://shop.example/pvc-3/;1 900;Пластики / ПВХ;Unext;да;3;белый',
    'pvc-5;Вспененный ПВХ 5 мм;https://shop.example/pvc-5/;2700,50;Пластики / ПВХ;Unext;нет;5;белый',
  ].join('\n');

  it('reads Russian headers, a semicolon delimiter, category paths and parameter columns with units', async () => {
    const catalog = await parseCatalog(csv, 'catalog.csv');

    expect(catalog.offers.map((o) => [o.id, o.price, o.available])).toEqual([['pvc-3', 1900, true], ['pvc-5', 2700.5, false]]);
    expect(catalog.offers[0]!.categoryPath).toEqual(['Пластики', 'ПВХ']);
    expect(catalog.offers[0]!.vendor).toBe('Unext');
    expect(catalog.offers[0]!.params).toEqual([{ name: 'Толщина', value: '3', unit: 'мм' }, { name: 'Цвет', value: 'белый' }]);
  });

  it('refuses a row with the wrong number of columns, naming its line', async () => {
    const broken = `${csv}\npvc-8;ПВХ 8 мм;https://shop.example/pvc-8/`;

    const problem = await problemOf(parseCatalog(broken, 'catalog.csv'));

    expect(problem.message).toMatch(/^catalog\.csv:4: malformed CSV/);
  });

  it('refuses a row with an invalid availability, naming the line and the offer', async () => {
    const broken = csv.replace(';да;', ';может быть;');

    const problem = await problemOf(parseCatalog(broken, 'catalog.csv'));

    expect(problem).toMatchObject({ line: 2, offerId: 'pvc-3' });
    expect(problem.message).toContain('available "может быть" is not true or false');
  });
});
