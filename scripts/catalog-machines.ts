/** Sample-catalog families: printers, cutting plotters, laminators and display systems. */
import type { SampleOffer, SampleParam } from './catalog-families.js';

const p = (name: string, value: string, unit?: string): SampleParam => ({ name, value, unit });
const widthParam = (name: string, metres: number): SampleParam => p(name, metres.toFixed(2).replace('.', ','), 'м');

function machine(id: string, categoryId: number, vendor: string, model: string, kind: string, price: number, description: string, params: SampleParam[]): SampleOffer {
  return { id, categoryId, name: `${kind} ${vendor} ${model}`, vendor, model, basePrice: price, description, params };
}

export function printerOffers(): SampleOffer[] {
  const out: SampleOffer[] = [];
  for (const [size, width, price] of [[75, 0.8, 1_390_000], [107, 1.07, 1_590_000], [130, 1.36, 1_790_000], [160, 1.61, 1_990_000]] as const) {
    out.push(machine(`mimaki-cjv150-${size}`, 61, 'Mimaki', `CJV150-${size}`, 'Экосольвентный принтер-каттер', price, 'Печать и контурная резка в одном устройстве: наклейки, этикетки, интерьерная графика.', [widthParam('Ширина печати', width), p('Тип чернил', 'экосольвентные'), p('Функция резки', 'есть')]));
  }
  out.push(machine('mimaki-jv100-160', 61, 'Mimaki', 'JV100-160', 'Экосольвентный принтер', 1_450_000, 'Производительный экосольвентный принтер для наружной и интерьерной рекламы.', [widthParam('Ширина печати', 1.61), p('Тип чернил', 'экосольвентные')]));
  out.push(machine('roland-rf-640', 61, 'Roland', 'VersaEXPRESS RF-640', 'Экосольвентный принтер', 1_690_000, 'Скоростной экосольвентный принтер для баннеров, пленок и бумаги.', [widthParam('Ширина печати', 1.61), p('Тип чернил', 'экосольвентные')]));
  for (const [size, width, price] of [[540, 1.37, 2_290_000], [640, 1.61, 2_590_000]] as const) {
    out.push(machine(`roland-vg2-${size}`, 61, 'Roland', `TrueVIS VG2-${size}`, 'Экосольвентный принтер-каттер', price, 'Принтер-каттер с чернилами TR2, печать и резка наклеек и оклейки авто.', [widthParam('Ширина печати', width), p('Тип чернил', 'экосольвентные'), p('Функция резки', 'есть')]));
  }
  out.push(machine('roland-bn-20', 61, 'Roland', 'VersaSTUDIO BN-20', 'Настольный принтер-каттер', 790_000, 'Компактный принтер-каттер для небольших мастерских: стикеры и термотрансфер.', [widthParam('Ширина печати', 0.48), p('Тип чернил', 'экосольвентные')]));
  for (const [model, width, price] of [['SC-S40600', 1.62, 1_290_000], ['SC-S60600', 1.62, 1_690_000], ['SC-S80600', 1.62, 2_190_000]] as const) {
    out.push(machine(`epson-${model.toLowerCase()}`, 61, 'Epson', `SureColor ${model}`, 'Экосольвентный принтер', price, 'Надежный экосольвентный принтер с головой PrecisionCore.', [widthParam('Ширина печати', width), p('Тип чернил', 'экосольвентные')]));
  }
  for (const [model, width, price] of [['115', 1.37, 990_000], ['315', 1.37, 1_290_000], ['335', 1.63, 1_590_000], ['365', 1.63, 1_890_000], ['700', 1.63, 2_490_000]] as const) {
    out.push(machine(`hp-latex-${model}`, 61, 'HP', `Latex ${model}`, 'Латексный принтер', price, 'Латексная печать без запаха: интерьер, обои, текстиль.', [widthParam('Ширина печати', width), p('Тип чернил', 'латексные')]));
  }
  out.push(machine('mimaki-ujf-6042', 61, 'Mimaki', 'UJF-6042 MkII', 'Планшетный УФ-принтер', 2_990_000, 'Настольный УФ-принтер для печати на сувенирах, пластике и стекле.', [p('Область печати', '610x420', 'мм'), p('Тип чернил', 'УФ')]));
  out.push(machine('mimaki-ucjv300-160', 61, 'Mimaki', 'UCJV300-160', 'Рулонный УФ-принтер-каттер', 3_490_000, 'УФ-печать с белым цветом и резкой для наклеек и лайтбоксов.', [widthParam('Ширина печати', 1.61), p('Тип чернил', 'УФ')]));
  return out;
}

export function plotterOffers(): SampleOffer[] {
  const out: SampleOffer[] = [];
  const add = (vendor: string, model: string, width: number, price: number, note: string): void => {
    out.push(machine(`${vendor}-${model}`.toLowerCase().replace(/[^a-z0-9]+/g, '-'), 62, vendor, model, 'Режущий плоттер', price, note, [widthParam('Ширина резки', width), widthParam('Ширина материала', width + 0.1)]));
  };
  for (const [model, width, price] of [['CE7000-40', 0.38, 149_000], ['CE7000-60', 0.6, 219_000], ['CE7000-130', 1.27, 349_000], ['CE7000-160', 1.6, 419_000]] as const) add('Graphtec', model, width, price, 'Рулонный режущий плоттер с оптическим датчиком меток для контурной резки.');
  for (const [model, width, price] of [['FC9000-75', 0.76, 489_000], ['FC9000-100', 1.07, 559_000], ['FC9000-140', 1.37, 639_000], ['FC9000-160', 1.62, 719_000]] as const) add('Graphtec', model, width, price, 'Профессиональный режущий плоттер с усилием прижима до 600 г.');
  for (const [model, width, price] of [['S One D60', 0.6, 289_000], ['S One D120', 1.2, 399_000], ['S One D160', 1.6, 469_000], ['S2 T120', 1.2, 729_000], ['S2 T160', 1.6, 829_000]] as const) add('Summa', model, width, price, 'Бельгийский режущий плоттер с тангенциальным ножом для точной резки.');
  for (const [model, width, price] of [['CAMM-1 GS2-24', 0.58, 239_000], ['CAMM-1 GR2-540', 1.37, 529_000], ['CAMM-1 GR2-640', 1.6, 589_000]] as const) add('Roland', model, width, price, 'Режущий плоттер Roland для оракала, термотрансфера и трафаретов.');
  for (const [model, width, price] of [['CG-60AR', 0.6, 199_000], ['CG-130AR', 1.37, 329_000], ['CG-160AR', 1.6, 379_000]] as const) add('Mimaki', model, width, price, 'Надежный режущий плоттер Mimaki с контурной резкой по меткам.');
  return out;
}

export function laminatorOffers(): SampleOffer[] {
  return [
    machine('bulros-bu-1600', 63, 'Bulros', 'BU-1600', 'Рулонный ламинатор', 189_000, 'Холодный рулонный ламинатор для накатки пленки и ламинации отпечатков.', [widthParam('Ширина ламинации', 1.6), p('Тип', 'холодный')]),
    machine('mefu-mf1700-m1', 63, 'Mefu', 'MF1700-M1', 'Рулонный ламинатор', 259_000, 'Ламинатор с подогревом верхнего вала, пневматический прижим.', [widthParam('Ширина ламинации', 1.6), p('Тип', 'с подогревом')]),
    machine('gmp-excelam-1670', 63, 'GMP', 'Excelam II 1670RSH', 'Рулонный ламинатор', 349_000, 'Корейский ламинатор для горячей и холодной ламинации широких рулонов.', [widthParam('Ширина ламинации', 1.63), p('Тип', 'горячий и холодный')]),
    machine('bulros-bu-1100', 63, 'Bulros', 'BU-1100', 'Рулонный ламинатор', 129_000, 'Компактный холодный ламинатор для мастерской.', [widthParam('Ширина ламинации', 1.1), p('Тип', 'холодный')]),
  ];
}

export function displayOffers(): SampleOffer[] {
  const d = (id: string, categoryId: number, name: string, price: number, description: string, size: string): SampleOffer =>
    ({ id, categoryId, name, vendor: 'Vink Display', basePrice: price, description, params: [p('Размер', size, 'см')] });
  return [
    d('rollup-eco-85', 71, 'Мобильный стенд Roll-up эконом 85x200 см', 2900, 'Алюминиевый стенд ролл-ап с кассетой для баннера, сумка в комплекте.', '85x200'),
    d('rollup-eco-100', 71, 'Мобильный стенд Roll-up эконом 100x200 см', 3400, 'Недорогой ролл-ап стенд для выставок и промо-акций.', '100x200'),
    d('rollup-premium-85', 71, 'Мобильный стенд Roll-up премиум 85x200 см', 6900, 'Ролл-ап с усиленным основанием и сменной кассетой.', '85x200'),
    d('rollup-premium-100', 71, 'Мобильный стенд Roll-up премиум 100x200 см', 7600, 'Премиальный ролл-ап стенд с регулируемой высотой.', '100x200'),
    d('rollup-premium-120', 71, 'Мобильный стенд Roll-up премиум 120x200 см', 8900, 'Широкий ролл-ап для выставочных стендов.', '120x200'),
    d('rollup-double-85', 71, 'Мобильный стенд Roll-up двусторонний 85x200 см', 9900, 'Двусторонний ролл-ап: два полотна на одном основании.', '85x200'),
    d('rollup-wide-150', 71, 'Мобильный стенд Roll-up широкий 150x200 см', 12900, 'Широкоформатный ролл-ап для фона пресс-волла.', '150x200'),
    d('popup-straight-3x3', 72, 'Стенд Pop-up прямой 3x3 секции', 24900, 'Разборный выставочный стенд pop-up с магнитными направляющими.', '230x225'),
    d('popup-curved-3x4', 72, 'Стенд Pop-up изогнутый 3x4 секции', 32900, 'Изогнутый pop-up стенд для выставок, кейс-подиум в комплекте.', '300x225'),
    d('popup-light-3x3', 72, 'Стенд Pop-up 3x3 с подсветкой', 39900, 'Pop-up стенд с двумя галогенными светильниками.', '230x225'),
    d('xbanner-60', 73, 'X-баннер (паук) 60x160 см', 990, 'Легкая растяжка-паук для баннера на люверсах.', '60x160'),
    d('xbanner-80', 73, 'X-баннер (паук) 80x180 см', 1290, 'Мобильная конструкция X-баннер для промо-акций.', '80x180'),
    d('lbanner-80', 73, 'L-баннер 80x200 см', 1890, 'Стойка L-баннер с телескопической штангой.', '80x200'),
    d('stender-a1-single', 74, 'Штендер А1 односторонний', 3900, 'Металлический штендер-раскладушка с рамкой для постера формата А1.', '64x120'),
    d('stender-a1-double', 74, 'Штендер А1 двусторонний', 5400, 'Двусторонний штендер-раскладушка для улицы, клик-рамка.', '64x120'),
    d('stender-street-water', 74, 'Уличный штендер с водоналивным основанием', 8900, 'Ветроустойчивый штендер на пластиковой базе, наполняемой водой.', '80x150'),
    d('lightbox-a2', 75, 'Лайтбокс светодиодный А2, односторонний', 6400, 'Тонкий световой короб с клик-профилем и LED-подсветкой.', '42x59'),
    d('lightbox-a1', 75, 'Лайтбокс светодиодный А1, двусторонний', 11900, 'Двусторонний подвесной лайтбокс для витрин.', '59x84'),
    d('flag-sail-3', 75, 'Парусный флаг (виндер) 3 м', 4900, 'Флагшток-виндер с полотном «парус» и крестовиной.', '80x300'),
    d('flag-drop-25', 75, 'Флаг «капля» 2,5 м', 4400, 'Мобильный рекламный флаг в форме капли с основанием.', '70x250'),
    d('promo-table', 75, 'Промостол разборный с печатью', 8900, 'Разборная промостойка для дегустаций и промо-акций.', '80x90'),
  ];
}
