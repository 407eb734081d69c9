/**
 * Splits a long reply into Telegram-sized messages. `sendMessage` takes at most 4,096 characters
 * after entity parsing; markup only shrinks a Markdown chunk when it becomes HTML, so splitting
 * the source at the limit is enough. Breaks fall on paragraph boundaries, then on line breaks,
 * then between words, and only as a last resort inside a word (never inside a surrogate pair).
 */

/** Telegram's limit on one message's text, in UTF-16 code units (as JavaScript counts). */
export const TELEGRAM_MESSAGE_LIMIT = 4096;

const FENCE = /^\s*(```|~~~)/;

/** Returns the parts of `text`, in order, each at most `limit` characters; one part when it fits. */
export function splitMessage(text: string, limit = TELEGRAM_MESSAGE_LIMIT): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= limit) return trimmed ? [trimmed] : [];
  // Room to close a code fence at the end of a part and reopen it in the next (see balanceFences).
  const room = limit - 8;
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) parts.push(current.trim());
    current = '';
  };
  for (const piece of pieces(trimmed, room)) {
    const joined = current ? `${current}${piece.separator}${piece.text}` : piece.text;
    if (joined.length <= room) {
      current = joined;
      continue;
    }
    flush();
    current = piece.text;
  }
  flush();
  return balanceFences(parts);
}

interface Piece {
  text: string;
  /** What joined this piece to the one before it in the source. */
  separator: string;
}

/** The text cut into pieces no longer than `limit`, each tagged with the separator before it. */
function pieces(text: string, limit: number): Piece[] {
  const out: Piece[] = [];
  text.split(/\n{2,}/).forEach((paragraph, p) => {
    const paragraphSeparator = p === 0 ? '' : '\n\n';
    if (paragraph.length <= limit) return void out.push({ text: paragraph, separator: paragraphSeparator });
    paragraph.split('\n').forEach((line, l) => {
      const lineSeparator = l === 0 ? paragraphSeparator : '\n';
      if (line.length <= limit) return void out.push({ text: line, separator: lineSeparator });
      cutLine(line, limit).forEach((chunk, c) => out.push({ text: chunk, separator: c === 0 ? lineSeparator : ' ' }));
    });
  });
  return out;
}

/** A line longer than the limit, cut at the last space before it, or hard where there is none. */
function cutLine(line: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let at = rest.lastIndexOf(' ', limit);
    if (at < limit / 2) at = limit;
    // Do not split an emoji or other astral character in half.
    const code = rest.charCodeAt(at - 1);
    if (at === limit && code >= 0xd800 && code <= 0xdbff) at -= 1;
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/** A part that ends inside a fenced code block gets it closed, and the next part reopens it. */
function balanceFences(parts: string[]): string[] {
  let open: string | undefined;
  return parts.map((part) => {
    let text = open ? `${open}\n${part}` : part;
    for (const line of part.split('\n')) {
      const fence = FENCE.exec(line);
      if (!fence) continue;
      // Reopened without its language: the 8 characters of room cover only the bare fences.
      open = open ? undefined : (fence[1] as string);
    }
    if (open) text += `\n${open}`;
    return text;
  });
}
