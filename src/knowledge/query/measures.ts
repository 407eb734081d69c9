/**
 * Sizes, thicknesses, densities and volumes in their many spellings ("3 мм", "3мм", "1,26 м",
 * "126 см", "1260 мм", "80 мкм", "510 г/м2", "1,37x50 м", "трехмиллиметровый", "толщина 5"),
 * reduced to one unit per kind so that "126 см" and "1,26 м" are the same number. Used on both
 * sides: offers' names and parameters, and visitors' questions.
 */

/** What a measure measures. */
export type MeasureKind = 'length' | 'density' | 'volume' | 'mass';

/** Which dimension a number describes, when the text says so. */
export type MeasureHint = 'thickness' | 'width' | 'length' | 'height' | 'density' | 'volume';

/** A value or range in base units: millimetres, grams per m², millilitres, grams. */
export interface Measure {
  kind: MeasureKind;
  min: number;
  max: number;
  hint?: MeasureHint;
}

const NUM = String.raw`\d+(?:[.,]\d+)?`;
/** Rest of a word: `\w` in JavaScript regular expressions knows no Cyrillic. */
const W = '[а-яa-z]*';

/** Unit spellings, longest first, with their kind and factor to the base unit. */
const UNITS: Array<{ re: string; kind: MeasureKind; factor: number }> = [
  { re: String.raw`(?:мкм|микрон${W}|mkm|µm|um)(?![а-яa-z])`, kind: 'length', factor: 0.001 },
  { re: String.raw`(?:мм|миллиметр${W}|mm)(?![а-яa-z])`, kind: 'length', factor: 1 },
  { re: String.raw`(?:см|сантиметр${W}|cm)(?![а-яa-z])`, kind: 'length', factor: 10 },
  // Single Latin letters count as units only after a space: "641M" is a model, "3 m" a length.
  { re: String.raw`(?:г|гр|g)\s*/\s*(?:м2|м²|кв\.?\s*м|m2|sqm)|gsm|грамм${W}|гр(?![а-я])|г(?![а-я])`, kind: 'density', factor: 1 },
  { re: String.raw`метр${W}|м(?![а-я0-9²])|(?<=\s)m(?![a-z0-9²])`, kind: 'length', factor: 1000 },
  { re: String.raw`(?:мл|миллилитр${W}|ml)(?![а-яa-z])`, kind: 'volume', factor: 1 },
  { re: String.raw`литр${W}|л(?![а-я])|(?<=\s)l(?![a-z])`, kind: 'volume', factor: 1000 },
  { re: String.raw`(?:кг|килограмм${W}|kg)(?![а-яa-z])`, kind: 'mass', factor: 1000 },
];
const UNIT_RE = UNITS.map((u) => `(${u.re})`).join('|');

const HINTS: Array<[RegExp, MeasureHint]> = [
  [/^толщин|^толщ|^thick/, 'thickness'],
  [/^ширин|^width/, 'width'],
  [/^длин|^намотк|^length/, 'length'],
  [/^высот|^height/, 'height'],
  [/^плотност|^density|^вес/, 'density'],
  [/^объем|^емкост|^volume/, 'volume'],
];

const NUMBER_WORDS: Record<string, number> = {
  одно: 1, двух: 2, трех: 3, четырех: 4, пяти: 5, шести: 6, семи: 7, восьми: 8, девяти: 9, десяти: 10,
};

function toNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

function unitOf(groups: Array<string | undefined>): { kind: MeasureKind; factor: number } | undefined {
  const i = groups.findIndex((g) => g !== undefined);
  return i === -1 ? undefined : UNITS[i];
}

/** The hint a word ("толщиной", "ширина") gives for the number after it. */
export function hintOf(word: string | undefined): MeasureHint | undefined {
  return word ? HINTS.find(([re]) => re.test(word))?.[1] : undefined;
}

/** A bare number after a hint word: the unit people mean, judged by the hint and magnitude. */
function guessUnit(value: number, hint: MeasureHint): { kind: MeasureKind; factor: number } {
  if (hint === 'density') return { kind: 'density', factor: 1 };
  if (hint === 'volume') return { kind: 'volume', factor: value <= 10 ? 1000 : 1 };
  if (hint === 'thickness') return { kind: 'length', factor: value <= 30 ? 1 : 0.001 };
  return { kind: 'length', factor: value < 10 ? 1000 : value < 500 ? 10 : 1 };
}

function range(value: number, op: string | undefined): [number, number] {
  if (op && /^(до|не более|не больше|не толще|максимум|меньше)/.test(op)) return [0, value];
  if (op && /^(от|не менее|не меньше|больше|более|толще|минимум)/.test(op)) return [value, Infinity];
  return [value, value];
}

const OP = String.raw`(до|не более|не больше|не толще|максимум|меньше|от|не менее|не меньше|больше|более|толще|минимум)?\s*`;
const HINT_WORD = String.raw`(?:(толщин${W}|толщ\.?|ширин${W}|длин${W}|намотк${W}|высот${W}|плотност${W}|объем${W}|емкост${W})(?:\s+[а-я]{3,})?)?\s*[:\-]?\s*`;
const WITH_UNIT = new RegExp(
  String.raw`${HINT_WORD}${OP}(${NUM})(?:\s*(?:-|до)\s*(${NUM}))?(?:\s*x\s*(${NUM}))?(?:\s*x\s*(${NUM}))?\s*-?\s*(?:х|ти|ми|и)?\s*-?\s*(?:${UNIT_RE})`,
  'g',
);
const PAIR = new RegExp(String.raw`(?<![\d.,])(${NUM})\s*x\s*(${NUM})(?:\s*x\s*(${NUM}))?(?![\d.,]|\s*[a-zа-я])`, 'g');
const HINTED = new RegExp(String.raw`(толщин${W}|ширин${W}|длин${W}|высот${W}|плотност${W}|объем${W})(?:\s+[а-я]{3,})?\s*[:\-]?\s*${OP}(${NUM})(?![\d.,]|\s*[a-zа-я%])`, 'g');
/** "1,5 на 4 метра": built once, not per call (a name of each of 50,000 offers is read). */
const BY_NA = new RegExp(String.raw`(\d)\s+на\s+(?=${NUM}\s*(?:мм|см|м(?![а-я])|метр|mm|cm|m(?![a-z])))`, 'g');
const WORDED = /(одно|двух|трех|четырех|пяти|шести|семи|восьми|девяти|десяти)\s*-?\s*(миллиметр|сантиметр|метр)[а-я]*/g;

/**
 * Finds the measures in normalised text (see `normalizeText`) and returns them with the text
 * that is left once they are cut out, so their numbers do not also count as words.
 */
export function extractMeasures(text: string): { measures: Measure[]; rest: string } {
  const measures: Measure[] = [];
  let rest = text
    // "1000ммx50м": each number with its own unit; the unit must not swallow the "x".
    .replace(/(\d\s*(?:мм|см|м|mm|cm|m))x(?=\s*\d)/g, '$1 x ')
    // "1,5 на 4 метра": a format written with "на", as customers say it.
    .replace(BY_NA, '$1x')
    .replace(WITH_UNIT, (...m: Array<string | undefined>) => {
    const [, hintWord, op, a, to, b, c] = m;
    const unit = unitOf(m.slice(7, 7 + UNITS.length));
    if (!unit) return ' ';
    const hint = hintOf(hintWord);
    if (to !== undefined) {
      measures.push({ kind: unit.kind, min: toNumber(a!) * unit.factor, max: toNumber(to) * unit.factor, hint });
      return ' ';
    }
    for (const [i, value] of [a, b, c].entries()) {
      if (value === undefined) continue;
      const [min, max] = range(toNumber(value) * unit.factor, i === 0 ? op : undefined);
      measures.push({ kind: unit.kind, min, max, hint: i === 0 ? hint : undefined });
    }
    return ' ';
  });
  rest = rest.replace(PAIR, (_, a: string, b: string, c: string | undefined) => {
    const values = [a, b, c].filter((v): v is string => v !== undefined).map(toNumber);
    // "1,26x50" is metres (width x length of a roll); "2050x3050" is millimetres (a sheet).
    const factor = values[0]! < 10 ? 1000 : values.every((v) => v >= 100) ? 1 : 10;
    for (const v of values) measures.push({ kind: 'length', min: v * factor, max: v * factor });
    return ' ';
  });
  rest = rest.replace(HINTED, (_, hintWord: string, op: string | undefined, value: string) => {
    const hint = hintOf(hintWord)!;
    const unit = guessUnit(toNumber(value), hint);
    const [min, max] = range(toNumber(value) * unit.factor, op);
    measures.push({ kind: unit.kind, min, max, hint });
    return ' ';
  });
  rest = rest.replace(WORDED, (_, word: string, unit: string) => {
    const value = NUMBER_WORDS[word]! * (unit === 'миллиметр' ? 1 : unit === 'сантиметр' ? 10 : 1000);
    measures.push({ kind: 'length', min: value, max: value });
    return ' ';
  });
  return { measures, rest };
}

/** Whether an offer's measure satisfies a query's, allowing 2% for rounding ("1,27 м" ~ "1,26 м"). */
export function measureMatches(query: Measure, offer: Measure): boolean {
  if (query.kind !== offer.kind) return false;
  if (query.hint && offer.hint && query.hint !== offer.hint) return false;
  const tolerance = (v: number): number => Math.max(Math.abs(v) * 0.02, 1e-6);
  return offer.max >= query.min - tolerance(query.min) && offer.min <= query.max + tolerance(query.max);
}
