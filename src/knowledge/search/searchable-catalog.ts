/**
 * A catalog as the knowledge base searches it: an index on this thread (tests, the command
 * line, and a process that cannot start a worker) or in the catalog thread (`CatalogThread`).
 */
import { rankOffers, type RankedOffer } from './rank-offers.js';
import type { CatalogIndex } from './catalog-index.js';
import type { ShopInfo } from '../catalog/offer.js';
import type { Synonyms } from './synonyms.js';

export interface SearchableCatalog {
  readonly shop: ShopInfo;
  /** Offers in the catalog. */
  readonly size: number;
  /** The best offers for a question, best first, at most `limit` (see `rankOffers`). */
  rank(synonyms: Synonyms, question: string, limit: number): Promise<RankedOffer[]>;
  /**
   * Frees the catalog: once the searches asked by then are answered, after a short grace for a
   * reply composed before it was replaced; later searches fail.
   */
  close(): void;
}

/** An index searched on this thread. */
export class LocalCatalog implements SearchableCatalog {
  readonly shop: ShopInfo;
  readonly size: number;

  constructor(readonly index: CatalogIndex) {
    this.shop = index.shop;
    this.size = index.offers.size;
  }

  rank(synonyms: Synonyms, question: string, limit: number): Promise<RankedOffer[]> {
    return Promise.resolve().then(() => rankOffers(this.index, synonyms, question, limit));
  }

  close(): void {}
}
