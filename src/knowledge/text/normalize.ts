/**
 * Text normalisation shared by indexing and querying, so both sides see the same tokens:
 * lower case, `ё` as `е`, look-alike Latin letters inside Cyrillic words (and back), decimal
 * commas as dots, and mixed letter-digit model codes split into their parts.
 */

const LATIN_TO_CYRILLIC: Record<string, string> = {
  a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в',
};
const CYRILLIC_TO_LATIN: Record<string, string> = {
  а: 'a', с: 'c', е: 'e', о: 'o', р: 'p', х: 'x', у: 'y', к: 'k', м: 'm', т: 't', н: 'h', в: 'b',
};

const CYRILLIC = /[а-я]/g;
const LATIN = /[a-z]/g;

/** Lower case, `ё`→`е`, typographic dashes, quotes and the multiplication sign made plain. */
export function normalizeText(text: string): string {
  // NFKC (full-width letters, ligatures, "²") only when there is something beyond ASCII and Cyrillic.
  return (/[^\t-\u00ff\u0400-\u04ff]/.test(text) ? text.normalize('NFKC') : text)
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[‐-―−]/g, '-')
    .replace(/[×*]/g, 'x')
    .replace(/(\d)\s*[хx]\s*(?=\d)/g, '$1x')
    .replace(/[«»„“”"']/g, ' ');
}

/**
 * A word typed with a few look-alike letters of the other alphabet ("плeнка" with a Latin e) is
 * rewritten in the alphabet of its majority, so it matches the index.
 */
export function fixMixedScript(word: string): string {
  if (!/[a-z]/.test(word) || !/[а-я]/.test(word)) return word;
  const cyr = word.match(CYRILLIC)?.length ?? 0;
  const lat = word.match(LATIN)?.length ?? 0;
  if (cyr === 0 || lat === 0) return word;
  const table = cyr >= lat ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
  const converted = [...word].map((ch) => table[ch] ?? ch).join('');
  // Only when every foreign letter has a twin; otherwise it is a real mixed code ("pvc-пленка").
  return (cyr >= lat ? /[a-z]/ : /[а-я]/).test(converted) ? word : converted;
}

/** Whether a token is a number (integer or decimal with a dot). */
export function isNumeric(token: string): boolean {
  return /^\d+(\.\d+)?$/.test(token);
}

/** Whether a token has Cyrillic letters. */
export function isCyrillic(token: string): boolean {
  return /[а-я]/.test(token);
}

/**
 * Splits text into groups of word tokens: a plain word is a group of one; a code that mixes
 * letters and digits ("cjv150-130", "vs640i") is one group holding the joined code and each part,
 * so "CJV150" finds "CJV 150" and the other way round. Decimal commas become dots ("1,26" →
 * "1.26").
 */
export function tokenizeGroups(text: string): string[][] {
  const groups: string[][] = [];
  const spaced = normalizeText(text).replace(/(\d),(\d)/g, '$1.$2');
  for (const raw of spaced.split(/[^a-zа-я0-9.\-/]+/)) {
    // Dots stay only inside numbers; slashes and hyphens split words but join code parts.
    const pieces = raw.includes('.') ? raw.replace(/(?<!\d)\.|\.(?!\d)/g, ' ').split(/\s+/) : [raw];
    for (const piece of pieces) {
      if (piece) groups.push(...groupsOfPiece(piece));
    }
  }
  return groups;
}

/** The tokens of a text, each once per code: what the index stores. */
export function tokenize(text: string): string[] {
  return tokenizeGroups(text).flat();
}

/** A piece that is one word or one number: nothing to split, join or expand. */
const PLAIN_PIECE = /^(?:[a-zа-я]+|\d+(?:\.\d+)?)$/;

function groupsOfPiece(piece: string): string[][] {
  // Most pieces; the general path below gives the same for them, through five more tests.
  if (PLAIN_PIECE.test(piece)) return [[fixMixedScript(piece)]];
  const sub = piece.split(/[-/]+/).filter(Boolean).map(fixMixedScript);
  // "VS-640i" is also written "VS640i"; "CE7000-60" (model and size) is not joined.
  const isCode = sub.length > 1 && sub.some((s) => /\d/.test(s)) && sub.some((s) => /^[a-zа-я]+$/.test(s));
  if (isCode) {
    const words = new Set<string>([sub.join('')]);
    for (const s of sub) for (const w of expandCode(s)) words.add(w);
    return [[...words]];
  }
  return sub.map(expandCode);
}

function expandCode(word: string): string[] {
  if (!/\d/.test(word) || isNumeric(word) || !/[a-zа-я]/.test(word)) return [word];
  const runs = word.match(/[a-zа-я]+|\d+(?:\.\d+)?/g) ?? [];
  const pieces = runs.filter((r) => r.length > 1 || /\d/.test(r));
  return [word, ...pieces.filter((p) => p !== word)];
}
