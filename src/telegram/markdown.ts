/**
 * The model's Markdown → Telegram HTML (https://core.telegram.org/bots/api#html-style).
 *
 * Telegram refuses a whole message over one stray `<` or unclosed tag ("can't parse entities"),
 * and models write loose Markdown: unmatched `*`, `snake_case`, tables. So this is not a Markdown
 * parser but a tolerant converter of the subset models use — bold, italic, strike, inline code,
 * fenced code, links, headings, bullets, quotes — that builds its HTML from balanced pieces and
 * escapes every other character; whatever it does not recognise stays literal text. It also
 * returns the visible text, for the plain-text fallback.
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

/** Converts a model reply; never throws, and the result is always accepted by Telegram's HTML parser. */
export function markdownToTelegram(markdown: string): RenderedText {
  const html: string[] = [];
  const plain: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] as string;
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      // Everything up to the closing fence (or the end: an unclosed fence still yields a balanced tag).
      const body: string[] = [];
      for (i += 1; i < lines.length && !(lines[i] as string).trim().startsWith(fence[1] as string); i += 1) body.push(lines[i] as string);
      const code = body.join('\n');
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      html.push(`<pre><code${lang}>${escapeHtml(code)}</code></pre>`);
      plain.push(code);
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: RenderedText[] = [];
      for (; i < lines.length && /^\s*>/.test(lines[i] as string); i += 1) quoted.push(renderInline((lines[i] as string).replace(/^\s*>\s?/, '')));
      i -= 1;
      html.push(`<blockquote>${quoted.map((q) => q.html).join('\n')}</blockquote>`);
      plain.push(quoted.map((q) => q.plain).join('\n'));
      continue;
    }
    const rendered = renderLine(line);
    html.push(rendered.html);
    plain.push(rendered.plain);
  }
  return { html: html.join('\n'), plain: plain.join('\n') };
}

function renderLine(line: string): RenderedText {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const inner = renderInline(heading[1] as string);
    return inner.plain.trim() ? { html: `<b>${inner.html}</b>`, plain: inner.plain } : { html: '', plain: '' };
  }
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) {
    const inner = renderInline(bullet[2] as string);
    return { html: `${bullet[1]}• ${inner.html}`, plain: `${bullet[1]}• ${inner.plain}` };
  }
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return { html: '', plain: '' };
  return renderInline(line);
}

/** Delimiters in the order they are tried: the double ones before their single halves. */
const EMPHASIS: Array<{ delim: string; tag: string }> = [
  { delim: '**', tag: 'b' },
  { delim: '__', tag: 'b' },
  { delim: '~~', tag: 's' },
  { delim: '*', tag: 'i' },
  { delim: '_', tag: 'i' },
];

/** One line's inline markup. */
export function renderInline(text: string): RenderedText {
  const result = parseSpan(text, 0, undefined, 0, new Set());
  return { html: result.html, plain: result.plain };
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

/**
 * Parses from `start` until `closer` (if given) closes the span, or to the end of the text.
 * `unclosed` remembers the openers already found to have no closer, so that a line full of
 * stray markers is not searched again for each of them (that search would be exponential).
 */
function parseSpan(text: string, start: number, closer: string | undefined, depth: number, unclosed: Set<string>): Span {
  let html = '';
  let plain = '';
  let i = start;
  const end = closer ? Math.min(text.length, start + MAX_SPAN) : text.length;
  while (i < end) {
    if (closer && text.startsWith(closer, i) && canClose(text, i, closer)) {
      return { html, plain, end: i + closer.length, closed: true };
    }
    const ch = text[i] as string;
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close > i + 1) {
        const code = text.slice(i + 1, close);
        html += `<code>${escapeHtml(code)}</code>`;
        plain += code;
        i = close + 1;
        continue;
      }
    }
    if (ch === '[') {
      const link = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(text.slice(i));
      if (link) {
        const label = renderInline(link[1] as string);
        const url = link[2] as string;
        if (SAFE_URL.test(url)) {
          html += `<a href="${escapeHtml(url)}">${label.html}</a>`;
          plain += `${label.plain} (${url})`;
        } else {
          html += `${label.html} (${escapeHtml(url)})`;
          plain += `${label.plain} (${url})`;
        }
        i += link[0].length;
        continue;
      }
    }
    const emphasis = depth < MAX_DEPTH ? EMPHASIS.find((e) => text.startsWith(e.delim, i)) : undefined;
    const attempt = emphasis ? `${i}:${emphasis.delim}` : '';
    if (emphasis && emphasis.delim !== closer && canOpen(text, i, emphasis.delim) && !unclosed.has(attempt)) {
      const inner = parseSpan(text, i + emphasis.delim.length, emphasis.delim, depth + 1, unclosed);
      if (inner.closed && inner.plain.length > 0) {
        html += `<${emphasis.tag}>${inner.html}</${emphasis.tag}>`;
        plain += inner.plain;
        i = inner.end;
        continue;
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
