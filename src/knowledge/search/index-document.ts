/**
 * What the index reads of an offer: its words per field (stems, as the `TermIndex` keeps them),
 * its colours and its measures. Offers of one catalog repeat most of their text — the variants of
 * a film share the description, the brand and the parameters, and differ in colour and width —
 * so the text work on those parts is remembered for the length of one build. Names and category
 * paths are split into the head ("Пленки") and the modifier ("для плоттерной резки"), so that
 * what an offer is weighs more than what it is for.
 */
import { findColors, type ColorMention, type Palette } from '../query/colors.js';
import { extractMeasures, type Measure } from '../query/measures.js';
import { normalizeText, tokenize, tokenizeGroups } from '../text/normalize.js';
import { splitHead } from '../text/phrase-head.js';
import { stemWord } from '../text/stem.js';
import { isStopWord } from '../text/stop-words.js';
import { Vocabulary } from './vocabulary.js';
import type { Offer } from '../catalog/offer.js';

/** Index fields, in the order of `TermIndex` field numbers. */
export const DOCUMENT_FIELDS = ['name', 'nameTail', 'brand', 'category', 'categoryTail', 'params', 'description'] as const;

/** Description text beyond this is rarely about the product itself and slows indexing. */
const DESCRIPTION_CHARS = 400;
/** Entries a cache holds before it starts over: bounds a build's memory on a feed of unique texts. */
const CACHE_ENTRIES = 20_000;
const COLOR_PARAM = /цвет|оттен|colou?r/i;

/** A category path's words split into what its offers are and what they are for. */
export interface CategoryText {
  head: string[];
  tail: string[];
}

/**
 * The head and tail words of a category path. An ancestor's word that a deeper level names only
 * as what it serves ("Гибкий неон" above "Аксессуары для неона", "Поликарбонат" above
 * "Комплектующие для поликарбоната") moves to the tail: those offers serve the thing, they are not it.
 */
export function categoryText(path: string[]): CategoryText {
  const levels = path.map((c) => splitHead(tokenize(c)));
  const head: string[] = [];
  const tail: string[] = [];
  levels.forEach((level, l) => {
    const served = new Set(levels.slice(l + 1).flatMap((deeper) => deeper.tail.map(stemWord)));
    for (const word of level.head) (served.has(stemWord(word)) ? tail : head).push(word);
    tail.push(...level.tail);
  });
  return { head, tail };
}

/**
 * An offer whose name says it serves what its category is, and does not say it is one ("Нож для
 * плоттера" filed under "Плоттеры режущие"): the category names what it is for, not what it is.
 * `categoryHead` holds the stems of the category's head words, kept with the category.
 */
function isAccessory(name: { head: string[]; tail: string[] }, category: CategoryText, categoryHead: Set<string>): boolean {
  if (name.tail.length === 0 || category.head.length === 0) return false;
  return name.tail.some((w) => categoryHead.has(stemWord(w))) && !name.head.some((w) => categoryHead.has(stemWord(w)));
}

/** A map that starts over when full. */
function remember<T>(cache: Map<string, T>, key: string, make: (key: string) => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_ENTRIES) cache.clear();
    value = make(key);
    cache.set(key, value);
  }
  return value;
}

/** Reads offers for one index build; see the module comment. */
export class OfferDocuments {
  /** Phonetic keys of every word met, for the query side's cross-script lookups. */
  readonly vocabulary = new Vocabulary();
  /** A category path's text and its stems, as the fields and `isAccessory` use them. */
  private readonly categories = new Map<string, CategoryText & { headStems: string[]; tailStems: string[]; allStems: string[]; headStemSet: Set<string> }>();
  private readonly texts = new Map<string, string[]>();
  private readonly measureTexts = new Map<string, Measure[]>();
  /** The words of colour parameters' values ("010 белый"), which repeat across a film's variants. */
  private readonly colorWords = new Map<string, string[]>();

  constructor(private readonly palette: Palette) {}

  /**
   * The offer's stems per field of `DOCUMENT_FIELDS` (stop words dropped), colours and measures.
   * Arrays may be shared between offers: do not change them.
   */
  read(offer: Offer): { terms: string[][]; colors: ColorMention[]; measures: Measure[] } {
    // The name is normalised and split once for all three.
    const normalized = normalizeText(offer.name);
    const groups = tokenizeGroups(normalized);
    return { terms: this.terms(offer, groups.flat()), colors: this.colors(offer, groups), measures: this.measures(offer, normalized) };
  }

  private terms(offer: Offer, nameTokens: string[]): string[][] {
    const name = splitHead(nameTokens);
    this.vocabulary.addKeysOnly(name.head);
    this.vocabulary.addKeysOnly(name.tail);
    const category = remember(this.categories, offer.categoryPath.join('\u0000'), () => {
      const text = categoryText(offer.categoryPath);
      this.vocabulary.addKeysOnly([...text.head, ...text.tail]);
      return {
        ...text,
        headStems: shared(stems(text.head)),
        tailStems: shared(stems(text.tail)),
        allStems: shared(stems([...text.head, ...text.tail])),
        headStemSet: new Set(text.head.map(stemWord)),
      };
    });
    const accessory = isAccessory(name, category, category.headStemSet);
    const params: string[] = [];
    for (const p of offer.params) params.push(...this.textTerms(p.value));
    return [
      stems(name.head),
      stems(name.tail),
      this.textTerms([offer.vendor, offer.model, offer.vendorCode].filter(Boolean).join(' ')),
      accessory ? [] : category.headStems,
      accessory ? category.allStems : category.tailStems,
      params,
      // Parameter names ("Тип чернил") say what is described, not what the offer is.
      this.textTerms(`${offer.params.map((p) => p.name).join(' ')} ${offer.description.slice(0, DESCRIPTION_CHARS)}`),
    ];
  }

  /** The colours of the offer's name and colour parameters. */
  private colors(offer: Offer, nameGroups: string[][]): ColorMention[] {
    const words = nameGroups.map((g) => g[0]!);
    for (const p of offer.params) if (COLOR_PARAM.test(p.name)) words.push(...remember(this.colorWords, p.value, firstWords));
    return findColors(words, { palette: this.palette }).colors;
  }

  /** The measures of the offer's name and of its parameters with digits. */
  private measures(offer: Offer, normalizedName: string): Measure[] {
    const measures = extractMeasures(normalizedName).measures;
    for (const p of offer.params) {
      if (!/\d/.test(p.value)) continue;
      measures.push(...remember(this.measureTexts, `${p.name} ${p.value} ${p.unit ?? ''}`, (text) => extractMeasures(normalizeText(text)).measures));
    }
    return measures;
  }

  /** The stems of a text, remembered; its words' phonetic keys are added the first time. */
  private textTerms(text: string): string[] {
    if (!text) return [];
    return remember(this.texts, text, () => {
      const tokens = tokenize(text);
      this.vocabulary.addKeysOnly(tokens);
      return shared(stems(tokens));
    });
  }
}

/**
 * Marks an array of stems that many offers share (it is remembered here): frozen, so no one
 * changes it, and so `TermIndexBuilder` counts its terms once rather than per offer.
 */
function shared(terms: string[]): string[] {
  return Object.freeze(terms) as string[];
}

/** The first word of each token group: what colours are looked up in. */
function firstWords(text: string): string[] {
  return tokenizeGroups(text).map((g) => g[0]!);
}

/**
 * Documents are indexed by stem only; the query side adds roots and prefixes ("баннерная" finds
 * "баннер" by its root, "баннер" finds "баннерная" by prefix), which keeps the index half the size.
 */
function stems(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) if (token && !isStopWord(token)) out.push(stemWord(token));
  return out;
}
