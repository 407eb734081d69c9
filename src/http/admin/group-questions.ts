/**
 * Groups the questions the bot could not answer so a manager can write one FAQ entry per group:
 * two questions fall together when they have the same content words after stemming ("Сколько
 * стоит доставка?" and "доставка сколько стоит" are one group), using the knowledge module's own
 * tokenizer and stemmer, so grouping matches how the bot reads questions.
 */
import { tokenize } from '../../knowledge/text/normalize.js';
import { stemWord } from '../../knowledge/text/stem.js';
import { isStopWord } from '../../knowledge/text/stop-words.js';

/** A customer's message the bot could not answer well. */
export interface UnansweredQuestion {
  messageId: string;
  conversationId: string;
  text: string;
  at: Date;
  /** `fallback` (nothing found or the model failed), `offline` (answered from the knowledge base without the model), or `handoff:<reason>`. */
  why: string;
}

export interface QuestionGroup {
  /** The stems the questions share, space-separated; empty for questions of stop words only. */
  key: string;
  /** The most recent wording. */
  example: string;
  count: number;
  /** How many of each `why`. */
  reasons: Record<string, number>;
  lastAt: Date;
  /** Up to 5 conversations to read, most recent first. */
  conversationIds: string[];
  /** Every distinct wording, up to 10. */
  wordings: string[];
}

/** The content words of a question, stemmed, sorted, each once. */
export function questionKey(text: string): string {
  const stems = new Set(tokenize(text).filter((t) => !isStopWord(t) && t.length > 1).map(stemWord));
  return [...stems].sort().join(' ');
}

/** Groups questions by `questionKey`, biggest group first (ties: most recent first). */
export function groupQuestions(questions: UnansweredQuestion[]): QuestionGroup[] {
  const groups = new Map<string, QuestionGroup>();
  const sorted = [...questions].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const q of sorted) {
    const key = questionKey(q.text) || q.text.trim().toLowerCase();
    let group = groups.get(key);
    if (!group) {
      group = { key, example: q.text, count: 0, reasons: {}, lastAt: q.at, conversationIds: [], wordings: [] };
      groups.set(key, group);
    }
    group.count += 1;
    group.reasons[q.why] = (group.reasons[q.why] ?? 0) + 1;
    if (group.conversationIds.length < 5 && !group.conversationIds.includes(q.conversationId)) group.conversationIds.push(q.conversationId);
    if (group.wordings.length < 10 && !group.wordings.includes(q.text)) group.wordings.push(q.text);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}
