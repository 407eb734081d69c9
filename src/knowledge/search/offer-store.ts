/**
 * The offers of an index in flat buffers: each offer as UTF-8 JSON in one byte array (turned back
 * into an `Offer` only when it is a result), and what ranking reads of every candidate — price,
 * stock, category, colours and measures — in typed arrays. 50,000 offers as objects cost hundreds
 * of megabytes and a full collection on every rebuild; as buffers they are a few tens and can be
 * handed from the indexing worker to the main thread without copying.
 */
import type { ColorMention } from '../query/colors.js';
import type { Measure, MeasureHint, MeasureKind } from '../query/measures.js';
import type { Offer } from '../catalog/offer.js';
import { GrowableBytes } from './growable-bytes.js';

const KINDS: MeasureKind[] = ['length', 'density', 'volume', 'mass'];
const HINTS: Array<MeasureHint | undefined> = [undefined, 'thickness', 'width', 'length', 'height', 'density', 'volume'];

/** The transferable content of an offer store: only typed arrays and arrays of strings. */
export interface OfferStoreData {
  bytes: Uint8Array;
  /** Offer i is bytes [offsets[i], offsets[i + 1]). */
  offsets: Int32Array;
  /** NaN when the offer has no price. */
  price: Float64Array;
  available: Uint8Array;
  /** Index into `categories` (the category path joined by U+001F). */
  category: Int32Array;
  categories: string[];
  colorStart: Int32Array;
  colorStem: Int32Array;
  colorModifier: Int32Array;
  /** Colour family bitmask, bit i for `familyNames[i]`. */
  colorFamilies: Int32Array;
  colorWords: string[];
  familyNames: string[];
  measureStart: Int32Array;
  measureKind: Uint8Array;
  measureHint: Uint8Array;
  measureMin: Float64Array;
  measureMax: Float64Array;
}

/** Description text kept with an offer: the bot shows names, prices and parameters, not descriptions. */
const STORED_DESCRIPTION = 400;

/** Joins a category path into one string of `categories`: a character no category name has. */
const PATH_SEPARATOR = '\u001f';

/**
 * An offer as stored: a JSON array by position, its category path kept once per category in
 * `categories` rather than once per offer. Half the bytes of the offer as a JSON object.
 */
type PackedOffer = [string, string, string, number | null, string, 0 | 1, string | null, string | null, string | null, string, Array<string | null>];

function packOffer(o: Offer): PackedOffer {
  const params = o.params.flatMap((p) => [p.name, p.value, p.unit ?? null]);
  return [o.id, o.name, o.url, o.price, o.currency, o.available ? 1 : 0, o.vendor ?? null, o.model ?? null, o.vendorCode ?? null, o.description.slice(0, STORED_DESCRIPTION), params];
}

function unpackOffer(p: PackedOffer, categoryPath: string[]): Offer {
  const [id, name, url, price, currency, available, vendor, model, vendorCode, description, flat] = p;
  const params: Offer['params'] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) params.push(flat[i + 2] === null ? { name: flat[i]!, value: flat[i + 1]! } : { name: flat[i]!, value: flat[i + 1]!, unit: flat[i + 2]! });
  const offer: Offer = { id, name, url, price, currency, available: available === 1, categoryPath, description, params };
  if (vendor !== null) offer.vendor = vendor;
  if (model !== null) offer.model = model;
  if (vendorCode !== null) offer.vendorCode = vendorCode;
  return offer;
}

/** Collects offers in order, then packs them. */
export class OfferStoreBuilder {
  /** Encoded straight into one buffer that grows in place: see growable-bytes.ts. */
  private readonly bytes = new GrowableBytes();
  private readonly offsets: number[] = [0];
  private readonly price: number[] = [];
  private readonly available: number[] = [];
  private readonly category: number[] = [];
  private readonly categories = new Map<string, number>();
  private readonly colorStart: number[] = [0];
  private readonly colorStem: number[] = [];
  private readonly colorModifier: number[] = [];
  private readonly colorFamilies: number[] = [];
  private readonly colorWords = new Map<string, number>();
  private readonly families = new Map<string, number>();
  private readonly measureStart: number[] = [0];
  // Measures as columns of numbers from the start: `Float64Array.from(measures, m => m.min)` and
  // its like took ~40 ms each over the 190,000 measures of a 50,000-offer feed.
  private readonly measureKind: number[] = [];
  private readonly measureHint: number[] = [];
  private readonly measureMin: number[] = [];
  private readonly measureMax: number[] = [];
  private readonly encoder = new TextEncoder();

  add(offer: Offer, colors: ColorMention[], measures: Measure[]): void {
    const json = JSON.stringify(packOffer(offer));
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.bytes.length += this.encoder.encodeInto(json, this.bytes.room(json.length * 3)).written;
    this.offsets.push(this.bytes.length);
    this.price.push(offer.price ?? NaN);
    this.available.push(offer.available ? 1 : 0);
    this.category.push(intern(this.categories, offer.categoryPath.join(PATH_SEPARATOR)));
    for (const c of colors) {
      this.colorStem.push(intern(this.colorWords, c.stem));
      this.colorModifier.push(c.modifier ? intern(this.colorWords, c.modifier) : -1);
      this.colorFamilies.push(familyMask(c.families, this.families, true));
    }
    this.colorStart.push(this.colorStem.length);
    for (const m of measures) {
      this.measureKind.push(KINDS.indexOf(m.kind));
      this.measureHint.push(HINTS.indexOf(m.hint));
      this.measureMin.push(m.min);
      this.measureMax.push(m.max);
    }
    this.measureStart.push(this.measureKind.length);
  }

  finish(): OfferStoreData {
    return {
      bytes: this.bytes.finish(),
      offsets: Int32Array.from(this.offsets),
      price: Float64Array.from(this.price),
      available: Uint8Array.from(this.available),
      category: Int32Array.from(this.category),
      categories: [...this.categories.keys()],
      colorStart: Int32Array.from(this.colorStart),
      colorStem: Int32Array.from(this.colorStem),
      colorModifier: Int32Array.from(this.colorModifier),
      colorFamilies: Int32Array.from(this.colorFamilies),
      colorWords: [...this.colorWords.keys()],
      familyNames: [...this.families.keys()],
      measureStart: Int32Array.from(this.measureStart),
      measureKind: Uint8Array.from(this.measureKind),
      measureHint: Uint8Array.from(this.measureHint),
      measureMin: Float64Array.from(this.measureMin),
      measureMax: Float64Array.from(this.measureMax),
    };
  }
}

function intern(table: Map<string, number>, value: string): number {
  let id = table.get(value);
  if (id === undefined) {
    id = table.size;
    table.set(value, id);
  }
  return id;
}

/** The bitmask of colour families by a family table (31 families at most); `add` grows the table. */
function familyMask(families: string[], table: Map<string, number>, add = false): number {
  let mask = 0;
  for (const family of families) {
    let bit = table.get(family);
    if (bit === undefined && add && table.size < 31) bit = intern(table, family);
    if (bit !== undefined) mask |= 1 << bit;
  }
  return mask;
}

/** Offers of a store, materialised on demand, and the packed fields ranking reads. */
export class OfferStore {
  private readonly decoder = new TextDecoder();
  private readonly cache = new Map<number, Offer>();
  private readonly colorIds: Map<string, number>;
  private readonly familyBits: Map<string, number>;
  readonly size: number;

  constructor(readonly data: OfferStoreData) {
    this.size = data.offsets.length - 1;
    this.colorIds = new Map(data.colorWords.map((w, i) => [w, i]));
    this.familyBits = new Map(data.familyNames.map((f, i) => [f, i]));
  }

  /** The bitmask of colour families in this store's bit order. */
  familyMask(families: string[]): number {
    return familyMask(families, this.familyBits);
  }

  /** Offer `i`; the last few hundred are kept, as the same offers answer many questions. */
  offer(i: number): Offer {
    let offer = this.cache.get(i);
    if (!offer) {
      const packed = JSON.parse(this.decoder.decode(this.data.bytes.subarray(this.data.offsets[i], this.data.offsets[i + 1]))) as PackedOffer;
      const path = this.data.categories[this.data.category[i]!]!;
      offer = unpackOffer(packed, path ? path.split(PATH_SEPARATOR) : []);
      if (this.cache.size >= 500) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(i, offer);
    }
    return offer;
  }

  /** The id of a colour word in this store, -1 when no offer uses it. */
  colorId(word: string): number {
    return this.colorIds.get(word) ?? -1;
  }

  /** Whether any of offer `i`'s measures satisfies `query`, allowing 2% for rounding. */
  hasMeasure(i: number, query: Measure): boolean {
    const d = this.data;
    const kind = KINDS.indexOf(query.kind);
    const hint = HINTS.indexOf(query.hint);
    const low = query.min - Math.max(Math.abs(query.min) * 0.02, 1e-6);
    const high = query.max + Math.max(Math.abs(query.max) * 0.02, 1e-6);
    for (let m = d.measureStart[i]!, end = d.measureStart[i + 1]!; m < end; m++) {
      if (d.measureKind[m] !== kind) continue;
      if (hint > 0 && d.measureHint[m]! > 0 && d.measureHint[m] !== hint) continue;
      if (d.measureMax[m]! >= low && d.measureMin[m]! <= high) return true;
    }
    return false;
  }
}
