/** `faq.jsonl`: question–answer pairs, one JSON object a line: `{"question": "…", "answer": "…"}`. */
import { z } from 'zod';
import { KnowledgeInvalidError } from '../errors.js';
import { oneLine } from '../text/one-line.js';

/** One question and its answer. */
export interface FaqEntry {
  question: string;
  answer: string;
}

// One line each: FAQ text reaches the system prompt (see one-line.ts).
const entrySchema = z.object({
  question: z.string().transform(oneLine).pipe(z.string().min(1, 'question is empty')),
  answer: z.string().transform(oneLine).pipe(z.string().min(1, 'answer is empty')),
});

/** Parses the FAQ; blank lines are skipped. Throws `KnowledgeInvalidError` naming the line. */
export function parseFaq(text: string, file: string): FaqEntry[] {
  const entries: FaqEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new KnowledgeInvalidError({ file, line: i + 1 }, `not a JSON object: ${(error as Error).message}`, error);
    }
    const parsed = entrySchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KnowledgeInvalidError({ file, line: i + 1 }, `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'} (expected {"question": "…", "answer": "…"})`);
    }
    entries.push(parsed.data);
  });
  return entries;
}
