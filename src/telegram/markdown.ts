/**
 * The model's Markdown → Telegram HTML (https://core.telegram.org/bots/api#html-style).
 *
 * Telegram refuses a whole message over one stray `<` or unclosed tag ("can't parse entities"),
 * and models write loose Markdown: unmatched `*`, `snake_case`, tables. So this is not a Markdown
 * parser but a tolerant converter of the subset models use — bold, italic, strike, inline code,
 * fenced code, links, headings, bullets, quotes — that builds its HTML from balanced pieces and
 * escapes every other character; whatever it does not recognise stays literal text. It also
 * returns the visible text, for the plain-text fallback.
 *
 * Linear in its input (issue 11: `*_a ` × 2,500 took 2.7 s, a heading line of spaces minutes):
 * no backtracking regular expressions on a line; an emphasis is tried only where a closer exists
 * (positions found once per line) and its inner text is bounded by that closer; links and code
 * look their closers up in amortised O(1). Each line has a step budget proportional to its length
 * as a guarantee: a line that exhausts it is shown as escaped text, unformatted but complete.
 */

export interface RenderedText {
  /** For `parse_mode: 'HTML'`: only tags Telegram knows, always balanced, `&<>"` escaped. */
  html: string;
  /** What the customer reads, markup removed: sent without `parse_mode` when HTML is refused. */
  plain: string;
}

/** Link targets Telegram accepts in `<a href>`; anything else is shown as text. */
const SAFE_URL = /^(https?:\/\/|tg:\/\/|mailto:)[^\s<>"]+$/i;
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
/** Emphasis nests this deep at most; deeper markers stay literal. */
const MAX_DEPTH = 4;
/** An emphasis closes within this many characters or not at all: bounds the search for a closer. */
const MAX_SPAN = 1000;

/** Escapes text for Telegram HTML: the three characters it requires, plus `"` for attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** Counts the converter's steps (loop iterations), for tests that check it stays linear. */
export interface ConversionStats {
  steps: number;
}

/** Steps one line may take per character before it is shown unformatted. */
const STEPS_PER_CHAR = 24;
const STEPS_BASE = 256;

/** Converts a model reply; never throws, and the result is always accepted by Telegram's HTML parser. */
export function markdownToTelegram(markdown: string, stats?: ConversionStats): RenderedText {
  const html: string[] = [];
  const plain: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const fence = fenceOf(line);
    if (fence) {
      // Everything up to the closing fence (or the end: an unclosed fence still yields a balanced tag).
      const body: string[] = [];
      for (i += 1; i < lines.length && !(lines[i] as string).trimStart().startsWith(fence.marker); i += 1) body.push(lines[i] as string);
      const code = body.join('\n');
      const lang = fence.lang ? ` class="language-${escapeHtml(fence.lang)}"` : '';
      html.push(`<pre><code${lang}>${escapeHtml(code)}</code></pre>`);
      plain.push(code);
      continue;
    }
    if (isQuote(line)) {
      const quoted: RenderedText[] = [];
      for (; i < lines.length && isQuote(lines[i] as string); i += 1) quoted.push(renderInline((lines[i] as string).replace(/^\s*>\s?/, ''), stats));
      i -= 1;
      html.push(`<blockquote>${quoted.map((q) => q.html).join('\n')}</blockquote>`);
      plain.push(quoted.map((q) => q.plain).join('\n'));
      continue;
    }
    const rendered = renderLine(line, stats);
    html.push(rendered.html);
    plain.push(rendered.plain);
  }
  return { html: html.join('\n'), plain: plain.join('\n') };
}

/** A fence line: optional indent, ``` or ~~~, an optional language word, nothing else. */
function fenceOf(line: string): { marker: string; lang: string } | undefined {
  const rest = line.trimStart();
  const marker = rest.startsWith('```') ? '```' : rest.startsWith('~~~') ? '~~~' : undefined;
  if (!marker) return undefined;
  const lang = rest.slice(3).trim();
  return /^[\w+-]*$/.test(lang) ? { marker, lang } : undefined;
}

function isQuote(line: string): boolean {
  return line.trimStart().startsWith('>');
}

function renderLine(line: string, stats?: ConversionStats): RenderedText {
  const heading = headingOf(line);
  if (heading !== undefined) {
    const inner = renderInline(heading, stats);
    return inner.plain.trim() ? { html: `<b>${inner.html}</b>`, plain: inner.plain } : { html: '', plain: '' };
  }
  const bullet = /^(\s*)[-*+]\s+/.exec(line);
  if (bullet) {
    const inner = renderInline(line.slice(bullet[0].length), stats);
    return { html: `${bullet[1]}• ${inner.html}`, plain: `${bullet[1]}• ${inner.plain}` };
  }
  if (isRule(line)) return { html: '', plain: '' };
  return renderInline(line, stats);
}

/** The text of an ATX heading (`## Title ##`), or undefined for another line. */
function headingOf(line: string): string | undefined {
  const open = /^\s{0,3}#{1,6}\s+/.exec(line);
  if (!open) return undefined;
  let text = line.slice(open[0].length).trimEnd();
  // A closing run of # counts only after a space (or as the whole text).
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end -= 1;
  if (end === 0 || SPACE.test(text[end - 1] as string)) text = text.slice(0, end).trimEnd();
  return text;
}

/** `---`, `***`, `___` (spaces allowed between): a thematic break, dropped. */
function isRule(line: string): boolean {
  const marks = line.replace(/\s/g, '');
  return marks.length >= 3 && /^[-*_]$/.test(marks[0] as string) && marks.split(marks[0] as string).every((part) => part === '');
}

/** Delimiters in the order they are tried: the double ones before their single halves. */
const EMPHASIS: Array<{ delim: string; tag: string }> = [
  { delim: '**', tag: 'b' },
  { delim: '__', tag: 'b' },
  { delim: '~~', tag: 's' },
  { delim: '*', tag: 'i' },
  { delim: '_', tag: 'i' },
];

class BudgetExceeded extends Error {}

/** One line's parse state: its text, closer positions found once, and the step budget. */
interface LineContext {
  text: string;
  /** Per delimiter: ascending positions where it may close an emphasis. */
  closers: Map<string, number[]>;
  next: Map<string, NextFinder>;
  steps: number;
  budget: number;
}

/** One line's inline markup. */
export function renderInline(text: string, stats?: ConversionStats): RenderedText {
  const context: LineContext = {
    text,
    closers: new Map(EMPHASIS.map((e) => [e.delim, closerPositions(text, e.delim)])),
    next: new Map(['`', ']', ')'].map((ch) => [ch, nextFinder(text, ch)])),
    steps: text.length * EMPHASIS.length,
    budget: STEPS_BASE + STEPS_PER_CHAR * text.length,
  };
  try {
    const result = parseSpan(context, 0, undefined, 0, new Set(), text.length);
    return { html: result.html, plain: result.plain };
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    return { html: escapeHtml(text), plain: text };
  } finally {
    if (stats) stats.steps += context.steps;
  }
}

interface Span extends RenderedText {
  end: number;
  closed: boolean;
}

function canOpen(text: string, at: number, delim: string): boolean {
  const next = text[at + delim.length];
  if (next === undefined || SPACE.test(next)) return false;
  // `snake_case` and `2*3*4` are words, not emphasis.
  const prev = text[at - 1];
  return !(prev !== undefined && WORD.test(prev) && (delim[0] === '_' || delim === '*'));
}

function canClose(text: string, at: number, delim: string): boolean {
  const prev = text[at - 1];
  if (prev === undefined || SPACE.test(prev)) return false;
  const next = text[at + delim.length];
  return !(next !== undefined && WORD.test(next) && delim[0] === '_');
}

function closerPositions(text: string, delim: string): number[] {
  const positions: number[] = [];
  for (let at = text.indexOf(delim, 1); at !== -1; at = text.indexOf(delim, at + 1)) if (canClose(text, at, delim)) positions.push(at);
  return positions;
}

/** The first closer of `delim` at or after `from`, or -1 (binary search). */
function firstCloser(context: LineContext, delim: string, from: number): number {
  const positions = context.closers.get(delim) as number[];
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((positions[mid] as number) < from) low = mid + 1;
    else high = mid;
  }
  return positions[low] ?? -1;
}

type NextFinder = (from: number) => number;

/** `text.indexOf(ch, from)`, amortised O(1) for ascending `from`: the last answer is reused while it still applies. */
function nextFinder(text: string, ch: string): NextFinder {
  let lastFrom = Number.POSITIVE_INFINITY;
  let lastFound = -1;
  return (from) => {
    if (from >= lastFrom && (lastFound === -1 || from <= lastFound)) return lastFound;
    lastFrom = from;
    lastFound = text.indexOf(ch, from);
    return lastFound;
  };
}

function step(context: LineContext): void {
  context.steps += 1;
  if (context.steps > context.budget) throw new BudgetExceeded();
}

/**
 * Parses from `start` until `closer` (if given) closes the span, or to `limit`.
 * `unclosed` remembers the openers already found to have no closer, so that a line full of
 * stray markers is not searched again for each of them.
 */
function parseSpan(context: LineContext, start: number, closer: string | undefined, depth: number, unclosed: Set<string>, limit: number): Span {
  const text = context.text;
  let html = '';
  let plain = '';
  let i = start;
  while (i < limit) {
    step(context);
    if (closer && text.startsWith(closer, i) && canClose(text, i, closer)) {
      return { html, plain, end: i + closer.length, closed: true };
    }
    const ch = text[i] as string;
    if (ch === '`') {
      const close = (context.next.get('`') as NextFinder)(i + 1);
      if (close > i + 1 && close < limit) {
        const code = text.slice(i + 1, close);
        html += `<code>${escapeHtml(code)}</code>`;
        plain += code;
        i = close + 1;
        continue;
      }
    }
    if (ch === '[') {
      const link = linkAt(context, i, limit);
      if (link) {
        // The label's own markup (bold inside a link), bounded by the label's end.
        const labelHtml = parseSpan(context, i + 1, undefined, depth, unclosed, i + 1 + link.label.length);
        if (SAFE_URL.test(link.url)) {
          html += `<a href="${escapeHtml(link.url)}">${labelHtml.html}</a>`;
        } else {
          html += `${labelHtml.html} (${escapeHtml(link.url)})`;
        }
        plain += `${labelHtml.plain} (${link.url})`;
        i = link.end;
        continue;
      }
    }
    const emphasis = depth < MAX_DEPTH ? EMPHASIS.find((e) => text.startsWith(e.delim, i)) : undefined;
    const attempt = emphasis ? `${i}:${emphasis.delim}` : '';
    if (emphasis && emphasis.delim !== closer && canOpen(text, i, emphasis.delim) && !unclosed.has(attempt)) {
      // Tried only where a closer exists, and the inner text ends at it: no search past it.
      const at = firstCloser(context, emphasis.delim, i + emphasis.delim.length + 1);
      if (at !== -1 && at + emphasis.delim.length <= Math.min(limit, i + MAX_SPAN)) {
        const inner = parseSpan(context, i + emphasis.delim.length, emphasis.delim, depth + 1, unclosed, at + emphasis.delim.length);
        if (inner.closed && inner.plain.length > 0) {
          html += `<${emphasis.tag}>${inner.html}</${emphasis.tag}>`;
          plain += inner.plain;
          i = inner.end;
          continue;
        }
      }
      unclosed.add(attempt);
      // Unmatched: the marker is text, and the rest is parsed again at this level.
      html += escapeHtml(emphasis.delim);
      plain += emphasis.delim;
      i += emphasis.delim.length;
      continue;
    }
    html += escapeHtml(ch);
    plain += ch;
    i += 1;
  }
  return { html, plain, end: i, closed: false };
}

/** `[label](url)` at `at`: label without `]`, url without `)` or spaces, all before `limit`. */
function linkAt(context: LineContext, at: number, limit: number): { label: string; url: string; end: number } | undefined {
  const text = context.text;
  const close = (context.next.get(']') as NextFinder)(at + 1);
  if (close <= at + 1 || close + 1 >= limit || text[close + 1] !== '(') return undefined;
  const paren = (context.next.get(')') as NextFinder)(close + 2);
  if (paren <= close + 2 || paren >= limit) return undefined;
  const url = text.slice(close + 2, paren);
  if (/\s/.test(url)) return undefined;
  return { label: text.slice(at + 1, close), url, end: paren + 1 };
}
