/**
 * Cross-script matching of brand and model names: visitors write "оракал" for Oracal, "графтек"
 * for Graphtec, "plenka" for пленка. Both scripts are reduced to one phonetic Latin key, and keys
 * are compared with an edit distance where vowels count half, because vowels are what
 * transliteration gets wrong ("эвери"/"avery").
 */

const CYR: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l',
  м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch',
  ш: 'sh', щ: 'sh', ъ: '', ы: 'i', ь: '', э: 'e', ю: 'iu', я: 'ia',
};

/** Latin spellings reduced to how a Russian speaker would hear them, applied in order. */
const LATIN_RULES: Array<[RegExp, string]> = [
  [/sch/g, 'sh'],
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/gh/g, 'g'],
  [/kh/g, 'h'],
  [/ck/g, 'k'],
  [/tz/g, 'ts'],
  [/c(?=[eiy])/g, 's'],
  [/c/g, 'k'],
  [/qu/g, 'kv'],
  [/q/g, 'k'],
  [/w/g, 'v'],
  [/x/g, 'ks'],
  [/j/g, 'dzh'],
  [/y/g, 'i'],
  [/ee/g, 'i'],
  [/oo/g, 'u'],
];

/** The phonetic key of a normalised word in either script; digits are kept. */
export function phoneticKey(word: string): string {
  let latin = [...word].map((ch) => CYR[ch] ?? ch).join('');
  latin = latin.replace(/дж/g, 'dzh');
  for (const [pattern, replacement] of LATIN_RULES) latin = latin.replace(pattern, replacement);
  // Double letters are a spelling habit, not a sound: "summa"/"сума", "баннер"/"baner".
  return latin.replace(/(.)\1+/g, '$1');
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  return VOWELS.has(a) && VOWELS.has(b) ? 0.5 : 1;
}

function indelCost(ch: string): number {
  return VOWELS.has(ch) ? 0.5 : 1;
}

/** Two rows of the distance table, reused: a search scans hundreds of keys per question word. */
let previousRow = new Float64Array(32);
let currentRow = new Float64Array(32);

/**
 * Weighted edit distance between two phonetic keys, giving up (returning `Infinity`) as soon as
 * it must exceed `limit`, which keeps a scan of a large vocabulary cheap.
 */
export function phoneticDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit * 2) return Infinity;
  if (previousRow.length <= b.length) {
    previousRow = new Float64Array(b.length * 2 + 1);
    currentRow = new Float64Array(b.length * 2 + 1);
  }
  let previous = previousRow;
  let current = currentRow;
  previous[0] = 0;
  for (let j = 1; j <= b.length; j++) previous[j] = previous[j - 1]! + indelCost(b[j - 1]!);
  for (let i = 1; i <= a.length; i++) {
    current[0] = previous[0]! + indelCost(a[i - 1]!);
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(
        previous[j]! + indelCost(a[i - 1]!),
        current[j - 1]! + indelCost(b[j - 1]!),
        previous[j - 1]! + substitutionCost(a[i - 1]!, b[j - 1]!),
      );
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return Infinity;
    const done = previous;
    previous = current;
    current = done;
  }
  return previous[b.length]!;
}

/** How far apart two keys of this length may be and still name the same thing. */
export function phoneticLimit(key: string): number {
  if (key.length < 4) return 0;
  return key.length >= 8 ? 1.5 : 1;
}

const QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const JCUKEN = 'йцукенгшщзхъфывапролджэячсмитьбюё';

/** The word as it would read had the visitor typed it with the other keyboard layout on. */
export function switchLayout(word: string): string {
  const fromLatin = /[a-z]/.test(word);
  const [from, to] = fromLatin ? [QWERTY, JCUKEN] : [JCUKEN, QWERTY];
  return [...word].map((ch) => {
    const i = from.indexOf(ch);
    return i >= 0 ? to[i]! : ch;
  }).join('');
}
