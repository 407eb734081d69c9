/**
 * The searchable form of a catalog: a MiniSearch full-text index over each offer's name, brand,
 * category path, parameters and description, the vocabulary for query understanding, and each
 * offer's colours and measures. Built in chunks that give the event loop a turn, so a
 * 50,000-offer catalog can be (re)indexed while the server keeps answering.
 */
import MiniSearch from 'minisearch';
import { findColors, type ColorMention } from '../query/colors.js';
import { extractMeasures, type Measure } from '../query/measures.js';
import { normalizeText, tokenize, tokenizeGroups } from '../text/normalize.js';
import { stemWord } from '../text/stem.js';
import { isStopWord } from '../text/stop-words.js';
import { splitHead } from '../text/phrase-head.js';
import { Vocabulary } from './vocabulary.js';
import type { FieldRole } from './run-concepts.js';
import type { Catalog, Offer, ShopInfo } from '../catalog/offer.js';

/** An offer with what the ranking needs besides text. */
export interface IndexedOffer {
  offer: Offer;
  /** Colours named in the name or parameters. */
  colors: ColorMention[];
  measures: Measure[];
}

/** A catalog ready to search: the text index, the vocabulary and the offers' features, by the same ids. */
export interface CatalogIndex {
  shop: ShopInfo;
  offers: IndexedOffer[];
  text: MiniSearch<IndexedDocument>;
  vocabulary: Vocabulary;
}

/**
 * The indexed fields hold tokens already normalised and joined by spaces. Names and category
 * names are split into the head ("Пленки") and the modifier ("для плоттерной резки"), so that
 * what an offer is weighs more than what it is for.
 */
interface IndexedDocument {
  id: number;
  name: string;
  nameTail: string;
  brand: string;
  category: string;
  categoryTail: string;
  params: string;
  description: string;
}

/** Index fields and their BM25 boosts. */
export const CATALOG_FIELD_BOOST: Record<string, number> = {
  name: 3, nameTail: 1.5, brand: 2.5, category: 2, categoryTail: 1, params: 1.2, description: 0.4,
};
/** What a match in each field says about the offer: what it is, what it is for, or a mention. */
export const CATALOG_FIELD_ROLE: Readonly<Record<string, FieldRole>> = {
  name: 'head', brand: 'head', category: 'head', nameTail: 'tail', categoryTail: 'tail', params: 'tail', description: 'mention',
};

/** Description text beyond this is rarely about the product itself and slows indexing. */
const DESCRIPTION_CHARS = 400;
const CHUNK = 250;

const COLOR_PARAM = /цвет|оттен|colou?r/i;

/**
 * Documents are indexed by stem only; the query side adds roots and prefixes ("баннерная" finds
 * "баннер" by its root, "баннер" finds "баннерная" by prefix), which keeps the index half the size.
 */
function processTerm(term: string): string | null {
  return isStopWord(term) ? null : stemWord(term);
}

/** Builds the index; yields to the event loop between chunks of offers. */
export async function buildCatalogIndex(catalog: Catalog): Promise<CatalogIndex> {
  const text = new MiniSearch<IndexedDocument>({
    fields: Object.keys(CATALOG_FIELD_BOOST),
    tokenize: (joined) => joined.split(' '),
    processTerm,
  });
  const vocabulary = new Vocabulary();
  const offers: IndexedOffer[] = [];
  for (let start = 0; start < catalog.offers.length; start += CHUNK) {
    const documents = catalog.offers.slice(start, start + CHUNK).map((offer, i) => {
      const document = toDocument(offer, start + i);
      vocabulary.addDocument(Object.values(document).filter((v): v is string => typeof v === 'string').join(' ').split(' '));
      offers.push({ offer, colors: offerColors(offer), measures: offerMeasures(offer) });
      return document;
    });
    text.addAll(documents);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { shop: catalog.shop, offers, text, vocabulary };
}

function joinTokens(...texts: Array<string | undefined>): string {
  return tokenize(texts.filter(Boolean).join(' ')).join(' ');
}

function toDocument(offer: Offer, id: number): IndexedDocument {
  const name = splitHead(tokenize(offer.name));
  const categories = offer.categoryPath.map((c) => splitHead(tokenize(c)));
  return {
    id,
    name: name.head.join(' '),
    nameTail: name.tail.join(' '),
    brand: joinTokens(offer.vendor, offer.model, offer.vendorCode),
    category: categories.flatMap((c) => c.head).join(' '),
    categoryTail: categories.flatMap((c) => c.tail).join(' '),
    params: joinTokens(offer.params.map((p) => p.value).join(' ')),
    // Parameter names ("Тип чернил") say what is described, not what the offer is.
    description: joinTokens(offer.params.map((p) => p.name).join(' '), offer.description.slice(0, DESCRIPTION_CHARS)),
  };
}

function offerColors(offer: Offer): ColorMention[] {
  const text = [offer.name, ...offer.params.filter((p) => COLOR_PARAM.test(p.name)).map((p) => p.value)].join(' ');
  return findColors(tokenizeGroups(text).map((g) => g[0]!)).colors;
}

function offerMeasures(offer: Offer): Measure[] {
  const measures = extractMeasures(normalizeText(offer.name)).measures;
  for (const p of offer.params) {
    if (/\d/.test(p.value)) measures.push(...extractMeasures(normalizeText(`${p.name} ${p.value} ${p.unit ?? ''}`)).measures);
  }
  return measures;
}
