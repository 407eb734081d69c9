/**
 * The catalog as the rest of the knowledge module sees it, whatever its source format, and the
 * zod schema every offer passes before it reaches the index.
 */
import { z } from 'zod';

/** One product parameter (`<param name="Толщина" unit="мм">3</param>`). */
export interface OfferParam {
  name: string;
  value: string;
  unit?: string;
}

/** One product of the catalog. */
export interface Offer {
  id: string;
  name: string;
  url: string;
  /** Null when the feed gives no price ("price on request"). */
  price: number | null;
  currency: string;
  available: boolean;
  vendor?: string;
  model?: string;
  vendorCode?: string;
  /** Category names from the root down. */
  categoryPath: string[];
  description: string;
  params: OfferParam[];
}

/** The shop block of a YML feed: used for the `{{company}}` and `{{site}}` placeholders. */
export interface ShopInfo {
  name?: string;
  company?: string;
  url?: string;
}

/** A parsed catalog: the shop and its offers in feed order. */
export interface Catalog {
  shop: ShopInfo;
  offers: Offer[];
}

/**
 * An offer as a parser extracts it: text fields as found. `price` and `available` are still text
 * here, so a problem can quote what the feed said.
 */
export interface RawOffer extends Omit<Offer, 'price' | 'available'> {
  price?: string;
  available?: string;
}

/** Checks a converted offer; kept to plain types, so 50,000 offers validate in a fraction of a second. */
export const offerSchema = z.object({
  id: z.string().min(1, 'offer has no id'),
  name: z.string().min(1, 'offer has no name'),
  url: z.url({ message: 'url is missing or not an absolute URL' }),
  price: z.number().nonnegative().nullable(),
  currency: z.string().min(1),
  available: z.boolean(),
  vendor: z.string().optional(),
  model: z.string().optional(),
  vendorCode: z.string().optional(),
  categoryPath: z.array(z.string()),
  description: z.string(),
  params: z.array(z.object({ name: z.string(), value: z.string(), unit: z.string().optional() })),
});

/** "12 500,50" → 12500.5; empty → null; anything else → undefined (a problem). */
export function parsePrice(text: string | undefined): number | null | undefined {
  const cleaned = text?.replace(/[\s\u00a0]/g, '').replace(',', '.') ?? '';
  if (cleaned === '') return null;
  const value = Number(cleaned);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** YML's `available` (absent means available) and CSV spellings; undefined for anything else. */
export function parseAvailable(text: string | undefined): boolean | undefined {
  const v = text?.trim().toLowerCase() ?? '';
  if (['', 'true', '1', 'yes', 'да', 'в наличии', 'есть'].includes(v)) return true;
  if (['false', '0', 'no', 'нет', 'под заказ'].includes(v)) return false;
  return undefined;
}

const HTML_ENTITIES: Record<string, string> = { nbsp: ' ', laquo: '«', raquo: '»', mdash: '—', ndash: '–', quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", deg: '°', times: '×', sup2: '²' };

/** What `plainText` would change: a tag or entity, white space other than single spaces, or at an end. */
const NOT_PLAIN = /[<&]|\s\s|[^\S ]|^\s|\s$/;

/** Strips HTML tags and entities left in a description (often escaped HTML), and collapses whitespace. */
export function plainText(html: string): string {
  // Most descriptions have no markup, no entity and no run of white space: nothing to change.
  if (!NOT_PLAIN.test(html)) return html;
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d?);/gi, (whole, name: string) => {
      if (name[0] !== '#') return HTML_ENTITIES[name.toLowerCase()] ?? whole;
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
