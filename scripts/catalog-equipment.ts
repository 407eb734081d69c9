/**
 * Sample-catalog families beyond films and banners: printing media, sheet plastics, inks,
 * printers, plotters, laminators and display systems, already as offers.
 */
import type { SampleOffer, SampleParam } from './catalog-families.js';

function offer(id: string, categoryId: number, name: string, vendor: string, basePrice: number, description: string, params: SampleParam[], model?: string): SampleOffer {
  return { id, categoryId, name, vendor, model, basePrice, description, params };
}

const mm = (name: string, value: number): SampleParam => ({ name, value: String(value).replace('.', ','), unit: 'мм' });
const m = (name: string, value: number): SampleParam => ({ name, value: String(value).replace('.', ','), unit: 'м' });
const p = (name: string, value: string, unit?: string): SampleParam => ({ name, value, unit });
const w = (x: number): string => x.toFixed(2).replace('.', ',');

export function mediaOffers(): SampleOffer[] {
  const out: SampleOffer[] = [];
  for (const width of [1.067, 1.27, 1.6]) {
    out.push(offer(`blueback-120-${Math.round(width * 100)}`, 31, `Бумага Blueback 120 г/м², рулон ${w(width)}x150 м`, 'Vink Media', 3900 * width, 'Постерная бумага с синей подложкой для сольвентной и экосольвентной печати: билборды, сити-форматы.', [p('Плотность', '120', 'г/м²'), m('Ширина рулона', width), m('Длина рулона', 150)]));
    out.push(offer(`photo-200-${Math.round(width * 100)}`, 31, `Фотобумага глянцевая 200 г/м², рулон ${w(width)}x30 м`, 'Vink Media', 4200 * width, 'Фотобумага для интерьерной печати водными и экосольвентными чернилами.', [p('Плотность', '200', 'г/м²'), m('Ширина рулона', width), m('Длина рулона', 30), p('Поверхность', 'глянцевая')]));
  }
  for (const width of [1.6, 3.2]) {
    out.push(offer(`samba-${width * 10}`, 32, `Ткань Самба 190 г/м², рулон ${w(width)}x50 м`, 'Vink Textile', 14500 * width, 'Транслюцентный полиэстер для печати изображений в лайтбоксах с внутренней подсветкой.', [p('Плотность', '190', 'г/м²'), m('Ширина рулона', width), p('Материал', 'полиэстер')]));
    out.push(offer(`flag-110-${width * 10}`, 32, `Флаговая ткань 110 г/м², рулон ${w(width)}x100 м`, 'Vink Textile', 12800 * width, 'Тонкая флаговая ткань для сублимационной печати флагов и вымпелов.', [p('Плотность', '110', 'г/м²'), m('Ширина рулона', width), p('Материал', 'полиэстер')]));
  }
  out.push(offer('canvas-340-110', 32, 'Холст для печати Canvas 340 г/м², рулон 1,10x30 м', 'Vink Textile', 11900, 'Художественный холст для интерьерной печати картин и репродукций.', [p('Плотность', '340', 'г/м²'), m('Ширина рулона', 1.1)]));
  return out;
}

export function plasticOffers(): SampleOffer[] {
  const out: SampleOffer[] = [];
  for (const t of [1, 2, 3, 4, 5, 6, 8, 10]) {
    out.push(offer(`unext-strong-${t}`, 41, `Вспененный ПВХ Unext Strong ${t} мм, белый, 2050x3050 мм`, 'Unext', 650 + t * 420, 'Листовой вспененный ПВХ для вывесок, табличек, стендов и основ под аппликацию.', [mm('Толщина', t), p('Цвет', 'белый'), p('Размер листа', '2050x3050', 'мм')]));
  }
  for (const t of [3, 5]) out.push(offer(`palfoam-${t}`, 41, `Вспененный ПВХ Palfoam ${t} мм, белый, 1560x3050 мм`, 'Palram', 900 + t * 390, 'Вспененный ПВХ израильского производства с гладкой поверхностью для прямой печати.', [mm('Толщина', t), p('Цвет', 'белый'), p('Размер листа', '1560x3050', 'мм')]));
  for (const color of ['красный', 'синий', 'желтый', 'зеленый', 'черный']) {
    out.push(offer(`unext-color-3-${translit(color)}`, 41, `Вспененный ПВХ Unext Color 3 мм, ${color}, 2050x3050 мм`, 'Unext', 2900, 'Цветной вспененный ПВХ, окрашенный в массе, для объемных букв и декора.', [mm('Толщина', 3), p('Цвет', color), p('Размер листа', '2050x3050', 'мм')]));
  }
  for (const t of [2, 3, 4, 5, 8, 10]) {
    out.push(offer(`plexiglas-xt-${t}`, 42, `Акриловое стекло Plexiglas XT ${t} мм, прозрачное, 2050x3050 мм`, 'Plexiglas', 2600 + t * 1150, 'Экструзионное оргстекло для световых коробов, витрин, табличек и защитных экранов.', [mm('Толщина', t), p('Цвет', 'прозрачный'), p('Размер листа', '2050x3050', 'мм')]));
  }
  out.push(offer('plexiglas-opal-3', 42, 'Акриловое стекло Plexiglas 3 мм, опал (молочный), 2050x3050 мм', 'Plexiglas', 6900, 'Молочное светорассеивающее оргстекло для лайтбоксов и световых букв.', [mm('Толщина', 3), p('Цвет', 'опал молочный'), p('Светопропускание', '45', '%')]));
  for (const color of ['красный', 'синий', 'желтый', 'зеленый', 'черный']) {
    out.push(offer(`novattro-3-${translit(color)}`, 42, `Акриловое стекло Novattro 3 мм, ${color}, 2050x3050 мм`, 'Novattro', 7400, 'Цветное литьевое оргстекло для декора, объемных букв и POS-материалов.', [mm('Толщина', 3), p('Цвет', color)]));
  }
  for (const [color, code] of [['золото', 'gold'], ['серебро', 'silver']]) {
    out.push(offer(`acryl-mirror-${code}`, 42, `Зеркальный акрил 3 мм, ${color}, 1220x2440 мм`, 'Novattro', 9800, 'Зеркальное оргстекло для интерьерного декора и рекламы.', [mm('Толщина', 3), p('Цвет', color!)]));
  }
  for (const t of [4, 6, 8, 10]) out.push(offer(`sunnex-cell-${t}`, 43, `Сотовый поликарбонат Sunnex ${t} мм, прозрачный, 2100x6000 мм`, 'Sunnex', 1800 + t * 260, 'Сотовый поликарбонат для навесов, вывесок и световых конструкций.', [mm('Толщина', t), p('Цвет', 'прозрачный')]));
  for (const t of [2, 3]) out.push(offer(`sunnex-mono-${t}`, 43, `Монолитный поликарбонат Sunnex ${t} мм, прозрачный, 2050x3050 мм`, 'Sunnex', 5200 + t * 1700, 'Ударопрочный монолитный поликарбонат: антивандальные вывески и защитные экраны.', [mm('Толщина', t), p('Цвет', 'прозрачный')]));
  for (const color of ['белый', 'серебристый металлик', 'черный']) {
    out.push(offer(`bildex-3-${translit(color.split(' ')[0]!)}`, 44, `Алюминиевая композитная панель Bildex 3 мм, ${color}, 1500x4000 мм`, 'Bildex', 4300, 'Композитная панель (алюминий 0,21 мм) для фасадов, вывесок и облицовки.', [mm('Толщина', 3), p('Цвет', color)]));
  }
  out.push(offer('alucobond-4-white', 44, 'Алюминиевая композитная панель Alucobond 4 мм, белая, 1500x5000 мм', 'Alucobond', 14900, 'Премиальная композитная панель для вентилируемых фасадов.', [mm('Толщина', 4), p('Цвет', 'белый')]));
  return out;
}

const INK_COLORS: Array<[string, string]> = [['Cyan', 'голубой'], ['Magenta', 'пурпурный'], ['Yellow', 'желтый'], ['Black', 'черный'], ['Light Cyan', 'светло-голубой'], ['Light Magenta', 'светло-пурпурный'], ['White', 'белый']];

export function inkOffers(): SampleOffer[] {
  const lines: Array<{ id: string; cat: number; name: string; vendor: string; volume: number; colors: number; price: number; note: string }> = [
    { id: 'mimaki-es3', cat: 51, name: 'Чернила Mimaki ES3', vendor: 'Mimaki', volume: 440, colors: 6, price: 6900, note: 'экосольвентные чернила для принтеров Mimaki JV и CJV' },
    { id: 'roland-esm3', cat: 51, name: 'Чернила Roland ECO-SOL MAX 3', vendor: 'Roland', volume: 440, colors: 4, price: 7300, note: 'экосольвентные чернила для Roland VersaEXPRESS и TrueVIS' },
    { id: 'epson-gs3', cat: 51, name: 'Чернила Epson UltraChrome GS3', vendor: 'Epson', volume: 700, colors: 4, price: 12500, note: 'экосольвентные чернила для Epson SureColor SC-S' },
    { id: 'galaxy-dx5', cat: 51, name: 'Чернила Galaxy DX5 Eco-Solvent', vendor: 'Galaxy', volume: 1000, colors: 4, price: 2900, note: 'совместимые экосольвентные чернила для голов Epson DX5/DX7' },
    { id: 'mimaki-lus120', cat: 52, name: 'УФ-чернила Mimaki LUS-120', vendor: 'Mimaki', volume: 600, colors: 4, price: 15800, note: 'эластичные УФ-чернила для UCJV и UJF' },
    { id: 'mimaki-lus120-white', cat: 52, name: 'УФ-чернила Mimaki LUS-120 White', vendor: 'Mimaki', volume: 600, colors: 0, price: 18900, note: 'белые УФ-чернила для подложки на прозрачных материалах' },
    { id: 'hp-831', cat: 53, name: 'Латексные чернила HP 831', vendor: 'HP', volume: 775, colors: 6, price: 9900, note: 'картриджи для HP Latex 310/330/360/370' },
    { id: 'epson-t49m', cat: 54, name: 'Сублимационные чернила Epson T49M', vendor: 'Epson', volume: 140, colors: 4, price: 2400, note: 'для сублимационных принтеров Epson SureColor SC-F' },
  ];
  const out: SampleOffer[] = [];
  for (const line of lines) {
    const colors = line.colors === 0 ? [INK_COLORS[6]!] : INK_COLORS.slice(0, line.colors);
    for (const [en, ru] of colors) {
      out.push(offer(`${line.id}-${en.toLowerCase().replace(' ', '-')}`, line.cat, `${line.name} ${en}, ${line.volume} мл`, line.vendor, line.price, `${line.note[0]!.toUpperCase()}${line.note.slice(1)}. Цвет: ${ru}.`, [p('Цвет', ru), p('Объем', String(line.volume), 'мл')]));
    }
  }
  return out;
}

function translit(word: string): string {
  const map: Record<string, string> = { красный: 'red', синий: 'blue', желтый: 'yellow', зеленый: 'green', черный: 'black', белый: 'white', серебристый: 'silver' };
  return map[word] ?? word;
}
