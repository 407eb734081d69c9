/**
 * What a visitor's question asks for, split into the parts each needs its own matching: words
 * for the text index, colours, measures, a price limit, "cheap" and "in stock".
 */
import { normalizeText, tokenizeGroups } from '../text/normalize.js';
import { modifierFlags } from '../text/phrase-head.js';
import { isStopWord } from '../text/stop-words.js';
import { findColors, type ColorMention, type Palette } from './colors.js';
import { extractMeasures, type Measure } from './measures.js';
import { extractPriceAndStock, type PriceLimit } from './price.js';

/** A word group left for the text index (a code's group holds its parts). */
export interface QueryWord {
  group: string[];
  /** In the modifier part of the question ("для плоттера"), not the head ("пленка"). */
  modifier: boolean;
}

/** A question split into what each kind of matching needs. */
export interface ParsedQuery {
  /** Words left for the text index, stop words removed. */
  words: QueryWord[];
  colors: ColorMention[];
  measures: Measure[];
  price?: PriceLimit;
  cheap: boolean;
  inStock: boolean;
}

/** Splits a question into its parts; never fails, an empty question gives an empty query. */
export function parseQuery(question: string, palette?: Palette): ParsedQuery {
  const { measures, rest: afterMeasures } = extractMeasures(normalizeText(question));
  const { price, cheap, inStock, rest } = extractPriceAndStock(afterMeasures);
  const groups = tokenizeGroups(rest);
  const firsts = groups.map((g) => g[0]!);
  const { colors, used } = findColors(firsts, { typos: true, palette });
  const modifiers = modifierFlags(firsts, (w) => !isStopWord(w));
  const words = groups
    .map((group, i) => ({ group, modifier: modifiers[i]!, keep: !used.has(i) && !isStopWord(group[0]!) }))
    .filter((w) => w.keep)
    .map(({ group, modifier }) => ({ group, modifier }));
  return { words, colors, measures, price, cheap, inStock };
}
