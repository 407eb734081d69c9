/**
 * Yandex Market Language (YML) feeds: `yml_catalog/shop` with `categories` and `offers/offer`.
 * A large feed is not parsed as one document: offers are cut out in batches, each batch is
 * validated and parsed on its own, and the event loop gets a turn between batches, so a
 * 50,000-offer feed does not stall the server. Problems name the file, the line and the offer.
 */
import { XMLParser } from 'fast-xml-parser';
import { KnowledgeInvalidError } from '../errors.js';
import { plainText, type RawOffer, type ShopInfo } from './offer.js';
import { readOfferXml, type OfferXml } from './read-offer-xml.js';
import { OfferValidator } from './validate-offers.js';
import { findXmlProblem, lineOfOffset } from './xml-check.js';
import type { Catalog, Offer } from './offer.js';

/** Offers per parsed batch; between batches the event loop runs. */
const BATCH_SIZE = 250;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'category',
});

type XmlNode = Record<string, unknown>;

/** Counts line breaks between two positions, so each offer knows its line without a second pass. */
class LineCounter {
  private position = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  lineAt(index: number): number {
    for (let i = this.text.indexOf('\n', this.position); i !== -1 && i < index; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
    }
    this.position = Math.max(this.position, index);
    return this.line;
  }
}

/** Parses a YML feed. Throws `KnowledgeInvalidError` naming `file`, line and offer id. */
export async function parseYml(text: string, file: string): Promise<Catalog> {
  const offers: Offer[] = [];
  const shop = await readYml(text, file, (batch) => {
    offers.push(...batch);
  });
  return { shop, offers };
}

/**
 * Reads a YML feed batch by batch: each batch of offers is validated and handed to `onOffers`
 * before the next is parsed, so a reader that indexes them never holds the whole catalog as
 * objects. Resolves to the shop. Throws `KnowledgeInvalidError` naming `file`, line and offer id.
 */
export async function readYml(text: string, file: string, onOffers: (offers: Offer[]) => void): Promise<ShopInfo> {
  const validator = new OfferValidator(file);
  const lines = new LineCounter(text);
  const categories = parseCategories(text, file, lines);
  const shop = parseShop(text, file);
  const offersOpen = text.search(/<offers[\s>]/);
  if (offersOpen === -1) throw new KnowledgeInvalidError({ file }, 'no <offers> element: the catalog has no offers');
  const offersClose = text.indexOf('</offers>', offersOpen);
  const end = offersClose === -1 ? text.length : offersClose;

  let cursor = text.indexOf('>', offersOpen) + 1;
  while (cursor < end) {
    const batch: Array<{ start: number; end: number; line: number }> = [];
    let batchEnd = cursor;
    while (batch.length < BATCH_SIZE) {
      const start = findOfferStart(text, batchEnd, end);
      if (start === -1) break;
      const close = text.indexOf('</offer>', start);
      if (close === -1 || close > end) {
        throw new KnowledgeInvalidError({ file, line: lines.lineAt(start) }, '<offer> is never closed');
      }
      batchEnd = close + '</offer>'.length;
      batch.push({ start, end: batchEnd, line: lines.lineAt(start) });
    }
    if (batch.length === 0) break;
    checkBatch(text, batch, file);
    // Each offer is validated as it is read, so its raw form is garbage at once rather than
    // living (and being copied by the young-generation collector) until the whole batch is read.
    onOffers(batch.map(({ start, end, line }) => validator.accept(toRawOffer(readOfferXml(text.slice(start, end)), categories), line)));
    cursor = batchEnd;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  validator.finish();
  return shop;
}

function findOfferStart(text: string, from: number, end: number): number {
  const re = /<offer[\s>]/g;
  re.lastIndex = from;
  const match = re.exec(text);
  return match && match.index < end ? match.index : -1;
}

/** Throws when the batch's XML is not well formed, naming the line and the offer there. */
function checkBatch(text: string, batch: Array<{ start: number; end: number; line: number }>, file: string): void {
  const xml = text.slice(batch[0]!.start, batch.at(-1)!.end);
  const problem = findXmlProblem(xml);
  if (problem) {
    const line = batch[0]!.line + lineOfOffset(xml, problem.offset) - 1;
    throw new KnowledgeInvalidError({ file, line, offerId: offerIdNear(batch, line, xml) }, `malformed XML: ${problem.message}`);
  }
}

function offerIdNear(batch: Array<{ start: number; line: number }>, line: number, xml: string): string | undefined {
  const base = batch[0]!.start;
  const offer = [...batch].reverse().find((o) => o.line <= line) ?? batch[0]!;
  return /<offer[^>]*\bid="([^"]*)"/.exec(xml.slice(offer.start - base, offer.start - base + 300))?.[1];
}

function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  return Object.entries(node as XmlNode)
    .filter(([key]) => !key.startsWith('@_'))
    .map(([, value]) => textOf(value))
    .join(' ');
}

function toRawOffer({ attributes, children, params }: OfferXml, categories: Map<string, { name: string; parentId?: string }>): RawOffer {
  const field = (name: string): string | undefined => {
    const value = children[name]?.trim();
    return value ? value : undefined;
  };
  const vendor = field('vendor');
  const model = field('model');
  const name = field('name') ?? [field('typePrefix'), vendor, model].filter(Boolean).join(' ');
  return {
    id: attributes.id ?? '',
    name,
    url: field('url') ?? '',
    price: field('price'),
    currency: field('currencyId') ?? 'RUB',
    available: attributes.available,
    vendor,
    model,
    vendorCode: field('vendorCode'),
    categoryPath: categoryPath(field('categoryId'), categories),
    description: plainText(children.description ?? ''),
    params: params.filter((p) => p.name && p.value).map((p) => (p.unit === undefined ? { name: p.name, value: p.value } : p)),
  };
}

function categoryPath(id: string | undefined, categories: Map<string, { name: string; parentId?: string }>): string[] {
  const path: string[] = [];
  for (let current = id, depth = 0; current && depth < 20; depth++) {
    const category = categories.get(current);
    if (!category) break;
    path.unshift(category.name);
    current = category.parentId;
  }
  return path;
}

function parseCategories(text: string, file: string, lines: LineCounter): Map<string, { name: string; parentId?: string }> {
  const map = new Map<string, { name: string; parentId?: string }>();
  const start = text.indexOf('<categories');
  if (start === -1) return map;
  const close = text.indexOf('</categories>', start);
  const line = lines.lineAt(start);
  if (close === -1) throw new KnowledgeInvalidError({ file, line }, '<categories> is never closed');
  const xml = text.slice(start, close + '</categories>'.length);
  const problem = findXmlProblem(xml);
  if (problem) throw new KnowledgeInvalidError({ file, line: line + lineOfOffset(xml, problem.offset) - 1 }, `malformed XML: ${problem.message}`);
  const nodes = ((parser.parse(xml) as XmlNode).categories as XmlNode | undefined)?.category as unknown[] | undefined;
  for (const node of nodes ?? []) {
    const category = (typeof node === 'object' && node !== null ? node : { '#text': node }) as XmlNode;
    const id = category['@_id'];
    if (id === undefined) continue;
    map.set(String(id), { name: textOf(category['#text']).trim(), parentId: category['@_parentId'] as string | undefined });
  }
  return map;
}

function parseShop(text: string, file: string): ShopInfo {
  const start = text.indexOf('<shop>');
  if (start === -1) throw new KnowledgeInvalidError({ file }, 'no <shop> element: not a YML catalog');
  const stop = text.slice(start).search(/<(currencies|categories|offers|delivery-options)[\s>]/);
  const head = text.slice(start + '<shop>'.length, stop === -1 ? start + 2000 : start + stop);
  const problem = findXmlProblem(head);
  if (problem) throw new KnowledgeInvalidError({ file, line: lineOfOffset(text, start + '<shop>'.length + problem.offset) }, `malformed XML: ${problem.message}`);
  const field = (tag: string): string | undefined => {
    const value = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(head)?.[1]?.trim();
    return value ? decodeEntities(value) : undefined;
  };
  return { name: field('name'), company: field('company'), url: field('url') };
}

function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => named[name] ?? '');
}
