/** Picks the catalog parser by file name or, for a feed, by content. */
import { KnowledgeInvalidError } from '../errors.js';
import { decodeCatalog } from './decode.js';
import { parseCsv } from './parse-csv.js';
import { parseYml, readYml } from './parse-yml.js';
import type { Catalog, Offer, ShopInfo } from './offer.js';

/** Whether text looks like XML (a YML feed) rather than CSV. */
export function looksLikeXml(text: string): boolean {
  return text.trimStart().replace(/^\uFEFF/, '').startsWith('<');
}

/**
 * Parses catalog text: `.csv` files as CSV, `.yml`/`.xml` as YML, anything else (a feed URL)
 * by its first character. `source` names the file or URL in errors.
 */
export function parseCatalog(text: string, source: string): Promise<Catalog> {
  return isCsv(text, source) ? parseCsv(text, source) : parseYml(text, source);
}

/** Whether catalog text is read as CSV: see `parseCatalog`. */
function isCsv(text: string, source: string): boolean {
  const isUrl = /^https?:\/\//i.test(source);
  if (!isUrl && /\.csv$/i.test(source)) return true;
  if (!isUrl && /\.(yml|xml)$/i.test(source)) return false;
  return !looksLikeXml(text);
}

/** Both catalogs of a folder as one: ids must stay unique across them. */
export function mergeCatalogs(catalogs: Catalog[]): Catalog {
  const [first, ...rest] = catalogs;
  if (!first) return { shop: {}, offers: [] };
  return {
    shop: { ...rest.reduce((shop, c) => ({ ...c.shop, ...shop }), first.shop) },
    offers: catalogs.flatMap((c) => c.offers),
  };
}

/** A catalog file or feed body, as text or as bytes still to decode. */
export interface CatalogSource {
  /** The file path or feed URL: picks the parser and names the source in errors. */
  name: string;
  text?: string;
  bytes?: Uint8Array;
  /**
   * The file `bytes` were read from, when nothing else keeps them: an indexing worker is then
   * given the bytes themselves rather than a copy, and they are read again should it fail.
   */
  path?: string;
  /** The feed's Content-Type, which may declare its charset. */
  contentType?: string | null;
  /** An already parsed catalog (an empty stand-in while a feed has never loaded). */
  catalog?: Catalog;
}

/**
 * Decodes, parses and merges catalog sources. Throws `KnowledgeInvalidError` for a source that
 * does not validate, or an offer id used in two of them.
 */
export async function parseCatalogSources(sources: CatalogSource[]): Promise<Catalog> {
  const offers: Offer[] = [];
  const shop = await readCatalogSources(sources, (batch) => {
    offers.push(...batch);
  });
  return { shop, offers };
}

/**
 * Reads catalog sources in order, handing their offers to `onOffers` in batches as they are
 * validated (a YML feed a few hundred at a time), and resolves to the merged shop. With
 * `release`, a source's `bytes` are dropped from it once decoded, so a worker that owns them holds
 * the feed once, as text. Throws as `parseCatalogSources`.
 */
export async function readCatalogSources(sources: CatalogSource[], onOffers: (offers: Offer[]) => void, options: { release?: boolean } = {}): Promise<ShopInfo> {
  const seen = sources.length > 1 ? new Set<string>() : undefined;
  const accept = (batch: Offer[]): void => {
    for (const offer of seen ? batch : []) {
      if (seen!.has(offer.id)) throw new KnowledgeInvalidError({ file: sources.map((s) => s.name).join(' + '), offerId: offer.id }, 'the same offer id is in both catalog files');
      seen!.add(offer.id);
    }
    onOffers(batch);
  };
  const shops: ShopInfo[] = [];
  for (const source of sources) {
    if (source.catalog) {
      accept(source.catalog.offers);
      shops.push(source.catalog.shop);
      continue;
    }
    const text = (source.text ?? decodeCatalog(source.bytes ?? new Uint8Array(), source.contentType)).replace(/^\uFEFF/, '');
    if (options.release) delete source.bytes;
    if (isCsv(text, source.name)) {
      const catalog = await parseCsv(text, source.name);
      accept(catalog.offers);
      shops.push(catalog.shop);
    } else {
      shops.push(await readYml(text, source.name, accept));
    }
  }
  return mergeCatalogs(shops.map((shop) => ({ shop, offers: [] }))).shop;
}
