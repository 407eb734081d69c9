/**
 * The manager-editable synonyms file (`synonyms.yml`): a list of groups of words and phrases
 * that mean the same thing to a customer ("самоклейка", "самоклеящаяся пленка"). A visitor's
 * phrase that matches one member of a group also searches for every other member.
 *
 * A group may also name a family one way: `{ words: [оборудование], covers: [принтер, плоттер] }`.
 * A visitor's word for the whole family ("какое оборудование есть") searches for each kind it
 * covers, while a kind does not find the family's other kinds ("принтер" is not a plotter).
 */
import { parseDocument, LineCounter, isMap, isNode, isSeq, isScalar, type Node } from 'yaml';
import { KnowledgeInvalidError } from '../errors.js';
import { tokenizeGroups } from '../text/normalize.js';
import { isStopWord } from '../text/stop-words.js';
import { similarWord } from '../text/edit.js';
import { stemWord } from '../text/stem.js';

/** A member of a group as a sequence of stems. */
export type StemSequence = string[];

/** Synonym groups (what each searches for), and every member that calls up its group. */
export interface Synonyms {
  groups: StemSequence[][];
  members: Array<{ member: StemSequence; group: number }>;
}

/** A family: words for the whole of it, and the kinds of product it covers. */
export interface SynonymFamily {
  words: string[];
  covers: string[];
}

/** The words of a phrase as searched: normalised, stop words dropped, codes as their first form. */
export function phraseWords(phrase: string): string[] {
  return tokenizeGroups(phrase)
    .map((group) => group[0]!)
    .filter((word) => !isStopWord(word));
}

/** Builds the lookup from groups of phrases and families. */
export function buildSynonyms(groups: Array<string[] | SynonymFamily>): Synonyms {
  const result: Synonyms = { groups: [], members: [] };
  const stems = (phrases: string[]): StemSequence[] => phrases.map((p) => phraseWords(p).map(stemWord)).filter((m) => m.length > 0);
  for (const item of groups) {
    const words = stems(Array.isArray(item) ? item : item.words);
    const group = result.groups.push(Array.isArray(item) ? words : [...words, ...stems(item.covers)]) - 1;
    for (const member of words) result.members.push({ member, group });
  }
  return result;
}

/**
 * The longest member starting at `at` in a stem sequence, with its group; undefined when none.
 * A typo in a long word still matches ("плотер для резки" is "плоттер для резки").
 */
export function matchSynonym(synonyms: Synonyms, stems: string[], at: number): { length: number; group: number } | undefined {
  // The longest member wins; of equally long ones, one spelled exactly as typed beats one a typo
  // away ("плекс" is the acrylic jargon word, not a typo of "флекс").
  let best: { length: number; group: number; exact: boolean } | undefined;
  for (const { member, group } of synonyms.members) {
    if (member.length < (best?.length ?? 0) || at + member.length > stems.length) continue;
    // Loops rather than every() with closures: this runs for every member at every word of a question.
    let similar = true;
    let exact = true;
    for (let i = 0; i < member.length && similar; i++) {
      const typed = stems[at + i]!;
      if (typed === member[i]) continue;
      exact = false;
      similar = similarWord(typed, member[i]!);
    }
    if (!similar) continue;
    if (!best || member.length > best.length || (exact && !best.exact)) best = { length: member.length, group, exact };
  }
  return best && { length: best.length, group: best.group };
}

/**
 * Parses `synonyms.yml`: a YAML list whose items are lists of strings. Throws
 * `KnowledgeInvalidError` with the line of the first bad item.
 */
export function parseSynonyms(text: string, file: string): Synonyms {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const error = doc.errors[0];
  if (error) throw new KnowledgeInvalidError({ file, line: error.linePos?.[0].line }, `broken YAML: ${error.message.split('\n')[0]}`);
  if (doc.contents === null) return buildSynonyms([]);
  if (!isSeq(doc.contents)) throw new KnowledgeInvalidError({ file, line: 1 }, 'expected a list of synonym groups (lines starting with "- [")');
  const groups: Array<string[] | SynonymFamily> = [];
  for (const item of doc.contents.items) {
    const line = lines.linePos(isNode(item) && item.range ? item.range[0] : 0).line;
    if (isMap(item)) {
      const words = item.get('words', true);
      const covers = item.get('covers', true);
      if (item.items.length !== 2 || !isPhraseList(words, 1) || !isPhraseList(covers, 1)) {
        throw new KnowledgeInvalidError({ file, line }, 'a family must have a list of words and a list of what they cover, like {words: [оборудование], covers: [принтер, плоттер]}');
      }
      groups.push({ words: phrasesOf(words), covers: phrasesOf(covers) });
      continue;
    }
    if (!isPhraseList(item, 2)) {
      throw new KnowledgeInvalidError({ file, line }, 'a synonym group must be a list of at least two words or phrases, like [роллап, roll-up]');
    }
    groups.push(phrasesOf(item));
  }
  return buildSynonyms(groups);
}

function isPhraseList(node: unknown, least: number): node is Node & { items: unknown[] } {
  return isSeq(node) && node.items.length >= least && node.items.every((m) => isScalar(m) && typeof m.value === 'string' && m.value.trim());
}

function phrasesOf(node: { items: unknown[] }): string[] {
  return node.items.map((m) => String((m as { value: unknown }).value));
}
