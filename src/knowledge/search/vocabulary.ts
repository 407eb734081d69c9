/**
 * The words an index knows, for the query side: whether a term exists at all, and which terms
 * of the other script sound like a visitor's word ("оракал" → "oracal", "plenka" → "пленк").
 */
import { isCyrillic } from '../text/normalize.js';
import { stemWord } from '../text/stem.js';
import { phoneticDistance, phoneticKey, phoneticLimit } from '../text/translit.js';

interface KeyedTerm {
  key: string;
  term: string;
}

/** The phonetic keys of a vocabulary as plain arrays, to hand to another thread. */
export interface VocabularyKeys {
  buckets: string[];
  keys: string[];
  terms: string[];
}

/** Document frequencies of terms, and phonetic keys of words by script and key length. */
export class Vocabulary {
  private readonly frequency = new Map<string, number>();
  private readonly seenWords = new Set<string>();
  /** By script ("lat" or "cyr") and key length. */
  private readonly keyed = new Map<string, KeyedTerm[]>();
  /** Where document frequencies come from when the vocabulary did not count them itself. */
  private external?: (term: string) => number;
  private externalPrefix?: (prefix: string) => boolean;

  /** How many documents were added. */
  documents = 0;

  /**
   * A vocabulary whose frequencies another index keeps (the catalog's `TermIndex`), with the
   * phonetic keys `keysOnly` collected.
   */
  static over(keys: VocabularyKeys, documents: number, frequency: (term: string) => number, hasPrefix: (prefix: string) => boolean): Vocabulary {
    const vocabulary = new Vocabulary();
    vocabulary.documents = documents;
    vocabulary.external = frequency;
    vocabulary.externalPrefix = hasPrefix;
    for (let i = 0; i < keys.keys.length; i++) {
      const bucket = keys.buckets[i]!;
      const list = vocabulary.keyed.get(bucket) ?? [];
      list.push({ key: keys.keys[i]!, term: keys.terms[i]! });
      vocabulary.keyed.set(bucket, list);
    }
    return vocabulary;
  }

  /** Adds one document's words for their phonetic keys only (frequencies are kept elsewhere). */
  addKeysOnly(tokens: Iterable<string>): void {
    // A word met before is skipped first: offers repeat their words, and `addKey` would skip it
    // only after the test and the stem.
    for (const token of tokens) if (!this.seenWords.has(token) && /^[a-zа-я]{2,}$/.test(token)) this.addKey(token, stemWord(token));
  }

  /** The phonetic keys as plain arrays. */
  keys(): VocabularyKeys {
    const out: VocabularyKeys = { buckets: [], keys: [], terms: [] };
    for (const [bucket, list] of this.keyed) {
      for (const { key, term } of list) {
        out.buckets.push(bucket);
        out.keys.push(key);
        out.terms.push(term);
      }
    }
    return out;
  }

  /** Adds one document's tokens; each distinct stem counts once per document. */
  addDocument(tokens: Iterable<string>): void {
    this.documents++;
    const terms = new Set<string>();
    for (const token of tokens) {
      const stem = stemWord(token);
      terms.add(stem);
      if (/^[a-zа-я]{2,}$/.test(token)) this.addKey(token, stem);
    }
    for (const t of terms) this.frequency.set(t, (this.frequency.get(t) ?? 0) + 1);
  }

  /** In how many documents a processed term occurs. */
  documentFrequency(term: string): number {
    return this.external ? this.external(term) : (this.frequency.get(term) ?? 0);
  }

  /** Whether some term begins with `prefix` (the term itself included). */
  hasPrefix(prefix: string): boolean {
    if (this.externalPrefix) return this.externalPrefix(prefix);
    for (const term of this.frequency.keys()) if (term.startsWith(prefix)) return true;
    return false;
  }

  /**
   * Terms of the other script whose words sound like `word`, closest first (at most three), with
   * their phonetic distance; empty when none is close enough.
   */
  crossScript(word: string): Array<{ term: string; distance: number }> {
    const key = phoneticKey(word);
    const limit = phoneticLimit(key);
    const script = isCyrillic(word) ? 'lat' : 'cyr';
    const found: Array<{ term: string; distance: number }> = [];
    for (let length = Math.max(1, key.length - 2); length <= key.length + 2; length++) {
      for (const candidate of this.keyed.get(`${script}:${length}`) ?? []) {
        const distance = limit === 0 ? (candidate.key === key ? 0 : Infinity) : phoneticDistance(key, candidate.key, limit);
        if (distance <= limit) found.push({ term: candidate.term, distance });
      }
    }
    found.sort((a, b) => a.distance - b.distance || this.documentFrequency(b.term) - this.documentFrequency(a.term));
    const best = found[0]?.distance ?? 0;
    const seen = new Set<string>();
    return found.filter((f) => f.distance <= best + 0.5 && !seen.has(f.term) && seen.add(f.term)).slice(0, 3);
  }

  private addKey(word: string, term: string): void {
    if (this.seenWords.has(word)) return;
    this.seenWords.add(word);
    const key = phoneticKey(word);
    const script = isCyrillic(word) ? 'cyr' : 'lat';
    const bucket = `${script}:${key.length}`;
    const list = this.keyed.get(bucket) ?? [];
    list.push({ key, term });
    this.keyed.set(bucket, list);
  }
}
