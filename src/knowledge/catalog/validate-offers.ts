/** Checks every raw offer against the schema and for duplicate ids, naming file, line and offer. */
import { KnowledgeInvalidError } from '../errors.js';
import { oneLine } from '../text/one-line.js';
import { offerSchema, parseAvailable, parsePrice, type Offer, type RawOffer } from './offer.js';

const YIELD_EVERY = 2000;

/**
 * Checks offers one at a time, as a streaming reader hands them over: each against the schema,
 * and its id against those seen before. Errors name `file`, the line and the offer.
 */
export class OfferValidator {
  private readonly seen = new Map<string, number>();

  constructor(private readonly file: string) {}

  /** The validated offer; throws `KnowledgeInvalidError` when it is not one. */
  accept(offer: RawOffer, line: number): Offer {
    const file = this.file;
    const offerId = offer.id || undefined;
    const price = parsePrice(offer.price);
    if (price === undefined) throw new KnowledgeInvalidError({ file, line, offerId }, `price "${offer.price}" is not a non-negative number`);
    const available = parseAvailable(offer.available);
    if (available === undefined) throw new KnowledgeInvalidError({ file, line, offerId }, `available "${offer.available}" is not true or false`);
    const parsed = offerSchema.safeParse(oneLineOffer(offer, price, available));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new KnowledgeInvalidError({ file, line, offerId }, `${field}${issue?.message ?? 'invalid offer'}`);
    }
    const first = this.seen.get(parsed.data.id);
    if (first !== undefined) {
      throw new KnowledgeInvalidError({ file, line, offerId }, `duplicate offer id (first at line ${first})`);
    }
    this.seen.set(parsed.data.id, line);
    return parsed.data as Offer;
  }

  /** Throws when no offer was accepted. */
  finish(): void {
    if (this.seen.size === 0) throw new KnowledgeInvalidError({ file: this.file }, 'the catalog has no offers');
  }
}

/** Validated offers in feed order; throws `KnowledgeInvalidError` on the first bad one. */
export async function validateOffers(raw: Array<{ offer: RawOffer; line: number }>, file: string): Promise<Offer[]> {
  if (raw.length === 0) throw new KnowledgeInvalidError({ file }, 'the catalog has no offers');
  const validator = new OfferValidator(file);
  const offers: Offer[] = [];
  for (const [i, { offer, line }] of raw.entries()) {
    offers.push(validator.accept(offer, line));
    if ((i + 1) % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return offers;
}

/**
 * The offer to check: every text field on one line (see one-line.ts), as feed text reaches the
 * system prompt, with its parsed price and stock. Built as one literal, not spread from the raw
 * offer and spread again: the copies were a tenth of a 50,000-offer feed's validation.
 */
function oneLineOffer(offer: RawOffer, price: number | null, available: boolean): Record<keyof Offer, unknown> {
  return {
    id: oneLine(offer.id),
    name: oneLine(offer.name),
    url: offer.url.trim(),
    price,
    currency: oneLine(offer.currency),
    available,
    vendor: optionalLine(offer.vendor),
    model: optionalLine(offer.model),
    vendorCode: optionalLine(offer.vendorCode),
    categoryPath: offer.categoryPath.map(oneLine),
    description: oneLine(offer.description),
    params: offer.params.map((p) => (p.unit === undefined ? { name: oneLine(p.name), value: oneLine(p.value) } : { name: oneLine(p.name), value: oneLine(p.value), unit: oneLine(p.unit) })),
  };
}

function optionalLine(value: string | undefined): string | undefined {
  return value === undefined ? undefined : oneLine(value);
}
