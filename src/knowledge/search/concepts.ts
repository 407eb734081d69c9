/**
 * Turns a question's words into concepts: one thing the visitor asked for, with every way the
 * index may spell it — the word's stem and root, typos (fuzzy), prefixes of longer words,
 * synonyms from `synonyms.yml`, the other script ("оракал" → oracal) and the other keyboard
 * layout ("gktyrf" → пленка). A document matches a concept when it matches any alternative.
 */
import { isCyrillic, isNumeric } from '../text/normalize.js';
import { stemWord, termsOf } from '../text/stem.js';
import { switchLayout } from '../text/translit.js';
import { matchSynonym, type Synonyms } from './synonyms.js';
import type { QueryWord } from '../query/parse-query.js';
import type { Vocabulary } from './vocabulary.js';

/** All `terms` must match (a phrase or a code's parts); `weight` scales its score and credit. */
export interface Alternative {
  terms: string[];
  weight: number;
  fuzzy: number;
  prefix: boolean;
}

/** One thing the visitor asked for, and the ways the index may spell it. */
export interface Concept {
  /** The visitor's word, for logs and debugging. */
  label: string;
  /** Part of the question's modifier ("для плоттера") rather than its head. */
  modifier: boolean;
  alternatives: Alternative[];
}

/** How far a typo may be from the word, by length: short words are too easy to confuse. */
function fuzziness(term: string): number {
  if (!/^[a-zа-я]+$/.test(term) || term.length < 5) return 0;
  return term.length >= 9 ? 2 : 1;
}

function exact(terms: string[], weight: number): Alternative {
  return { terms, weight, fuzzy: 0, prefix: false };
}

/** The alternatives of a single word. */
function wordAlternatives(word: string, vocabulary: Vocabulary): Alternative[] {
  if (isNumeric(word)) return [exact([word], 1)];
  const [stem, root] = termsOf(word) as [string, string | undefined];
  // A word that many documents use is spelled right: looking for typos of it only costs time.
  const common = vocabulary.documentFrequency(stem) > Math.max(50, vocabulary.documents * 0.02);
  const alternatives: Alternative[] = [
    // A stem Snowball cut to three letters ("акрил" → "акр") still finds "акриловый" by prefix.
    { terms: [stem], weight: 1, fuzzy: common ? 0 : fuzziness(stem), prefix: /^[a-zа-я]{4,}$/.test(stem) || (/^[а-я]{3}$/.test(stem) && word.length >= 5) },
  ];
  if (root) alternatives.push({ terms: [root], weight: 0.9, fuzzy: 0, prefix: root.length >= 4 });
  // Snowball cuts some nouns as if they were verbs ("чернила" → "черн", but "чернилами" →
  // "чернил"): a known shorter stem of the same word is the same word.
  for (let length = stem.length - 1; isCyrillic(stem) && length >= Math.max(4, stem.length - 2); length--) {
    const shorter = stem.slice(0, length);
    if (vocabulary.documentFrequency(shorter) > 0) {
      alternatives.push(exact([shorter], 0.85));
      break;
    }
  }
  if (word.length >= 2 && /^[a-zа-я]+$/.test(word)) {
    // A name that sounds exactly like a brand ("плексиглас") is as good as the brand itself.
    for (const { term, distance } of vocabulary.crossScript(word)) alternatives.push(exact([term], 0.95 - 0.1 * distance));
  }
  if (word.length >= 3 && vocabulary.documentFrequency(stem) === 0) {
    // Typed with the wrong layout on, or with two letters swapped ("пелнка"), which edit-distance
    // fuzziness counts as two typos: only worth it when the word as typed means nothing.
    const switchedStem = stemWord(switchLayout(word));
    const switched = vocabulary.documentFrequency(switchedStem) > 0;
    if (switched) alternatives.push(exact([switchedStem], 0.9));
    const swapped = transpositions(word).map(stemWord).find((s) => vocabulary.documentFrequency(s) > 0);
    if (swapped) alternatives.push({ terms: [swapped], weight: 0.85, fuzzy: 0, prefix: swapped.length >= 4 });
    if (!switched && !swapped) {
      const known = knownBeginning(stem, vocabulary);
      if (known) alternatives.push({ terms: [known], weight: 0.85, fuzzy: 0, prefix: true });
    }
  }
  return alternatives;
}

/** Verb prefixes that make a verb of a trade word: "заламинировать", "отпечатать", "поклеить". */
const VERB_PREFIX = /^(за|на|по|об|от|вы|пере|про|рас|рос)(?=[а-я]{5,})/;

/**
 * The longest beginning of an unknown Cyrillic word that starts a known term, for the shortened
 * and colloquial forms of trade words ("ламинашка" → "ламина…", "перфорка" → "перфор…",
 * "двусторонка" → "двусторон…", "светоотражайка"), and for a verb made of one
 * ("заламинировать" → "ламинир…"). At least five letters and most of the word must remain, so
 * an unrelated word is not reached by its first syllable.
 */
function knownBeginning(stem: string, vocabulary: Vocabulary): string | undefined {
  if (!/^[а-я]{6,}$/.test(stem)) return undefined;
  const bare = stem.replace(VERB_PREFIX, '');
  for (const candidate of bare === stem ? [stem] : [bare, stem]) {
    const shortest = Math.max(5, Math.ceil(candidate.length * 0.6));
    for (let length = candidate.length - 1; length >= shortest; length--) {
      const prefix = candidate.slice(0, length);
      if (vocabulary.hasPrefix(prefix)) return prefix;
    }
  }
  return undefined;
}

/** The word with each pair of neighbouring letters swapped. */
function transpositions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] !== word[i + 1]) out.push(word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2));
  }
  return out;
}

/** The alternatives of a code group: the whole code, or all its parts together. */
function codeAlternatives(group: string[]): Alternative[] {
  const [whole, ...parts] = group as [string, ...string[]];
  const alternatives = [{ terms: [whole], weight: 1, fuzzy: 0, prefix: whole.length >= 4 }];
  if (parts.length > 0) alternatives.push(exact(parts.flatMap((p) => termsOf(p).slice(0, 1)), 0.9));
  return alternatives;
}

/**
 * The concepts of a question's words, one per word. A run of words that is a synonym-group
 * member ("сотовый поликарбонат") also lets each of its words be met by any other member of the
 * group ("сотовик"), so an offer using either spelling covers the whole run.
 */
export function buildConcepts(words: QueryWord[], vocabulary: Vocabulary, synonyms: Synonyms): Concept[] {
  const stems = words.map((w) => stemWord(w.group[0]!));
  // A verb made of a trade word the catalog does not use ("заламинировать") is looked up bare.
  const bare = stems.map((s) => (vocabulary.documentFrequency(s) === 0 ? s.replace(VERB_PREFIX, '') : s));
  const extra: Alternative[][] = words.map(() => []);
  for (let i = 0; i < words.length; ) {
    const synonym = matchSynonym(synonyms, stems, i) ?? matchSynonym(synonyms, bare, i);
    if (!synonym) {
      i++;
      continue;
    }
    const members = synonyms.groups[synonym.group]!.filter((m) => !sameSequence(m, stems.slice(i, i + synonym.length)));
    for (let j = i; j < i + synonym.length; j++) extra[j]!.push(...members.map(memberAlternative));
    i += synonym.length;
  }
  return words.map(({ group, modifier }, i) => ({
    label: group[0]!,
    modifier,
    alternatives: [...(group.length > 1 ? codeAlternatives(group) : wordAlternatives(group[0]!, vocabulary)), ...extra[i]!],
  }));
}

function sameSequence(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function memberAlternative(member: string[]): Alternative {
  const prefix = member.length === 1 && isCyrillic(member[0]!) && member[0]!.length >= 4;
  return { terms: member, weight: 0.8, fuzzy: 0, prefix };
}
