/**
 * The product families of the sample catalog (a supplier of materials and equipment for visual
 * advertising), as data: `generate-catalog.ts` expands them into offers deterministically.
 */

export interface SampleParam {
  name: string;
  value: string;
  unit?: string;
}

export interface SampleOffer {
  id: string;
  categoryId: number;
  name: string;
  vendor: string;
  model?: string;
  basePrice: number;
  description: string;
  params: SampleParam[];
}

export const CATEGORIES: Array<{ id: number; name: string; parentId?: number }> = [
  { id: 1, name: 'Самоклеящиеся пленки' },
  { id: 11, name: 'Пленки для плоттерной резки', parentId: 1 },
  { id: 12, name: 'Пленки для широкоформатной печати', parentId: 1 },
  { id: 13, name: 'Ламинирующие пленки', parentId: 1 },
  { id: 14, name: 'Светорассеивающие (транслюцентные) пленки', parentId: 1 },
  { id: 2, name: 'Баннерные ткани и сетки' },
  { id: 21, name: 'Баннер ламинированный', parentId: 2 },
  { id: 22, name: 'Баннер литой', parentId: 2 },
  { id: 23, name: 'Баннерная сетка', parentId: 2 },
  { id: 3, name: 'Печатные носители' },
  { id: 31, name: 'Бумага для широкоформатной печати', parentId: 3 },
  { id: 32, name: 'Текстиль для печати', parentId: 3 },
  { id: 4, name: 'Листовые пластики' },
  { id: 41, name: 'Вспененный ПВХ', parentId: 4 },
  { id: 42, name: 'Акриловое стекло (оргстекло)', parentId: 4 },
  { id: 43, name: 'Поликарбонат', parentId: 4 },
  { id: 44, name: 'Алюминиевые композитные панели', parentId: 4 },
  { id: 5, name: 'Чернила' },
  { id: 51, name: 'Экосольвентные чернила', parentId: 5 },
  { id: 52, name: 'УФ-чернила', parentId: 5 },
  { id: 53, name: 'Латексные чернила', parentId: 5 },
  { id: 54, name: 'Сублимационные чернила', parentId: 5 },
  { id: 6, name: 'Оборудование' },
  { id: 61, name: 'Широкоформатные принтеры', parentId: 6 },
  { id: 62, name: 'Режущие плоттеры', parentId: 6 },
  { id: 63, name: 'Ламинаторы', parentId: 6 },
  { id: 7, name: 'Выставочные и рекламные конструкции' },
  { id: 71, name: 'Мобильные стенды Roll-up', parentId: 7 },
  { id: 72, name: 'Стенды Pop-up', parentId: 7 },
  { id: 73, name: 'X-баннеры и L-баннеры', parentId: 7 },
  { id: 74, name: 'Штендеры', parentId: 7 },
  { id: 75, name: 'Лайтбоксы и флаги', parentId: 7 },
];

/** Oracal-style colour codes and names. */
export const FILM_COLORS: Array<[string, string]> = [
  ['010', 'белый'], ['070', 'черный'], ['031', 'красный'], ['030', 'темно-красный'], ['032', 'светло-красный'],
  ['026', 'бордовый'], ['021', 'желтый'], ['022', 'светло-желтый'], ['034', 'оранжевый'], ['040', 'фиолетовый'],
  ['043', 'сиреневый'], ['049', 'королевский синий'], ['050', 'темно-синий'], ['051', 'синий'], ['052', 'лазурный'],
  ['053', 'голубой'], ['054', 'бирюзовый'], ['060', 'темно-зеленый'], ['061', 'зеленый'], ['063', 'салатовый'],
  ['073', 'темно-серый'], ['074', 'серый'], ['090', 'серебристый'], ['091', 'золотистый'], ['080', 'коричневый'],
  ['082', 'бежевый'],
];

/** A cut-film series: which colours and widths it comes in. */
export const CUT_FILMS: Array<{ series: string; vendor: string; kind: string; finish: string; colors: number; widths: number[]; thickness: number; price: number; life: string }> = [
  { series: '641', vendor: 'Oracal', kind: 'полимерная', finish: 'глянцевая', colors: 26, widths: [1.26], thickness: 70, price: 8900, life: '4 года' },
  { series: '641', vendor: 'Oracal', kind: 'полимерная', finish: 'матовая', colors: 10, widths: [1.26], thickness: 70, price: 8900, life: '4 года' },
  { series: '641', vendor: 'Oracal', kind: 'полимерная', finish: 'глянцевая', colors: 8, widths: [1.0], thickness: 70, price: 7200, life: '4 года' },
  { series: '551', vendor: 'Oracal', kind: 'полимерная', finish: 'глянцевая', colors: 10, widths: [1.26], thickness: 70, price: 11900, life: '6 лет' },
  { series: '751C', vendor: 'Oracal', kind: 'литая', finish: 'глянцевая', colors: 8, widths: [1.26], thickness: 60, price: 21500, life: '8 лет' },
  { series: '500 Event Film', vendor: 'Avery Dennison', kind: 'каландрированная', finish: 'глянцевая', colors: 10, widths: [1.23], thickness: 80, price: 7900, life: '3 года' },
];

/** Translucent films for lightboxes (Oracal 8500). */
export const TRANSLUCENT_COLORS = [0, 2, 5, 6, 8, 12, 14, 15, 16, 19, 21, 23];

export const PRINT_FILMS: Array<{ name: string; vendor: string; model: string; widths: number[]; finish: string; glue: string; price: number; thickness: number }> = [
  { name: 'Пленка для печати', vendor: 'Orajet', model: '3640', widths: [1.05, 1.26, 1.37, 1.6], finish: 'глянцевая', glue: 'серый клей', price: 9800, thickness: 80 },
  { name: 'Пленка для печати', vendor: 'Orajet', model: '3640', widths: [1.26, 1.37, 1.6], finish: 'матовая', glue: 'серый клей', price: 9800, thickness: 80 },
  { name: 'Пленка для печати', vendor: 'Orajet', model: '3551', widths: [1.37, 1.6], finish: 'глянцевая', glue: 'прозрачный клей', price: 14900, thickness: 70 },
  { name: 'Пленка для печати', vendor: 'Avery Dennison', model: 'MPI 3000', widths: [1.37, 1.6], finish: 'глянцевая', glue: 'прозрачный клей', price: 8700, thickness: 90 },
  { name: 'Перфорированная пленка One Way Vision', vendor: 'Ritrama', model: 'RI-JET Perforated', widths: [1.37, 1.52], finish: 'глянцевая', glue: 'черный клей', price: 16400, thickness: 140 },
];

export const LAMINATES: Array<{ vendor: string; model: string; widths: number[]; finish: string; price: number }> = [
  { vendor: 'Oraguard', model: '210', widths: [1.05, 1.26, 1.37], finish: 'глянцевая', price: 7600 },
  { vendor: 'Oraguard', model: '210', widths: [1.26, 1.37], finish: 'матовая', price: 7600 },
  { vendor: 'Oraguard', model: '215', widths: [1.37, 1.6], finish: 'глянцевая', price: 12800 },
  { vendor: 'Avery Dennison', model: 'DOL 1460', widths: [1.37], finish: 'глянцевая', price: 13900 },
];

export const BANNERS: Array<{ id: string; categoryId: number; name: string; vendor: string; density: number; widths: number[]; price: number; note: string }> = [
  { id: 'frontlit-440', categoryId: 21, name: 'Баннер ламинированный Frontlit 440 г/м²', vendor: 'Ultraflex', density: 440, widths: [1.6, 2.2, 3.2], price: 95, note: 'для наружной рекламы на фасадах и заборах' },
  { id: 'frontlit-510', categoryId: 21, name: 'Баннер ламинированный Frontlit 510 г/м²', vendor: 'Ultraflex', density: 510, widths: [3.2, 5.0], price: 125, note: 'повышенной прочности для больших растяжек' },
  { id: 'cast-510', categoryId: 22, name: 'Баннер литой 510 г/м²', vendor: 'Verseidag', density: 510, widths: [3.2, 5.0], price: 210, note: 'с литым ПВХ-покрытием, не расслаивается' },
  { id: 'backlit-650', categoryId: 22, name: 'Баннер литой Backlit 650 г/м²', vendor: 'Verseidag', density: 650, widths: [3.2], price: 260, note: 'для световых коробов с внутренней подсветкой' },
  { id: 'blockout-610', categoryId: 22, name: 'Баннер Blockout 610 г/м²', vendor: 'Verseidag', density: 610, widths: [3.2], price: 240, note: 'двусторонний, светонепроницаемый' },
  { id: 'mesh-270', categoryId: 23, name: 'Баннерная сетка Mesh 270 г/м²', vendor: 'Ultraflex', density: 270, widths: [3.2, 5.0], price: 160, note: 'сетчатая структура, пропускает ветер' },
];
