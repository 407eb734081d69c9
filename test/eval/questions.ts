/**
 * The retrieval evaluation questions over the sample catalog (`prompts/catalog.yml`), written as
 * visitors write: typos, jargon, transliteration, colours, sizes, prices, stock. Relevance is
 * defined by the offers' attributes (grade 2: what was asked; 1: an acceptable neighbour), and
 * `scripts/build-eval-set.ts` turns it into graded offer ids in `retrieval-set.json`.
 */
import type { Offer } from '../../src/knowledge/catalog/offer.js';

export type QueryClass = 'morphology' | 'typo' | 'synonym' | 'color' | 'size' | 'brand' | 'translit' | 'price' | 'availability';

/** Grade of an offer for a question: 0 not relevant, 1 acceptable, 2 what was asked. */
export type Judge = (o: Offer) => 0 | 1 | 2;

export interface EvalQuestion {
  q: string;
  class: QueryClass;
  judge: Judge;
}

const cat = (o: Offer, name: string): boolean => o.categoryPath.some((c) => c.toLowerCase().includes(name.toLowerCase()));
const param = (o: Offer, name: string): string => o.params.find((p) => p.name === name)?.value ?? '';
const color = (o: Offer): string => param(o, 'Цвет').replace(/^\d+\s*/, '');
const num = (o: Offer, name: string): number => Number(param(o, name).replace(',', '.'));
const id = (o: Offer, re: RegExp): boolean => re.test(o.id);
const g = (exact: boolean, near = false): 0 | 1 | 2 => (exact ? 2 : near ? 1 : 0);
const BLUE = ['синий', 'темно-синий', 'королевский синий'];
const LIGHT_BLUE = ['лазурный', 'голубой'];

export const QUESTIONS: EvalQuestion[] = [
  // Russian morphology: forms other than the catalog's.
  { q: 'ищу светорассеивающую пленку для световых коробов', class: 'morphology', judge: (o) => g(cat(o, 'светорассеивающие'), id(o, /^(backlit|samba)/)) },
  { q: 'ламинирующей пленкой матовой можно защитить печать?', class: 'morphology', judge: (o) => g(cat(o, 'ламинирующие') && param(o, 'Поверхность') === 'матовая', cat(o, 'ламинирующие')) },
  { q: 'какими режущими плоттерами торгуете', class: 'morphology', judge: (o) => g(cat(o, 'режущие плоттеры')) },
  { q: 'молочным оргстеклом для лайтбокса', class: 'morphology', judge: (o) => g(o.id === 'plexiglas-opal-3', cat(o, 'акриловое')) },
  { q: 'баннерной сеткой торгуете?', class: 'morphology', judge: (o) => g(cat(o, 'баннерная сетка')) },
  { q: 'латексными чернилами', class: 'morphology', judge: (o) => g(cat(o, 'латексные чернила')) },
  { q: 'сотовым поликарбонатом', class: 'morphology', judge: (o) => g(id(o, /^sunnex-cell/), id(o, /^sunnex-mono/)) },
  { q: 'перфорированной пленкой окна заклеить', class: 'morphology', judge: (o) => g(id(o, /perforated/)) },
  { q: 'нужны рулонные ламинаторы', class: 'morphology', judge: (o) => g(cat(o, 'ламинаторы')) },
  // Typos.
  { q: 'оракл 641 белыйй', class: 'typo', judge: (o) => g(id(o, /^oracal-641-.-010-/), id(o, /^oracal-641/) && color(o) === 'белый') },
  { q: 'банер литой', class: 'typo', judge: (o) => g(cat(o, 'баннер литой')) },
  { q: 'плотер для резки пленки', class: 'typo', judge: (o) => g(cat(o, 'режущие плоттеры')) },
  { q: 'ламинатр рулоный', class: 'typo', judge: (o) => g(cat(o, 'ламинаторы')) },
  { q: 'экосольвентые чернила мимаки', class: 'typo', judge: (o) => g(id(o, /^mimaki-es3/), cat(o, 'экосольвентные чернила')) },
  { q: 'оргстикло прозрачное', class: 'typo', judge: (o) => g(id(o, /^plexiglas-xt/)) },
  { q: 'штендр двухсторонний', class: 'typo', judge: (o) => g(o.id === 'stender-a1-double', cat(o, 'штендеры')) },
  { q: 'поликорбонат монолитный', class: 'typo', judge: (o) => g(id(o, /^sunnex-mono/), id(o, /^sunnex-cell/)) },
  { q: 'фотобумогу глянцевую', class: 'typo', judge: (o) => g(id(o, /^photo-200/)) },
  // Jargon and synonyms.
  { q: 'самоклейка белая для резки', class: 'synonym', judge: (o) => g(cat(o, 'плоттерной резки') && color(o) === 'белый', cat(o, 'плоттерной резки')) },
  { q: 'роллап 85 на 200', class: 'synonym', judge: (o) => g(id(o, /^rollup-.*-85$/), cat(o, 'roll-up')) },
  { q: 'паук для баннера', class: 'synonym', judge: (o) => g(id(o, /^xbanner/), o.id === 'lbanner-80') },
  { q: 'поливинилхлорид листовой', class: 'synonym', judge: (o) => g(cat(o, 'вспененный пвх')) },
  { q: 'композит для фасада', class: 'synonym', judge: (o) => g(cat(o, 'композитные панели')) },
  { q: 'раскладушка рекламная на улицу', class: 'synonym', judge: (o) => g(cat(o, 'штендеры')) },
  { q: 'бэклит для лайтбокса', class: 'synonym', judge: (o) => g(o.id === 'backlit-650-32', cat(o, 'светорассеивающие') || id(o, /^samba/)) },
  { q: 'принт-кат для наклеек', class: 'synonym', judge: (o) => g(param(o, 'Функция резки') === 'есть' || id(o, /bn-20|ucjv300/)) },
  { q: 'уфка планшетная', class: 'synonym', judge: (o) => g(o.id === 'mimaki-ujf-6042', o.id === 'mimaki-ucjv300-160') },
  // Colours and shades.
  { q: 'синие пленки для плоттера', class: 'color', judge: (o) => g(cat(o, 'плоттерной резки') && BLUE.includes(color(o)), cat(o, 'плоттерной резки') && LIGHT_BLUE.includes(color(o))) },
  { q: 'бордовая пленка оракал', class: 'color', judge: (o) => g(o.vendor === 'Oracal' && color(o) === 'бордовый', o.vendor === 'Oracal' && /красный/.test(color(o))) },
  { q: 'желтый пвх', class: 'color', judge: (o) => g(o.id === 'unext-color-3-yellow') },
  { q: 'зеркальный акрил золотой', class: 'color', judge: (o) => g(o.id === 'acryl-mirror-gold', o.id === 'acryl-mirror-silver') },
  { q: 'пленка цвета морской волны', class: 'color', judge: (o) => g(color(o) === 'бирюзовый', cat(o, 'пленки') && color(o) === 'голубой') },
  { q: 'салатовая самоклейка', class: 'color', judge: (o) => g(color(o) === 'салатовый', cat(o, 'пленки') && /зеленый/.test(color(o))) },
  { q: 'черная композитная панель', class: 'color', judge: (o) => g(o.id === 'bildex-3-black', cat(o, 'композитные')) },
  { q: 'серебристая пленка для резки', class: 'color', judge: (o) => g(cat(o, 'плоттерной резки') && color(o) === 'серебристый', cat(o, 'плоттерной резки') && /серый/.test(color(o))) },
  { q: 'фиолетовый оракал', class: 'color', judge: (o) => g(o.vendor === 'Oracal' && color(o) === 'фиолетовый', o.vendor === 'Oracal' && color(o) === 'сиреневый') },
  { q: 'белые чернила для уф печати', class: 'color', judge: (o) => g(o.id === 'mimaki-lus120-white', cat(o, 'уф-чернила')) },
  // Sizes and thicknesses.
  { q: 'пвх 5 мм', class: 'size', judge: (o) => g(cat(o, 'вспененный пвх') && num(o, 'Толщина') === 5) },
  { q: 'оргстекло 8мм', class: 'size', judge: (o) => g(o.id === 'plexiglas-xt-8') },
  { q: 'пленка оракал шириной 1 метр', class: 'size', judge: (o) => g(id(o, /^oracal-.*-100$/)) },
  { q: 'баннер 5 метров шириной', class: 'size', judge: (o) => g(cat(o, 'баннер') && num(o, 'Ширина рулона') === 5) },
  { q: 'бумага blueback 127 см', class: 'size', judge: (o) => g(o.id === 'blueback-120-127', id(o, /^blueback/)) },
  { q: 'поликарбонат 10мм', class: 'size', judge: (o) => g(o.id === 'sunnex-cell-10') },
  { q: 'плоттер с шириной резки 1,6 м', class: 'size', judge: (o) => g(cat(o, 'режущие плоттеры') && Math.abs(num(o, 'Ширина резки') - 1.6) < 0.03, cat(o, 'режущие плоттеры')) },
  { q: 'ткань 190 г/м2', class: 'size', judge: (o) => g(id(o, /^samba/)) },
  { q: 'roll-up 100х200', class: 'size', judge: (o) => g(id(o, /^rollup-.*-100$/), cat(o, 'roll-up')) },
  { q: 'чернила литровые 1 л', class: 'size', judge: (o) => g(id(o, /^galaxy/)) },
  { q: 'трехмиллиметровый акрил', class: 'size', judge: (o) => g(cat(o, 'акриловое') && num(o, 'Толщина') === 3) },
  // Brands and models.
  { q: 'Oracal 641', class: 'brand', judge: (o) => g(id(o, /^oracal-641/)) },
  { q: 'Mimaki CJV150-130', class: 'brand', judge: (o) => g(o.id === 'mimaki-cjv150-130', id(o, /^mimaki-cjv150/)) },
  { q: 'Summa S2', class: 'brand', judge: (o) => g(id(o, /^summa-s2/), id(o, /^summa/)) },
  { q: 'HP Latex 335', class: 'brand', judge: (o) => g(o.id === 'hp-latex-335', id(o, /^hp-latex/)) },
  { q: 'Roland VG2-640', class: 'brand', judge: (o) => g(o.id === 'roland-vg2-640', o.id === 'roland-vg2-540') },
  { q: 'epson s40600', class: 'brand', judge: (o) => g(o.id === 'epson-sc-s40600', id(o, /^epson-sc-s/)) },
  { q: 'Orajet 3640 матовая', class: 'brand', judge: (o) => g(id(o, /^orajet-3640-m/), id(o, /^orajet-3640/)) },
  { q: 'avery 500', class: 'brand', judge: (o) => g(id(o, /^avery-dennison-500/)) },
  { q: 'graphtec fc9000 140', class: 'brand', judge: (o) => g(o.id === 'graphtec-fc9000-140', id(o, /^graphtec-fc9000/)) },
  // Transliteration.
  { q: 'оракал 641 желтый', class: 'translit', judge: (o) => g(id(o, /^oracal-641/) && color(o) === 'желтый', id(o, /^oracal-641/) && color(o) === 'светло-желтый') },
  { q: 'мимаки принтер', class: 'translit', judge: (o) => g(cat(o, 'принтеры') && o.vendor === 'Mimaki') },
  { q: 'графтек плоттер', class: 'translit', judge: (o) => g(o.vendor === 'Graphtec') },
  { q: 'пленка эйвери', class: 'translit', judge: (o) => g(o.vendor === 'Avery Dennison' && cat(o, 'пленки')) },
  { q: 'принтер роланд', class: 'translit', judge: (o) => g(o.vendor === 'Roland' && cat(o, 'принтеры')) },
  { q: 'эпсон чернила', class: 'translit', judge: (o) => g(o.vendor === 'Epson' && cat(o, 'чернила')) },
  { q: 'оражет 3640', class: 'translit', judge: (o) => g(id(o, /^orajet-3640/)) },
  { q: 'плексиглас', class: 'translit', judge: (o) => g(o.vendor === 'Plexiglas') },
  { q: 'плоттер сумма', class: 'translit', judge: (o) => g(o.vendor === 'Summa') },
  { q: 'юнекст 5мм', class: 'translit', judge: (o) => g(o.id === 'unext-strong-5', o.vendor === 'Unext') },
  // Price limits.
  { q: 'роллап до 5000 рублей', class: 'price', judge: (o) => g(cat(o, 'roll-up') && o.price! <= 5000) },
  { q: 'режущий плоттер до 250 тысяч', class: 'price', judge: (o) => g(cat(o, 'режущие плоттеры') && o.price! <= 250_000) },
  { q: 'принтер не дороже 1,5 млн', class: 'price', judge: (o) => g(cat(o, 'принтеры') && o.price! <= 1_500_000) },
  { q: 'оргстекло дешевле 6000 руб', class: 'price', judge: (o) => g(cat(o, 'акриловое') && o.price! <= 6000) },
  { q: 'пвх до 3000 р за лист', class: 'price', judge: (o) => g(cat(o, 'вспененный пвх') && o.price! <= 3000) },
  { q: 'ламинатор до 200 тыс', class: 'price', judge: (o) => g(cat(o, 'ламинаторы') && o.price! <= 200_000) },
  { q: 'пленка для печати от 10000 до 15000', class: 'price', judge: (o) => g(cat(o, 'широкоформатной печати') && o.price! >= 10_000 && o.price! <= 15_000) },
  { q: 'самый дешевый баннер', class: 'price', judge: (o) => g(id(o, /^frontlit-440/), id(o, /^frontlit-510/)) },
  { q: 'штендер в пределах 5 тыс', class: 'price', judge: (o) => g(cat(o, 'штендеры') && o.price! <= 5000) },
  // Availability.
  { q: 'оракал 641 красный в наличии', class: 'availability', judge: (o) => (o.available ? g(id(o, /^oracal-641/) && color(o) === 'красный', id(o, /^oracal-641/) && /красный/.test(color(o))) : 0) },
  { q: 'есть в наличии ламинаторы?', class: 'availability', judge: (o) => g(o.available && cat(o, 'ламинаторы')) },
  { q: 'чернила HP 831 в наличии', class: 'availability', judge: (o) => g(o.available && id(o, /^hp-831/)) },
  { q: 'pop-up стенд в наличии', class: 'availability', judge: (o) => g(o.available && cat(o, 'pop-up')) },
  { q: 'что есть на складе из акрилового стекла 3 мм', class: 'availability', judge: (o) => g(o.available && cat(o, 'акриловое') && num(o, 'Толщина') === 3) },
  { q: 'режущий плоттер summa в наличии', class: 'availability', judge: (o) => g(o.available && o.vendor === 'Summa') },
  { q: 'баннерная сетка в наличии', class: 'availability', judge: (o) => g(o.available && cat(o, 'баннерная сетка')) },
  { q: 'поликарбонат сотовый на складе есть?', class: 'availability', judge: (o) => g(o.available && id(o, /^sunnex-cell/)) },
  // A second batch, written after the ranking was tuned and measured before any change.
  { q: 'Добрый день! Интересует пленка для оклейки витрин, матовая', class: 'morphology', judge: (o) => g(cat(o, 'плоттерной резки') && param(o, 'Поверхность') === 'матовая', cat(o, 'плоттерной резки')) },
  { q: 'подскажите по чернилам для сублимации', class: 'morphology', judge: (o) => g(cat(o, 'сублимационные')) },
  { q: 'нужны холсты для печати картин', class: 'morphology', judge: (o) => g(id(o, /^canvas/)) },
  { q: 'пелнка оракал 641 зеленая', class: 'typo', judge: (o) => g(id(o, /^oracal-641/) && color(o) === 'зеленый', id(o, /^oracal-641/) && /зеленый|салатовый/.test(color(o))) },
  { q: 'ламинацыя пленкой глянцевой', class: 'typo', judge: (o) => g(cat(o, 'ламинирующие') && param(o, 'Поверхность') === 'глянцевая', cat(o, 'ламинирующие')) },
  { q: 'вспененый пвх 10мм', class: 'typo', judge: (o) => g(o.id === 'unext-strong-10') },
  { q: 'плекс прозрачный 4мм', class: 'synonym', judge: (o) => g(o.id === 'plexiglas-xt-4', id(o, /^plexiglas-xt/)) },
  { q: 'сетка баннерная для фасада', class: 'synonym', judge: (o) => g(cat(o, 'баннерная сетка')) },
  { q: 'стойка для баннера мобильная', class: 'synonym', judge: (o) => g(cat(o, 'roll-up') || cat(o, 'x-баннеры'), cat(o, 'pop-up')) },
  { q: 'оранжевая самоклеющаяся пленка', class: 'color', judge: (o) => g(cat(o, 'пленки') && color(o) === 'оранжевый') },
  { q: 'изумрудный цвет пленка', class: 'color', judge: (o) => g(cat(o, 'пленки') && /зеленый/.test(color(o)), cat(o, 'пленки') && color(o) === 'салатовый') },
  { q: 'прозрачный поликарбонат 6 мм', class: 'color', judge: (o) => g(o.id === 'sunnex-cell-6') },
  { q: 'ширина 1370 мм пленка для печати', class: 'size', judge: (o) => g(cat(o, 'широкоформатной печати') && Math.abs(num(o, 'Ширина рулона') - 1.37) < 0.01) },
  { q: 'баннер шириной 220 см', class: 'size', judge: (o) => g(cat(o, 'баннер') && num(o, 'Ширина рулона') === 2.2) },
  { q: 'принтер с шириной печати 1,6 метра', class: 'size', judge: (o) => g(cat(o, 'принтеры') && Math.abs(num(o, 'Ширина печати') - 1.6) < 0.04, cat(o, 'принтеры')) },
  { q: 'Graphtec CE7000-130', class: 'brand', judge: (o) => g(o.id === 'graphtec-ce7000-130', id(o, /^graphtec-ce7000/)) },
  { q: 'Plexiglas XT 10', class: 'brand', judge: (o) => g(o.id === 'plexiglas-xt-10', id(o, /^plexiglas-xt/)) },
  { q: 'Oraguard 215', class: 'brand', judge: (o) => g(id(o, /^oraguard-215/), id(o, /^oraguard/)) },
  { q: 'оражард 210 матовый', class: 'translit', judge: (o) => g(id(o, /^oraguard-210-m/), id(o, /^oraguard-210/)) },
  { q: 'хп латекс 335', class: 'translit', judge: (o) => g(o.id === 'hp-latex-335', id(o, /^hp-latex/)) },
  { q: 'верзайдаг баннер', class: 'translit', judge: (o) => g(o.vendor === 'Verseidag') },
  { q: 'чернила дешевле 5000', class: 'price', judge: (o) => g(cat(o, 'чернила') && o.price! <= 5000) },
  { q: 'плоттер режущий от 500 до 700 тыс руб', class: 'price', judge: (o) => g(cat(o, 'режущие плоттеры') && o.price! >= 500_000 && o.price! <= 700_000) },
  { q: 'недорогой ламинатор', class: 'price', judge: (o) => g(o.id === 'bulros-bu-1100', cat(o, 'ламинаторы') && o.price! < 250_000) },
  { q: 'есть ли в наличии оргстекло 4 мм?', class: 'availability', judge: (o) => g(o.available && cat(o, 'акриловое') && num(o, 'Толщина') === 4) },
  { q: 'ткань самба в наличии', class: 'availability', judge: (o) => g(o.available && id(o, /^samba/)) },
  { q: 'лайтбокс а1 на складе?', class: 'availability', judge: (o) => g(o.available && o.id === 'lightbox-a1') },
];
