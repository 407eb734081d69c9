/**
 * FAQ retrieval: the same query understanding as the catalog (stems, typos, synonyms, scripts)
 * over the FAQ's questions and answers, a match in a question counting more than one in an
 * answer.
 */
import MiniSearch from 'minisearch';
import { turn } from '../catalog/in-slices.js';
import { tokenize, tokenizeGroups } from '../text/normalize.js';
import { stemWord } from '../text/stem.js';
import { isStopWord } from '../text/stop-words.js';
import { buildConcepts } from './concepts.js';
import { runConcepts, type FieldRole } from './run-concepts.js';
import { Vocabulary } from './vocabulary.js';
import type { FaqEntry } from '../folder/faq.js';
import type { Synonyms } from './synonyms.js';

/** The FAQ ready to search. */
export interface FaqIndex {
  entries: FaqEntry[];
  text: MiniSearch<{ id: number; question: string; answer: string }>;
  vocabulary: Vocabulary;
}

/** A FAQ entry with how much of the question it answers: 0..1 over all the question's words. */
export interface FaqHit {
  entry: FaqEntry;
  coverage: number;
}

const BOOST = { question: 2, answer: 1 };
const ROLES: Record<string, FieldRole> = { question: 'head', answer: 'tail' };

/** Work between two turns of the event loop while indexing, ms. */
const SLICE_MS = 8;

/**
 * Indexes the FAQ, giving the event loop a turn every few milliseconds: at start the code is cold,
 * and even a small FAQ held the loop for 30-40 ms in one piece.
 */
export async function buildFaqIndex(entries: FaqEntry[]): Promise<FaqIndex> {
  const text = new MiniSearch<{ id: number; question: string; answer: string }>({
    fields: ['question', 'answer'],
    tokenize: (joined) => joined.split(' '),
    processTerm: (term) => (isStopWord(term) ? null : stemWord(term)),
  });
  const vocabulary = new Vocabulary();
  let sliceStarted = performance.now();
  for (const [id, entry] of entries.entries()) {
    const document = { id, question: tokenize(entry.question).join(' '), answer: tokenize(entry.answer).join(' ') };
    vocabulary.addDocument(`${document.question} ${document.answer}`.split(' '));
    text.add(document);
    if (performance.now() - sliceStarted > SLICE_MS) {
      await turn();
      sliceStarted = performance.now();
    }
  }
  return { entries, text, vocabulary };
}

/** The best FAQ entries for a question, best first. */
export function searchFaq(index: FaqIndex, synonyms: Synonyms, question: string, limit: number): FaqHit[] {
  const words = tokenizeGroups(question)
    .filter((group) => !isStopWord(group[0]!))
    .map((group) => ({ group, modifier: false }));
  if (words.length === 0 || index.entries.length === 0) return [];
  const concepts = buildConcepts(words, index.vocabulary, synonyms);
  const { matches } = runConcepts(index.text, concepts, { boost: BOOST, roles: ROLES });
  return [...matches.entries()]
    .map(([id, match]) => ({
      entry: index.entries[id]!,
      coverage: match.credits.reduce((a, b) => a + b, 0) / concepts.length,
      score: match.score,
    }))
    .sort((a, b) => b.coverage - a.coverage || b.score - a.score)
    .slice(0, limit)
    .map(({ entry, coverage }) => ({ entry, coverage }));
}
