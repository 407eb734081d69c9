/**
 * Writes the sample YML catalog deterministically (same output on every run):
 *   tsx scripts/generate-catalog.ts                       → prompts/catalog.yml (a few hundred offers)
 *   tsx scripts/generate-catalog.ts --offers 50000 --out /tmp/big.yml   → a large feed for benchmarks
 * Offers beyond the sample are variants of it (other widths, prices, stock) with their own ids.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BANNERS, CATEGORIES, CUT_FILMS, FILM_COLORS, LAMINATES, PRINT_FILMS, TRANSLUCENT_COLORS, type SampleOffer } from './catalog-families.js';
import { inkOffers, mediaOffers, plasticOffers } from './catalog-equipment.js';
import { displayOffers, laminatorOffers, plotterOffers, printerOffers } from './catalog-machines.js';

const SITE = 'https://www.vink.ru';

/** mulberry32: a tiny seeded generator, so the catalog is the same on every machine. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const comma = (x: number): string => x.toFixed(2).replace('.', ',');

function filmOffers(): SampleOffer[] {
  const out: SampleOffer[] = [];
  for (const film of CUT_FILMS) {
    for (const width of film.widths) {
      for (const [code, color] of FILM_COLORS.slice(0, film.colors)) {
        const finish = film.finish === 'матовая' ? 'M' : 'G';
        out.push({
          id: `${film.vendor}-${film.series}-${finish}-${code}-${Math.round(width * 100)}`.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
          categoryId: 11,
          name: `Пленка ${film.vendor} ${film.series} ${code} ${color} ${film.finish}, ${comma(width)}x50 м`,
          vendor: film.vendor,
          model: film.series,
          basePrice: film.price * width,
          description: `Самоклеящаяся ${film.kind} пленка для плоттерной резки: вывески, оклейка витрин и транспорта. Срок службы ${film.life}.`,
          params: [
            { name: 'Цвет', value: `${code} ${color}` },
            { name: 'Поверхность', value: film.finish },
            { name: 'Ширина рулона', value: comma(width), unit: 'м' },
            { name: 'Длина рулона', value: '50', unit: 'м' },
            { name: 'Толщина', value: String(film.thickness), unit: 'мкм' },
          ],
        });
      }
    }
  }
  for (const i of TRANSLUCENT_COLORS) {
    const [code, color] = FILM_COLORS[i]!;
    out.push({
      id: `oracal-8500-${code}-126`, categoryId: 14, name: `Пленка Oracal 8500 ${code} ${color} транслюцентная, 1,26x50 м`, vendor: 'Oracal', model: '8500', basePrice: 19900,
      description: 'Светорассеивающая пленка для световых коробов и вывесок с внутренней подсветкой.',
      params: [{ name: 'Цвет', value: `${code} ${color}` }, { name: 'Ширина рулона', value: '1,26', unit: 'м' }, { name: 'Толщина', value: '80', unit: 'мкм' }],
    });
  }
  for (const film of PRINT_FILMS) {
    for (const width of film.widths) {
      out.push({
        id: `${film.vendor}-${film.model}-${film.finish === 'матовая' ? 'm' : 'g'}-${Math.round(width * 100)}`.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        categoryId: 12, name: `${film.name} ${film.vendor} ${film.model} белая ${film.finish}, ${film.glue}, ${comma(width)}x50 м`, vendor: film.vendor, model: film.model,
        basePrice: film.price * width, description: 'Белая самоклеящаяся пленка для сольвентной, экосольвентной, латексной и УФ-печати.',
        params: [{ name: 'Поверхность', value: film.finish }, { name: 'Клей', value: film.glue }, { name: 'Ширина рулона', value: comma(width), unit: 'м' }, { name: 'Толщина', value: String(film.thickness), unit: 'мкм' }],
      });
    }
  }
  for (const lam of LAMINATES) {
    for (const width of lam.widths) {
      out.push({
        id: `${lam.vendor}-${lam.model}-${lam.finish === 'матовая' ? 'm' : 'g'}-${Math.round(width * 100)}`.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
        categoryId: 13, name: `Ламинат ${lam.vendor} ${lam.model} прозрачный ${lam.finish}, ${comma(width)}x50 м`, vendor: lam.vendor, model: lam.model,
        basePrice: lam.price * width, description: 'Защитная ламинирующая пленка для отпечатков: защита от УФ и царапин.',
        params: [{ name: 'Поверхность', value: lam.finish }, { name: 'Ширина рулона', value: comma(width), unit: 'м' }],
      });
    }
  }
  for (const b of BANNERS) {
    for (const width of b.widths) {
      out.push({
        id: `${b.id}-${Math.round(width * 10)}`, categoryId: b.categoryId, name: `${b.name}, рулон ${comma(width)}x50 м`, vendor: b.vendor, basePrice: b.price,
        description: `Баннерная ткань ${b.note}. Цена за погонный метр.`,
        params: [{ name: 'Плотность', value: String(b.density), unit: 'г/м²' }, { name: 'Ширина рулона', value: comma(width), unit: 'м' }],
      });
    }
  }
  return out;
}

/** The sample offers, in a stable order. */
export function sampleOffers(): SampleOffer[] {
  return [...filmOffers(), ...mediaOffers(), ...plasticOffers(), ...inkOffers(), ...printerOffers(), ...plotterOffers(), ...laminatorOffers(), ...displayOffers()];
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function offerXml(o: SampleOffer, rnd: () => number, variant: number): string {
  const id = variant === 0 ? o.id : `${o.id}-v${variant}`;
  const price = Math.round((o.basePrice * (0.92 + rnd() * 0.16) * (variant === 0 ? 1 : 0.8 + rnd() * 0.4)) / 10) * 10;
  const available = rnd() < 0.8;
  const params = o.params.map((p) => `      <param name="${escape(p.name)}"${p.unit ? ` unit="${escape(p.unit)}"` : ''}>${escape(p.value)}</param>`);
  return [
    `    <offer id="${escape(id)}" available="${available}">`,
    `      <url>${SITE}/catalog/${escape(id)}/</url>`,
    `      <price>${price}</price>`,
    '      <currencyId>RUB</currencyId>',
    `      <categoryId>${o.categoryId}</categoryId>`,
    `      <vendor>${escape(o.vendor)}</vendor>`,
    ...(o.model ? [`      <model>${escape(o.model)}</model>`] : []),
    `      <name>${escape(variant === 0 ? o.name : `${o.name} (партия ${variant})`)}</name>`,
    `      <description>${escape(o.description)}</description>`,
    ...params,
    '    </offer>',
  ].join('\n');
}

/** The whole YML document with `count` offers (the sample size when undefined). */
export function catalogYml(count?: number): string {
  const sample = sampleOffers();
  const total = count ?? sample.length;
  const rnd = random(20240611);
  const offers: string[] = [];
  for (let i = 0; i < total; i++) offers.push(offerXml(sample[i % sample.length]!, rnd, Math.floor(i / sample.length)));
  const categories = CATEGORIES.map((c) => `      <category id="${c.id}"${c.parentId ? ` parentId="${c.parentId}"` : ''}>${escape(c.name)}</category>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<yml_catalog date="2024-06-11 10:00">',
    '  <shop>',
    '    <name>Винк</name>',
    '    <company>ООО «Винк»</company>',
    `    <url>${SITE}</url>`,
    '    <currencies>',
    '      <currency id="RUB" rate="1"/>',
    '    </currencies>',
    '    <categories>',
    ...categories,
    '    </categories>',
    '    <offers>',
    ...offers,
    '    </offers>',
    '  </shop>',
    '</yml_catalog>',
    '',
  ].join('\n');
}

function main(): void {
  const { values } = parseArgs({ options: { offers: { type: 'string' }, out: { type: 'string' } } });
  const count = values.offers === undefined ? undefined : Number(values.offers);
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new Error(`--offers must be a positive integer, got ${values.offers}`);
  const out = resolve(values.out ?? 'prompts/catalog.yml');
  const yml = catalogYml(count);
  writeFileSync(out, yml);
  console.log(`wrote ${out}: ${count ?? sampleOffers().length} offers, ${(yml.length / 1e6).toFixed(1)} MB`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
