/**
 * A compact inverted index for the catalog: postings in flat typed arrays (one run per term,
 * documents in ascending order), field lengths for BM25F, and lookups of the index's terms by
 * prefix and by edit distance. MiniSearch kept a Map per term and field, which at 50,000 offers
 * cost 750 MB and 50–250 ms per query; here the same postings take tens of megabytes and a query
 * walks them in a few milliseconds. Hand-written because no library on npm keeps postings in
 * typed arrays and also exposes which field each match is in, which the coverage ranking needs.
 */

import { growableArray, grownArray } from './growable-bytes.js';

/** BM25+ parameters, as MiniSearch uses them, so scores keep their former scale. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** A term frequency above this is as good as this (it only feeds a saturating formula). */
const MAX_TF = 255;
/** Prefix buckets are keyed by this many first letters; shorter prefixes are not looked up. */
const PREFIX_KEY = 3;
/** Longer words share the last length bucket for typo lookups. */
const MAX_WORD = 40;

/** One index term a query term expands to, with how far it is from the query term. */
export interface Expansion {
  term: number;
  /** 0 for the term itself; otherwise the extra letters (prefix) or the edit distance (fuzzy). */
  distance: number;
  kind: 'exact' | 'prefix' | 'fuzzy';
}

/** Collects documents' terms, then packs them into a `TermIndex`. */
export class TermIndexBuilder {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  // Postings in arrival order; grown in place (see growable-bytes.ts), as a 50,000-offer feed
  // has 1.7 million of them and each doubling by copy touched the memory again.
  private termOf = growableArray(Int32Array, 1 << 16);
  private docOf = growableArray(Int32Array, 1 << 16);
  private fieldTf = growableArray(Uint16Array, 1 << 16);
  private size = 0;
  private lengths: number[] = [];
  private documents = 0;
  private counts = new Uint16Array(1 << 12);
  private touched = new Int32Array(256);
  /** Counted shared arrays (see `add`); weak, as the reader's caches drop them when full. */
  private readonly counted = new WeakMap<readonly string[], Int32Array>();

  constructor(private readonly fieldCount: number) {}

  /**
   * Adds the next document (ids are consecutive from 0): per field, its processed terms. A frozen
   * array of terms is taken to be shared between documents (the description and brand of a
   * catalog's variants): its term ids and counts are worked out once and remembered.
   */
  add(fields: ReadonlyArray<readonly string[]>): number {
    const doc = this.documents++;
    for (let f = 0; f < this.fieldCount; f++) {
      const terms = fields[f] ?? [];
      this.lengths.push(terms.length);
      if (Object.isFrozen(terms) && terms.length > 0) {
        const counted = this.countedOnce(terms);
        for (let i = 0; i < counted.length; i += 2) this.push(counted[i]!, doc, (f << 8) | counted[i + 1]!);
        continue;
      }
      const touched = this.count(terms);
      for (let i = 0; i < touched; i++) {
        const id = this.touched[i]!;
        this.push(id, doc, (f << 8) | Math.min(this.counts[id]!, MAX_TF));
        this.counts[id] = 0;
      }
    }
    return doc;
  }

  /**
   * Counts terms into `counts`, their ids in order of first occurrence into `touched`; returns how
   * many. The caller resets `counts`. One reused array rather than a Map per field: 350,000 Maps
   * were a second of GC.
   */
  private count(terms: readonly string[]): number {
    let touched = 0;
    for (const term of terms) {
      let id = this.ids.get(term);
      if (id === undefined) {
        id = this.terms.push(term) - 1;
        this.ids.set(term, id);
        if (id >= this.counts.length) this.counts = Uint16Array.from({ length: this.counts.length * 2 }, (_, i) => this.counts[i] ?? 0);
      }
      if (this.counts[id]!++ === 0) this.touched[touched++] = id;
      if (touched === this.touched.length) this.touched = Int32Array.from({ length: touched * 2 }, (_, i) => this.touched[i] ?? 0);
    }
    return touched;
  }

  /** A shared array's term ids and capped frequencies, in pairs, as `add` pushes them. */
  private countedOnce(terms: readonly string[]): Int32Array {
    let counted = this.counted.get(terms);
    if (!counted) {
      const touched = this.count(terms);
      counted = new Int32Array(touched * 2);
      for (let i = 0; i < touched; i++) {
        const id = this.touched[i]!;
        counted[2 * i] = id;
        counted[2 * i + 1] = Math.min(this.counts[id]!, MAX_TF);
        this.counts[id] = 0;
      }
      this.counted.set(terms, counted);
    }
    return counted;
  }

  private push(term: number, doc: number, fieldTf: number): void {
    if (this.size === this.termOf.length) {
      const length = this.size * 2;
      this.termOf = grownArray(Int32Array, this.termOf, length);
      this.docOf = grownArray(Int32Array, this.docOf, length);
      this.fieldTf = grownArray(Uint16Array, this.fieldTf, length);
    }
    this.termOf[this.size] = term;
    this.docOf[this.size] = doc;
    this.fieldTf[this.size] = fieldTf;
    this.size++;
  }

  /**
   * Packs the postings by term (a stable counting sort, so documents stay ascending), with term
   * ids in sorted order so that the reader finds a term, and all terms with a prefix, by binary
   * search without building a map; and everything the reader needs precomputed, so opening the
   * index on the main thread costs no pass over it.
   */
  finish(): TermIndexData {
    const order = this.terms.map((_, i) => i).sort((a, b) => (this.terms[a]! < this.terms[b]! ? -1 : 1));
    const rank = new Int32Array(order.length);
    order.forEach((old, sorted) => (rank[old] = sorted));
    const terms = order.map((old) => this.terms[old]!);
    const termCount = terms.length;
    const start = new Int32Array(termCount + 1);
    for (let i = 0; i < this.size; i++) start[rank[this.termOf[i]!]! + 1]!++;
    for (let t = 0; t < termCount; t++) start[t + 1]! += start[t]!;
    const next = start.slice(0, termCount);
    const docs = new Int32Array(this.size);
    const fieldTf = new Uint16Array(this.size);
    const df = new Int32Array(termCount);
    const lastDoc = new Int32Array(termCount).fill(-1);
    for (let i = 0; i < this.size; i++) {
      const t = rank[this.termOf[i]!]!;
      const at = next[t]!++;
      docs[at] = this.docOf[i]!;
      fieldTf[at] = this.fieldTf[i]!;
      if (lastDoc[t] !== this.docOf[i]) {
        lastDoc[t] = this.docOf[i]!;
        df[t]!++;
      }
    }
    const fieldCount = this.fieldCount;
    const averageLength = new Float64Array(fieldCount);
    this.lengths.forEach((l, i) => (averageLength[i % fieldCount]! += l));
    for (let f = 0; f < fieldCount; f++) averageLength[f] = averageLength[f]! / Math.max(1, this.documents) || 1;
    // A loop, not `Float32Array.from(lengths, fn)`: that took ~70 ms over 350,000 lengths.
    const lengthNorm = new Float32Array(this.lengths.length);
    for (let i = 0; i < lengthNorm.length; i++) lengthNorm[i] = BM25.k * (1 - BM25.b + (BM25.b * this.lengths[i]!) / averageLength[i % fieldCount]!);
    // Words (no digits) by length, for typo lookups.
    const words = terms.map((_, id) => id).filter((id) => /^[a-zа-я]+$/.test(terms[id]!)).sort((a, b) => terms[a]!.length - terms[b]!.length);
    const byLengthStart = new Int32Array(MAX_WORD + 2);
    for (const id of words) byLengthStart[Math.min(terms[id]!.length, MAX_WORD) + 1]!++;
    for (let l = 0; l <= MAX_WORD; l++) byLengthStart[l + 1]! += byLengthStart[l]!;
    return { terms, start, docs, fieldTf, df, lengthNorm, fieldCount, documents: this.documents, byLength: Int32Array.from(words), byLengthStart };
  }
}

/** The content of a `TermIndex`: typed arrays and strings, transferable to another thread. */
export interface TermIndexData {
  terms: string[];
  /** Postings of term t are at [start[t], start[t + 1]). */
  start: Int32Array;
  docs: Int32Array;
  /** Field index in the high byte, term frequency in the low byte. */
  fieldTf: Uint16Array;
  df: Int32Array;
  /** BM25's `k * (1 - b + b * length / average length)`, `fieldCount` per document. */
  lengthNorm: Float32Array;
  fieldCount: number;
  documents: number;
  /** Ids of the terms that are words, by length; those of length l at [byLengthStart[l], byLengthStart[l + 1]). */
  byLength: Int32Array;
  byLengthStart: Int32Array;
}

/** The packed index; read-only once built, so a search never sees a half-built one. */
export class TermIndex {
  private row = new Int32Array(64);
  private previousRow = new Int32Array(64);
  readonly terms: string[];
  readonly start: Int32Array;
  readonly docs: Int32Array;
  readonly fieldTf: Uint16Array;
  readonly df: Int32Array;
  readonly fieldCount: number;
  readonly documents: number;

  constructor(readonly data: TermIndexData) {
    ({ terms: this.terms, start: this.start, docs: this.docs, fieldTf: this.fieldTf, df: this.df, fieldCount: this.fieldCount, documents: this.documents } = data);
  }

  /** The id of a term, or undefined when no document has it. */
  id(term: string): number | undefined {
    const at = this.lowerBound(term);
    return this.terms[at] === term ? at : undefined;
  }

  /** In how many documents a term occurs. */
  documentFrequency(term: string): number {
    const id = this.id(term);
    return id === undefined ? 0 : this.df[id]!;
  }

  /** The index terms a query term stands for: itself, longer terms it begins, terms a few typos away. */
  expand(term: string, prefix: boolean, fuzzy: number): Expansion[] {
    const out: Expansion[] = [];
    const id = this.id(term);
    if (id !== undefined) out.push({ term: id, distance: 0, kind: 'exact' });
    if (prefix && term.length >= PREFIX_KEY) {
      for (let other = this.lowerBound(term); other < this.terms.length && this.terms[other]!.startsWith(term); other++) {
        if (other !== id) out.push({ term: other, distance: this.terms[other]!.length - term.length, kind: 'prefix' });
      }
    }
    if (fuzzy > 0) {
      const { byLength, byLengthStart } = this.data;
      const from = byLengthStart[Math.min(Math.max(0, term.length - fuzzy), MAX_WORD)]!;
      const to = byLengthStart[Math.min(term.length + fuzzy, MAX_WORD) + 1]!;
      for (let i = from; i < to; i++) {
        const other = byLength[i]!;
        const candidate = this.terms[other]!;
        if (other === id || (prefix && candidate.startsWith(term))) continue;
        const distance = this.editDistance(term, candidate, fuzzy);
        if (distance <= fuzzy) out.push({ term: other, distance, kind: 'fuzzy' });
      }
    }
    return out;
  }

  /** Whether some term begins with `prefix` (the term itself included). */
  hasPrefix(prefix: string): boolean {
    return this.terms[this.lowerBound(prefix)]?.startsWith(prefix) ?? false;
  }

  /** The first term id whose term is not less than `term`. */
  private lowerBound(term: string): number {
    let lo = 0;
    let hi = this.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.terms[mid]! < term) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The inverse document frequency of BM25 for a term. */
  idf(term: number): number {
    const df = this.df[term]!;
    return Math.log(1 + (this.documents - df + 0.5) / (df + 0.5));
  }

  /** BM25+ of one posting, before field boosts and idf. */
  bm25(posting: number): number {
    const field = this.fieldTf[posting]! >> 8;
    const tf = this.fieldTf[posting]! & 0xff;
    return BM25.d + (tf * (BM25.k + 1)) / (tf + this.data.lengthNorm[this.docs[posting]! * this.fieldCount + field]!);
  }

  /** Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`; reuses its rows. */
  private editDistance(a: string, b: string, limit: number): number {
    if (this.row.length <= b.length) {
      this.row = new Int32Array(b.length * 2 + 1);
      this.previousRow = new Int32Array(b.length * 2 + 1);
    }
    let previous = this.previousRow;
    let current = this.row;
    for (let j = 0; j <= b.length; j++) previous[j] = j;
    for (let i = 1; i <= a.length; i++) {
      current[0] = i;
      let rowMin = i;
      const ch = a.charCodeAt(i - 1);
      for (let j = 1; j <= b.length; j++) {
        const cost = previous[j - 1]! + (ch === b.charCodeAt(j - 1) ? 0 : 1);
        const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, cost);
        current[j] = value;
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > limit) return limit + 1;
      [previous, current] = [current, previous];
    }
    return previous[b.length]!;
  }
}
