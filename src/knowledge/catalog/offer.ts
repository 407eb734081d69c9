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

export interface Catalog {
  shop: ShopInfo;
  offers: Offer[];
}

const priceSchema = z
  .union([z.number(), z.string()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return null;
    const n = typeof value === 'number' ? value : Number(value.replace(/\s/g, '').replace(',', '.'));
    if (!Number.isFinite(n) || n < 0) {
      ctx.addIssue({ code: 'custom', message: `price "${value}" is not a non-negative number` });
      return z.NEVER;
    }
    return n;
  });

const availableSchema = z
  .union([z.boolean(), z.string()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '' || typeof value === 'boolean') return value ?? true;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'да', 'в наличии'].includes(v)) return true;
    if (['false', '0', 'no', 'нет', 'под заказ'].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: `available "${value}" is not true or false` });
    return z.NEVER;
  });

/** The raw fields of an offer, as either parser extracts them, checked and normalised. */
export const offerSchema = z.object({
  id: z.string().trim().min(1, 'offer has no id'),
  name: z.string().trim().min(1, 'offer has no name'),
  url: z.url({ message: 'url is missing or not an absolute URL' }),
  price: priceSchema,
  currency: z.string().trim().default('RUB'),
  available: availableSchema,
  vendor: z.string().trim().optional(),
  model: z.string().trim().optional(),
  vendorCode: z.string().trim().optional(),
  categoryPath: z.array(z.string()).default([]),
  description: z.string().default(''),
  params: z.array(z.object({ name: z.string(), value: z.string(), unit: z.string().optional() })).default([]),
});

export type RawOffer = z.input<typeof offerSchema>;

/** Strips HTML tags and entities left in a description, and collapses whitespace. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
