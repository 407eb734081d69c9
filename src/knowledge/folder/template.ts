/**
 * `system.md`: the system prompt template. Placeholders `{{name}}` are filled per question; an
 * unknown one (a typo like `{{catalogue}}`) is refused with its line, because the model would
 * otherwise see it verbatim and the catalog would silently go missing.
 */
import { KnowledgeInvalidError } from '../errors.js';

/** The placeholders and what they become. */
export const PLACEHOLDERS = {
  company: 'the company name from the catalog feed (shop name and legal name)',
  site: "the company's website from the catalog feed",
  catalog: 'the offers that match the question: name, price, availability, link, key parameters',
  faq: 'the FAQ answers that match the question',
  date: "today's date (Moscow time)",
} as const;

/** A known placeholder name. */
export type Placeholder = keyof typeof PLACEHOLDERS;

const PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A checked template. */
export interface SystemTemplate {
  text: string;
  placeholders: ReadonlySet<Placeholder>;
}

/** Checks the template; throws `KnowledgeInvalidError` with the line of an unknown or broken placeholder. */
export function parseTemplate(text: string, file: string): SystemTemplate {
  if (text.trim() === '') throw new KnowledgeInvalidError({ file, line: 1 }, 'the system prompt is empty');
  const found = new Set<Placeholder>();
  text.split(/\r?\n/).forEach((line, i) => {
    for (const match of line.matchAll(PATTERN)) {
      const name = match[1]!;
      if (!(name in PLACEHOLDERS)) {
        throw new KnowledgeInvalidError({ file, line: i + 1 }, `unknown placeholder {{${name}}}; known: ${Object.keys(PLACEHOLDERS).map((p) => `{{${p}}}`).join(', ')}`);
      }
      found.add(name as Placeholder);
    }
    const unclosed = line.replace(PATTERN, '').match(/\{\{|\}\}/);
    if (unclosed) throw new KnowledgeInvalidError({ file, line: i + 1 }, `a placeholder is not closed: every "{{" needs its "}}"`);
  });
  return { text, placeholders: found };
}

/** Fills the placeholders; a value that is empty leaves an empty spot. */
export function renderTemplate(template: SystemTemplate, values: Record<Placeholder, string>): string {
  return template.text.replace(PATTERN, (_, name: string) => values[name as Placeholder] ?? '').replace(/\n{3,}/g, '\n\n').trim();
}
