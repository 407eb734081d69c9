/**
 * The searchable form of a catalog: a compact inverted index (`TermIndex`) over each offer's
 * name, brand, category path, parameters and description, the vocabulary for query
 * understanding, and each offer's colours and measures. Built in slices of a few milliseconds
 * that give the event loop a turn, so a 50,000-offer catalog can be (re)indexed while the server
 * keeps answering; the snapshot that holds it is swapped in only when it is complete.
 */
import { DEFAULT_COLOR_FAMILIES, DEFAULT_COLOR_NEIGHBOURS, findColors, Palette, type ColorMention, type PaletteSpec } from '../query/colors.js';
import { extractMeasures, type Measure } from '../query/measures.js';
import { normalizeText, tokenize, tokenizeGroups } from '../text/normalize.js';
import { stemWord } from '../text/stem.js';
import { isStopWord } from '../text/stop-words.js';
import { splitHead } from '../text/phrase-head.js';
import { OfferStore, OfferStoreBuilder, type OfferStoreData } from './offer-store.js';
import { TermIndex, TermIndexBuilder, type TermIndexData } from './term-index.js';
import { Vocabulary, type VocabularyKeys } from './vocabulary.js';
import type { FieldRole } from './run-concepts.js';
import type { MatchFields } from './match-concepts.js';
import type { Catalog, Offer, ShopInfo } from '../catalog/offer.js';

/** A catalog ready to search: the text index, the vocabulary and the offers, by the same ids. */
export interface CatalogIndex {
  shop: ShopInfo;
  /** The offers, materialised on demand, with the fields ranking reads in typed arrays. */
  offers: OfferStore;
  text: TermIndex;
  vocabulary: Vocabulary;
  /** The colour words offers were read with; questions are read with the same. */
  palette: Palette;
  /** The content the index was made from, to hand to another thread. */
  data: CatalogIndexData;
}

/** Everything of an index as typed arrays and strings: what an indexing worker posts back. */
export interface CatalogIndexData {
  shop: ShopInfo;
  text: TermIndexData;
  offers: OfferStoreData;
  keys: VocabularyKeys;
  palette: PaletteSpec;
}

/**
 * The indexed fields hold tokens already normalised and joined by spaces. Names and category
 * names are split into the head ("Пленки") and the modifier ("для плоттерной резки"), so that
 * what an offer is weighs more than what it is for.
 */
interface IndexedDocument {
  name: string;
  nameTail: string;
  brand: string;
  category: string;
  categoryTail: string;
  params: string;
  description: string;
}

/** Index fields, in the order of `TermIndex` field numbers, and their BM25 boosts. */
export const CATALOG_FIELD_BOOST: Record<string, number> = {
  name: 3, nameTail: 1.5, brand: 2.5, category: 2, categoryTail: 1, params: 1.2, description: 0.4,
};
/** What a match in each field says about the offer: what it is, what it is for, or a mention. */
export const CATALOG_FIELD_ROLE: Readonly<Record<string, FieldRole>> = {
  name: 'head', brand: 'head', category: 'head', nameTail: 'tail', categoryTail: 'tail', params: 'tail', description: 'mention',
};

/** Description text beyond this is rarely about the product itself and slows indexing. */
const DESCRIPTION_CHARS = 400;
/** Work done between two turns of the event loop, ms: well under the 50 ms a stall may take. */
const SLICE_MS = 8;
const FIELDS = Object.keys(CATALOG_FIELD_BOOST) as Array<keyof IndexedDocument>;
/** Boosts and roles by field number, for `matchConcepts`. */
export const CATALOG_MATCH_FIELDS: MatchFields = {
  boost: FIELDS.map((f) => CATALOG_FIELD_BOOST[f]!),
  roles: FIELDS.map((f) => CATALOG_FIELD_ROLE[f] ?? 'mention'),
};

const COLOR_PARAM = /цвет|оттен|colou?r/i;

/**
 * Documents are indexed by stem only; the query side adds roots and prefixes ("баннерная" finds
 * "баннер" by its root, "баннер" finds "баннерная" by prefix), which keeps the index half the size.
 */
function processTerms(joined: string): string[] {
  const terms: string[] = [];
  for (const token of joined.split(' ')) if (token && !isStopWord(token)) terms.push(stemWord(token));
  return terms;
}

/**
 * Builds the index data. With `yieldEvery`, gives the event loop a turn after that many
 * milliseconds of work (on the main thread); an indexing worker passes none.
 */
export async function buildCatalogIndexData(catalog: Catalog, options: { yieldEveryMs?: number; palette?: PaletteSpec } = {}): Promise<CatalogIndexData> {
  const spec = options.palette ?? { families: DEFAULT_COLOR_FAMILIES, neighbours: DEFAULT_COLOR_NEIGHBOURS };
  const palette = new Palette(spec);
  const builder = new TermIndexBuilder(FIELDS.length);
  const store = new OfferStoreBuilder();
  const vocabulary = new Vocabulary();
  const categories = new Map<string, CategoryText>();
  let sliceStarted = performance.now();
  for (const offer of catalog.offers) {
    const document = toDocument(offer, categories);
    const fields = FIELDS.map((f) => document[f]);
    vocabulary.addKeysOnly(fields.join(' ').split(' '));
    builder.add(fields.map(processTerms));
    store.add(offer, offerColors(offer, palette), offerMeasures(offer));
    if (options.yieldEveryMs !== undefined && performance.now() - sliceStarted > options.yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
  return { shop: catalog.shop, text: builder.finish(), offers: store.finish(), keys: vocabulary.keys(), palette: spec };
}

/** The buffers of index data, to transfer rather than copy to another thread. */
export function transferList(data: CatalogIndexData): ArrayBuffer[] {
  const arrays = [...Object.values(data.text), ...Object.values(data.offers)];
  return arrays.filter((a): a is Uint8Array => ArrayBuffer.isView(a)).map((a) => a.buffer as ArrayBuffer);
}

/** The searchable index over index data built here or in a worker. */
export function openCatalogIndex(data: CatalogIndexData): CatalogIndex {
  const text = new TermIndex(data.text);
  const vocabulary = Vocabulary.over(data.keys, text.documents, (term) => text.documentFrequency(term), (prefix) => text.hasPrefix(prefix));
  return { shop: data.shop, offers: new OfferStore(data.offers), text, vocabulary, palette: new Palette(data.palette), data };
}

/** Builds the index on this thread, in slices that let the server keep answering. */
export async function buildCatalogIndex(catalog: Catalog, palette?: PaletteSpec): Promise<CatalogIndex> {
  return openCatalogIndex(await buildCatalogIndexData(catalog, { yieldEveryMs: SLICE_MS, palette }));
}

function joinTokens(...texts: Array<string | undefined>): string {
  return tokenize(texts.filter(Boolean).join(' ')).join(' ');
}

/** A category path's words split into what its offers are and what they are for. */
interface CategoryText {
  head: string;
  tail: string;
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
  return { head: head.join(' '), tail: tail.join(' ') };
}

/**
 * An offer whose name says it serves what its category is, and does not say it is one ("Нож для
 * плоттера" filed under "Плоттеры режущие"): the category names what it is for, not what it is.
 */
function isAccessory(name: { head: string[]; tail: string[] }, category: CategoryText): boolean {
  if (name.tail.length === 0 || !category.head) return false;
  const categoryHead = new Set(category.head.split(' ').map(stemWord));
  return name.tail.some((w) => categoryHead.has(stemWord(w))) && !name.head.some((w) => categoryHead.has(stemWord(w)));
}

function toDocument(offer: Offer, categories: Map<string, CategoryText>): IndexedDocument {
  const name = splitHead(tokenize(offer.name));
  const key = offer.categoryPath.join('\u0000');
  let category = categories.get(key);
  if (!category) categories.set(key, (category = categoryText(offer.categoryPath)));
  const accessory = isAccessory(name, category);
  return {
    name: name.head.join(' '),
    nameTail: name.tail.join(' '),
    brand: joinTokens(offer.vendor, offer.model, offer.vendorCode),
    category: accessory ? '' : category.head,
    categoryTail: accessory ? `${category.head} ${category.tail}` : category.tail,
    params: joinTokens(offer.params.map((p) => p.value).join(' ')),
    // Parameter names ("Тип чернил") say what is described, not what the offer is.
    description: joinTokens(offer.params.map((p) => p.name).join(' '), offer.description.slice(0, DESCRIPTION_CHARS)),
  };
}

function offerColors(offer: Offer, palette: Palette): ColorMention[] {
  const text = [offer.name, ...offer.params.filter((p) => COLOR_PARAM.test(p.name)).map((p) => p.value)].join(' ');
  return findColors(tokenizeGroups(text).map((g) => g[0]!), { palette }).colors;
}

function offerMeasures(offer: Offer): Measure[] {
  const measures = extractMeasures(normalizeText(offer.name)).measures;
  for (const p of offer.params) {
    if (/\d/.test(p.value)) measures.push(...extractMeasures(normalizeText(`${p.name} ${p.value} ${p.unit ?? ''}`)).measures);
  }
  return measures;
}
