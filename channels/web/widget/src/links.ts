/**
 * Finds the http and https links in a message (view.ts makes them clickable and shows the rest as
 * text, never parsed as HTML). Hand-written rather than linkifyjs (about 12 KB gzipped, most of the widget's
 * budget) because the rule is small: a link runs to the next space, quote or angle bracket, then
 * loses trailing punctuation and any closing bracket it did not open — "(см. https://x.ru/a)"
 * links https://x.ru/a, while "https://ru.wikipedia.org/wiki/Винил_(материал)" keeps its bracket.
 */
const URL_START = /https?:\/\/[^\s<>"'«»]+/gi;
const TRAILING = /[.,;:!?…]$/;
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Where the link in `candidate` really ends. */
export function trimLink(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.slice(-1);
    if (TRAILING.test(last)) {
      url = url.slice(0, -1);
      continue;
    }
    const open = PAIRS[last];
    if (open && url.split(open).length - 1 < url.split(last).length - 1) {
      url = url.slice(0, -1);
      continue;
    }
    return url;
  }
}

/** Splits `text` into plain parts and links, in order. */
export function splitLinks(text: string): Array<{ text: string; href?: string }> {
  const parts: Array<{ text: string; href?: string }> = [];
  let at = 0;
  for (const match of text.matchAll(URL_START)) {
    const start = match.index ?? 0;
    const url = trimLink(match[0]);
    if (url.length <= 'https://'.length) continue;
    if (start > at) parts.push({ text: text.slice(at, start) });
    parts.push({ text: url, href: url });
    at = start + url.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}
