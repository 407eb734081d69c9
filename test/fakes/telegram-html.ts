/**
 * The Bot API's HTML parse mode, as the fake Telegram server checks it: the supported tags only,
 * balanced, with `&lt; &gt; &amp; &quot;` and numeric entities; anything else is the 400
 * "can't parse entities" the real server answers. Returns the visible text, whose length the
 * 4,096-character limit applies to (https://core.telegram.org/bots/api#html-style), and its
 * entities as Telegram echoes them in the Message (offsets in UTF-16 code units).
 */
import type { MessageEntity } from 'grammy/types';

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export type ParsedHtml = { ok: true; text: string; entities: MessageEntity[] } | { ok: false; description: string };

const ENTITY_TYPES: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough', strike: 'strikethrough',
  del: 'strikethrough', span: 'spoiler', 'tg-spoiler': 'spoiler', a: 'text_link', 'tg-emoji': 'custom_emoji', code: 'code', pre: 'pre', blockquote: 'blockquote',
};

const fail = (detail: string): ParsedHtml => ({ ok: false, description: `Bad Request: can't parse entities: ${detail}` });

/** Parses `html` like the Bot API does for `parse_mode: 'HTML'`. */
export function parseTelegramHtml(html: string): ParsedHtml {
  const open: Array<{ name: string; offset: number; url?: string }> = [];
  const entities: MessageEntity[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === '&') {
      const entity = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(html.slice(i));
      if (entity) {
        const name = entity[1] as string;
        const decoded = name.startsWith('#')
          ? String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)))
          : NAMED[name];
        // Telegram leaves unknown named entities as they are.
        text += decoded ?? entity[0];
        i += entity[0].length;
        continue;
      }
      text += ch;
      i += 1;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i += 1;
      continue;
    }
    const offset = Buffer.byteLength(html.slice(0, i));
    const end = html.indexOf('>', i);
    if (end < 0) return fail(`Unclosed start tag at byte offset ${offset}`);
    const raw = html.slice(i + 1, end).trim();
    if (raw.startsWith('/')) {
      const name = raw.slice(1).trim().toLowerCase();
      const expected = open.pop();
      if (expected === undefined) return fail(`Unexpected end tag at byte offset ${offset}`);
      if (expected.name !== name) return fail(`Unmatched end tag at byte offset ${offset}, expected "</${expected.name}>", found "</${name}>"`);
      // Telegram drops empty entities.
      const length = text.length - expected.offset;
      if (length > 0) entities.push({ type: ENTITY_TYPES[name], offset: expected.offset, length, ...(expected.url === undefined ? {} : { url: expected.url }) } as MessageEntity);
    } else {
      const name = /^[a-z][a-z0-9-]*/i.exec(raw)?.[0]?.toLowerCase();
      if (!name) return fail(`Unexpected start tag at byte offset ${offset}`);
      if (!TAGS.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${offset}`);
      const attributes = raw.slice(name.length);
      if (name === 'a' && !/\bhref\s*=\s*"[^"]*"/.test(attributes)) return fail(`Can't find href attribute of tag "a" at byte offset ${offset}`);
      if (name === 'span' && !/class\s*=\s*"tg-spoiler"/.test(attributes)) return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${offset}`);
      open.push({ name, offset: text.length, ...(name === 'a' ? { url: /\bhref\s*=\s*"([^"]*)"/.exec(attributes)?.[1] ?? '' } : {}) });
    }
    i = end + 1;
  }
  const unclosed = open.pop();
  if (unclosed) return fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text, entities };
}
