/**
 * Reads one YML `<offer>` element, already checked to be well formed (`findXmlProblem`), into a
 * flat record of its attributes, its child elements' text and its `<param>`s. A general XML
 * parser builds a tree of nodes per offer first; on a 50,000-offer feed that tree cost over a
 * second and most of the garbage of a load, while an offer is one level of children with text.
 * Hand-written for that reason: it reads only this shape, and leaves checking to `findXmlProblem`.
 */

/** An offer element as found: attributes, the first text of each child, and the params. */
export interface OfferXml {
  attributes: Record<string, string>;
  children: Record<string, string>;
  params: Array<{ name: string; unit?: string; value: string }>;
}

const ATTRIBUTE = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML's five named entities and numeric character references; leaves others as they are. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
  });
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (!text.includes('=')) return attributes;
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(text); m; m = ATTRIBUTE.exec(text)) attributes[m[1]!] = decodeXmlEntities(m[2] ?? m[3] ?? '');
  return attributes;
}

/**
 * The text of an element's content: CDATA as it is, nested tags as spaces (a description with
 * markup in it), comments dropped, entities decoded elsewhere than in CDATA.
 */
function textOf(content: string): string {
  if (!content.includes('<')) return decodeXmlEntities(content);
  let out = '';
  let at = 0;
  while (at < content.length) {
    const open = content.indexOf('<', at);
    if (open === -1) {
      out += decodeXmlEntities(content.slice(at));
      break;
    }
    out += decodeXmlEntities(content.slice(at, open));
    if (content.startsWith('<![CDATA[', open)) {
      const end = content.indexOf(']]>', open);
      out += content.slice(open + 9, end === -1 ? content.length : end);
      at = end === -1 ? content.length : end + 3;
    } else if (content.startsWith('<!--', open)) {
      const end = content.indexOf('-->', open);
      at = end === -1 ? content.length : end + 3;
    } else {
      const end = content.indexOf('>', open);
      out += ' ';
      at = end === -1 ? content.length : end + 1;
    }
  }
  return out;
}

/** The end of the element whose content starts at `from`: the index of its matching close tag. */
function closeOf(xml: string, name: string, from: number): number {
  const close = `</${name}`;
  let depth = 0;
  let at = from;
  for (;;) {
    const next = xml.indexOf('<', at);
    if (next === -1) return xml.length;
    if (xml.startsWith('<![CDATA[', next)) {
      const end = xml.indexOf(']]>', next);
      at = end === -1 ? xml.length : end + 3;
      continue;
    }
    if (xml.startsWith('<!--', next)) {
      const end = xml.indexOf('-->', next);
      at = end === -1 ? xml.length : end + 3;
      continue;
    }
    const tagEnd = xml.indexOf('>', next);
    if (tagEnd === -1) return xml.length;
    if (xml.startsWith(close, next) && endsName(xml.charCodeAt(next + close.length))) {
      if (depth === 0) return next;
      depth--;
    } else if (xml[next + 1] !== '/' && xml[tagEnd - 1] !== '/' && tagNameAt(xml, next + 1) === name) {
      depth++;
    }
    at = tagEnd + 1;
  }
}

/** Characters that end a tag name: whitespace, "/" and ">". */
function endsName(code: number): boolean {
  return code === 0x3e || code === 0x2f || code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

function tagNameAt(xml: string, at: number): string {
  let end = at;
  while (end < xml.length && !endsName(xml.charCodeAt(end))) end++;
  return xml.slice(at, end);
}

/** Reads `<offer …>…</offer>` (the whole element, well formed). */
export function readOfferXml(xml: string): OfferXml {
  const headEnd = xml.indexOf('>');
  const offer: OfferXml = { attributes: attributesOf(xml.slice(6, headEnd)), children: {}, params: [] };
  const end = xml.lastIndexOf('</offer');
  let at = headEnd + 1;
  while (at < end) {
    const open = xml.indexOf('<', at);
    if (open === -1 || open >= end) break;
    if (xml.startsWith('<!--', open)) {
      at = xml.indexOf('-->', open) + 3;
      continue;
    }
    const tagEnd = xml.indexOf('>', open);
    const name = tagNameAt(xml, open + 1);
    const selfClosing = xml[tagEnd - 1] === '/';
    let text = '';
    if (selfClosing) at = tagEnd + 1;
    else {
      const close = closeOf(xml, name, tagEnd + 1);
      text = textOf(xml.slice(tagEnd + 1, close));
      at = xml.indexOf('>', close) + 1;
    }
    if (name === 'param') {
      // Only a param's attributes are read: cut out for it alone, not for every child.
      const a = attributesOf(xml.slice(open + 1 + name.length, selfClosing ? tagEnd - 1 : tagEnd));
      offer.params.push({ name: a.name ?? '', unit: a.unit, value: text.trim() });
    } else if (!(name in offer.children)) {
      offer.children[name] = text;
    }
  }
  return offer;
}
