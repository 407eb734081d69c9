/**
 * Term processing for the search index and for queries: Russian Snowball stems for Cyrillic
 * words; Latin words and numbers as they are, because in a Russian catalog they are brands and
 * model codes ("Oracal", "Avery"), which an English stemmer would mangle. Every word also yields its
 * "root" without a derivational adjective suffix, so "баннерная" (stem "баннерн") meets "баннер"
 * and "плоттерной" meets "плоттер", which stemming alone keeps apart.
 */
import snowball from 'snowball-stemmers';
import { isCyrillic, isNumeric } from './normalize.js';

const russian = snowball.newStemmer('russian');
const cache = new Map<string, string[]>();
// Bounded so a long-running process fed arbitrary visitor text does not grow without limit.
const CACHE_LIMIT = 200_000;

/** Adjective-forming suffixes left on a Russian stem, longest first. */
const DERIVATIONAL = ['ическ', 'овск', 'инск', 'ист', 'ов', 'ев', 'ск', 'н'];

const stems = new Map<string, string>();

/** The stem of one normalised word. */
export function stemWord(word: string): string {
  if (isNumeric(word) || word.length < 3 || !isCyrillic(word)) return word;
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = russian.stem(word);
    if (stems.size >= CACHE_LIMIT) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

/** The stem with one derivational suffix removed, when enough of the word remains. */
export function rootOf(stem: string): string {
  if (!isCyrillic(stem)) return stem;
  for (const suffix of DERIVATIONAL) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= 4) return stem.slice(0, -suffix.length);
  }
  return stem;
}

/**
 * The index terms of one normalised token: its stem and, when different, its root. Used as
 * MiniSearch's `processTerm` on both sides, so queries and documents agree.
 */
export function termsOf(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const stem = stemWord(word);
  const root = rootOf(stem);
  const terms = root === stem ? [stem] : [stem, root];
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, terms);
  return terms;
}
