/** Picks the catalog parser by file name or, for a feed, by content. */
import { parseCsv } from './parse-csv.js';
import { parseYml } from './parse-yml.js';
import type { Catalog } from './offer.js';

/** Whether text looks like XML (a YML feed) rather than CSV. */
export function looksLikeXml(text: string): boolean {
  return text.trimStart().replace(/^\uFEFF/, '').startsWith('<');
}

/**
 * Parses catalog text: `.csv` files as CSV, `.yml`/`.xml` as YML, anything else (a feed URL)
 * by its first character. `source` names the file or URL in errors.
 */
export function parseCatalog(text: string, source: string): Promise<Catalog> {
  if (/\.csv$/i.test(source)) return parseCsv(text, source);
  if (/\.(yml|xml)$/i.test(source)) return parseYml(text, source);
  return looksLikeXml(text) ? parseYml(text, source) : parseCsv(text, source);
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
