/**
 * Price limits and availability in a visitor's words: "до 5000 рублей", "дешевле 5 тыс",
 * "от 1000 до 3000 ₽", "в пределах 10к", "около 2000 р", "недорогой", "в наличии".
 */

/** An inclusive price range in the catalog's currency. */
export interface PriceLimit {
  min: number;
  max: number;
}

const W = '[а-яa-z]*';
const AMOUNT = String.raw`(\d{1,3}(?:[  ]\d{3})+|\d+(?:[.,]\d+)?)\s*(тыс${W}\.?|т\.?\s?р\.?|тр\.?|к(?![а-я])|k(?![a-z])|млн${W}|миллион${W})?`;
const CURRENCY = String.raw`(руб${W}\.?|р\.?(?![а-я])|₽|rub${W}|rur)?`;
const MAX_OPS = String.raw`до|не дороже|дешевле|меньше|ниже|не более|не больше|не выше|максимум|макс\.?|в пределах|в рамках|бюджет${W}|уложиться в|за`;
const MIN_OPS = String.raw`от|дороже|больше|выше|не менее|не дешевле|минимум|мин\.?`;
const NEAR_OPS = String.raw`около|примерно|порядка|в районе|где-то|~`;

// "от A до B" or "A-B"; a bare "641 до 1000" is a model number and a limit, not a range.
const RANGE = new RegExp(String.raw`(?:от\s*${AMOUNT}\s*(?:-|до)|(?<![\d.,])${AMOUNT}\s*-)\s*${AMOUNT}\s*${CURRENCY}`, 'g');
const WITH_OP = new RegExp(String.raw`(${MAX_OPS}|${MIN_OPS}|${NEAR_OPS})\s+${AMOUNT}\s*${CURRENCY}`, 'g');
const BARE = new RegExp(String.raw`${AMOUNT}\s*(руб${W}\.?|р\.?(?![а-я])|₽|rub${W}|rur)`, 'g');
const PER_UNIT = new RegExp(String.raw`(?:за|/)\s*(?:пог${W}\.?\s*|погонн${W}\s*|квадратн${W}\s*)?(?:метр${W}|м2|м²|кв${W}\.?\s*м|м\.?(?![а-я])|рулон${W}|лист${W}|штук${W}|шт\.?|единиц${W})`, 'g');
const CHEAP = new RegExp(String.raw`(?:самы[а-я]\s+)?(?:подешевле|дешев${W}|недорог${W}|бюджетн${W}|low[- ]?cost|по\s+низкой\s+цене|экономичн${W})`, 'g');
const IN_STOCK = new RegExp(
  String.raw`(?:есть\s+)?в\s+наличи${W}|наличи${W}|на\s+склад${W}|в\s+сток${W}|есть\s+сейчас|сразу\s+забрать|можно\s+забрать|готов${W}\s+к\s+отгрузк${W}|in\s+stock`,
  'g',
);

function amount(digits: string, multiplier: string | undefined): number {
  const base = Number(digits.replace(/[  ]/g, '').replace(',', '.'));
  if (!multiplier) return base;
  if (/^(млн|миллион)/.test(multiplier)) return base * 1_000_000;
  return base * 1000;
}

/** Money is meant when a currency or "тыс" is written, or the number is too big for anything else. */
function isMoney(value: number, multiplier: string | undefined, currency: string | undefined): boolean {
  return Boolean(currency || multiplier) || value >= 100;
}

const NUMBER_WORDS: Record<string, number> = {
  одна: 1, одну: 1, две: 2, три: 3, четыре: 4, пять: 5, шесть: 6, семь: 7, восемь: 8, девять: 9, десять: 10,
  пятнадцать: 15, двадцать: 20, тридцать: 30, сорок: 40, пятьдесят: 50, сто: 100, двести: 200, триста: 300, пятьсот: 500,
  пяти: 5, десяти: 10, двух: 2, трех: 3, двадцати: 20, ста: 100,
};

/** "пять тысяч" → "5 тысяч", "тысяча рублей" → "1 тысяча рублей": amounts written in words. */
function numbersInWords(text: string): string {
  return text
    .replace(/(?<![а-я])(одна|одну|две|три|четыре|пять|шесть|семь|восемь|девять|десять|пятнадцать|двадцать|тридцать|сорок|пятьдесят|сто|двести|триста|пятьсот|пяти|десяти|двух|трех|двадцати|ста)\s+(тыс[а-я]*|млн|миллион[а-я]*)/g, (_, n: string, unit: string) => `${NUMBER_WORDS[n]} ${unit}`)
    .replace(/(?<![\dа-я]\s?)(тысяч[а-я]*)\s+(руб)/g, '1 $1 $2');
}

/**
 * Finds a price limit, a wish for something cheap, and a wish for what is in stock in
 * normalised text (measures already cut out), and returns the text without them.
 */
export function extractPriceAndStock(text: string): { price?: PriceLimit; cheap: boolean; inStock: boolean; rest: string } {
  let price: PriceLimit | undefined;
  let rest = numbersInWords(text).replace(RANGE, (...m: Array<string | undefined>) => {
    const [whole, a1, ma1, a2, ma2, b, mb, cur] = m as [string, ...Array<string | undefined>];
    const a = a1 ?? a2!;
    const ma = ma1 ?? ma2;
    // "2-3 тыс": the multiplier written once applies to both ends, unless that would put the
    // low end above the high one ("от 100 000 до 1,5 млн").
    const high = amount(b!, mb ?? ma);
    const borrowed = amount(a, ma ?? mb);
    const low = ma || borrowed <= high ? borrowed : amount(a, undefined);
    const dashed = a2 !== undefined;
    if (price || !isMoney(high, mb ?? ma, cur) || low > high || (dashed && !cur && !mb && !ma)) return whole;
    price = { min: low, max: high };
    return ' ';
  });
  rest = rest.replace(WITH_OP, (whole, op: string, digits: string, mult: string | undefined, cur: string | undefined) => {
    const value = amount(digits, mult);
    if (price || !isMoney(value, mult, cur) || (op === 'за' && !cur && !mult)) return whole;
    if (new RegExp(`^(${NEAR_OPS})$`).test(op)) price = { min: value * 0.75, max: value * 1.25 };
    else if (new RegExp(`^(${MIN_OPS})$`).test(op)) price = { min: value, max: Infinity };
    else price = { min: 0, max: value };
    return ' ';
  });
  rest = rest.replace(BARE, (whole, digits: string, mult: string | undefined) => {
    if (price) return whole;
    // "пленка 500 рублей": the visitor names what they mean to pay; a little over still fits.
    price = { min: 0, max: amount(digits, mult) * 1.1 };
    return ' ';
  });
  if (price) rest = rest.replace(PER_UNIT, ' ');
  let cheap = false;
  rest = rest.replace(CHEAP, () => {
    cheap = true;
    return ' ';
  });
  let inStock = false;
  rest = rest.replace(IN_STOCK, () => {
    inStock = true;
    return ' ';
  });
  return { price, cheap, inStock, rest };
}
