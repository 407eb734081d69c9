/**
 * The searchable form of a catalog: a compact inverted index (`TermIndex`) over each offer's
 * name, brand, category path, parameters and description, the vocabulary for query
 * understanding, and each offer's colours and measures. Built in slices of a few milliseconds
 * that give the event loop a turn, so a 50,000-offer catalog can be (re)indexed while the server
 * keeps answering; the snapshot that holds it is swapped in only when it is complete.
 */
import { DEFAULT_COLOR_FAMILIES, DEFAULT_COLOR_NEIGHBOURS, Palette, type PaletteSpec } from '../query/colors.js';
import { DOCUMENT_FIELDS, OfferDocuments } from './index-document.js';
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
}

/** Everything of an index as typed arrays and strings: what an indexing worker posts back. */
export interface CatalogIndexData {
  shop: ShopInfo;
  text: TermIndexData;
  offers: OfferStoreData;
  keys: VocabularyKeys;
  palette: PaletteSpec;
}

/** Index fields, in the order of `TermIndex` field numbers, and their BM25 boosts. */
export const CATALOG_FIELD_BOOST: Record<string, number> = {
  name: 3, nameTail: 1.5, brand: 2.5, category: 2, categoryTail: 1, params: 1.2, description: 0.4,
};
/** What a match in each field says about the offer: what it is, what it is for, or a mention. */
export const CATALOG_FIELD_ROLE: Readonly<Record<string, FieldRole>> = {
  name: 'head', brand: 'head', category: 'head', nameTail: 'tail', categoryTail: 'tail', params: 'tail', description: 'mention',
};

/** Work done between two turns of the event loop, ms: well under the 50 ms a stall may take. */
const SLICE_MS = 8;
const FIELDS = DOCUMENT_FIELDS;
/** Boosts and roles by field number, for `matchConcepts`. */
export const CATALOG_MATCH_FIELDS: MatchFields = {
  boost: FIELDS.map((f) => CATALOG_FIELD_BOOST[f]!),
  roles: FIELDS.map((f) => CATALOG_FIELD_ROLE[f] ?? 'mention'),
};

/** Indexes offers as they come (from a streaming reader), then packs the index data. */
export class CatalogIndexBuilder {
  private readonly spec: PaletteSpec;
  private readonly text = new TermIndexBuilder(FIELDS.length);
  private readonly store = new OfferStoreBuilder();
  private readonly documents: OfferDocuments;

  constructor(palette?: PaletteSpec) {
    this.spec = palette ?? { families: DEFAULT_COLOR_FAMILIES, neighbours: DEFAULT_COLOR_NEIGHBOURS };
    this.documents = new OfferDocuments(new Palette(this.spec));
  }

  add(offer: Offer): void {
    const { terms, colors, measures } = this.documents.read(offer);
    this.text.add(terms);
    this.store.add(offer, colors, measures);
  }

  finish(shop: ShopInfo): CatalogIndexData {
    return { shop, text: this.text.finish(), offers: this.store.finish(), keys: this.documents.vocabulary.keys(), palette: this.spec };
  }
}

/**
 * Builds the index data. With `yieldEvery`, gives the event loop a turn after that many
 * milliseconds of work (on the main thread); an indexing worker passes none.
 */
export async function buildCatalogIndexData(catalog: Catalog, options: { yieldEveryMs?: number; palette?: PaletteSpec } = {}): Promise<CatalogIndexData> {
  const builder = new CatalogIndexBuilder(options.palette);
  let sliceStarted = performance.now();
  for (const offer of catalog.offers) {
    builder.add(offer);
    if (options.yieldEveryMs !== undefined && performance.now() - sliceStarted > options.yieldEveryMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
  return builder.finish(catalog.shop);
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
  return { shop: data.shop, offers: new OfferStore(data.offers), text, vocabulary, palette: new Palette(data.palette) };
}

/** Builds the index on this thread, in slices that let the server keep answering. */
export async function buildCatalogIndex(catalog: Catalog, palette?: PaletteSpec): Promise<CatalogIndex> {
  return openCatalogIndex(await buildCatalogIndexData(catalog, { yieldEveryMs: SLICE_MS, palette }));
}
