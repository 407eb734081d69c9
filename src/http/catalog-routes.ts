/**
 * `GET /api/v1/catalog/search?q=<text>&limit=<n>`: the catalog search of the knowledge base
 * over HTTP, for the site and for checking what the bot would find.
 */
import { Router } from 'express';
import type { CatalogHit } from '../knowledge/index.js';

/** What the router needs: the knowledge base's catalog search. */
export interface CatalogRouterDeps {
  /** The best offers for a query, best first. */
  search: (q: string, limit: number) => Promise<CatalogHit[]>;
  /** Counts one search from this address; throws RateLimitedError over RATE_LIMIT_CATALOG_PER_MINUTE. */
  limit?: (address: string) => Promise<void>;
}

/** Longer queries are refused: a search costs CPU in proportion to the query, and no visitor types 200 characters into a search box. */
const MAX_QUERY_CHARS = 200;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;

/**
 * @openapi
 * components:
 *   schemas:
 *     CatalogHit:
 *       type: object
 *       required: [id, name, url, price, available, score]
 *       properties:
 *         id: { type: string, description: 'Offer id from the catalog', example: 'oracal-641-g-051-126' }
 *         name: { type: string, example: 'Пленка Oracal 641 051 синий глянцевая, 1,26x50 м' }
 *         url: { type: string, format: uri, example: 'https://www.vink.ru/catalog/oracal-641-g-051-126/' }
 *         price: { type: number, nullable: true, description: 'In the catalog currency; null when on request', example: 11160 }
 *         available: { type: boolean, description: 'In stock (true) or to order (false)' }
 *         score: { type: number, description: 'Relevance, higher is better; comparable within one search', example: 0.9412 }
 *     CatalogSearchResult:
 *       type: object
 *       required: [items]
 *       properties:
 *         items:
 *           type: array
 *           items: { $ref: '#/components/schemas/CatalogHit' }
 *     CatalogSearchError:
 *       type: object
 *       required: [error]
 *       properties:
 *         error: { type: string, example: 'q is required' }
 *         code: { type: string, example: 'catalog.invalid_query' }
 * /api/v1/catalog/search:
 *   get:
 *     summary: Search the product catalog
 *     description: >
 *       Understands Russian word forms, typos, jargon and synonyms, transliterated brands
 *       («оракал» → Oracal), colours and shades, sizes in any unit («3 мм», «126 см»), price
 *       limits («до 5000 рублей») and «в наличии». Best offers first.
 *     tags: [catalog]
 *     parameters:
 *       - in: query
 *         name: q
 *         required: true
 *         schema: { type: string, minLength: 1, maxLength: 200 }
 *         example: синие пленки для плоттера
 *       - in: query
 *         name: limit
 *         required: false
 *         schema: { type: integer, minimum: 1, maximum: 50, default: 10 }
 *     responses:
 *       200:
 *         description: Matching offers, best first (possibly none)
 *         content:
 *           application/json:
 *             schema: { $ref: '#/components/schemas/CatalogSearchResult' }
 *       429:
 *         description: Too many searches from this address (RATE_LIMIT_CATALOG_PER_MINUTE)
 *         content:
 *           application/json:
 *             schema: { $ref: '#/components/schemas/CatalogSearchError' }
 *       400:
 *         description: Missing or empty q, q over 200 characters, or a limit outside 1..50
 *         content:
 *           application/json:
 *             schema: { $ref: '#/components/schemas/CatalogSearchError' }
 */
export function createCatalogRouter(deps: CatalogRouterDeps): Router {
  const router = Router();
  router.get('/api/v1/catalog/search', async (req, res) => {
    await deps.limit?.(req.ip ?? 'unknown');
    const q = req.query.q;
    if (typeof q !== 'string' || q.trim() === '') {
      res.status(400).json({ error: 'q is required: the text to search for', code: 'catalog.invalid_query' });
      return;
    }
    if (q.length > MAX_QUERY_CHARS) {
      res.status(400).json({ error: `q is longer than ${MAX_QUERY_CHARS} characters`, code: 'catalog.invalid_query' });
      return;
    }
    const rawLimit = req.query.limit;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : typeof rawLimit === 'string' && /^\d+$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      res.status(400).json({ error: `limit must be an integer from 1 to ${MAX_LIMIT}`, code: 'catalog.invalid_limit' });
      return;
    }
    res.json({ items: await deps.search(q, limit) });
  });
  return router;
}
