/** GET /api/v1/catalog/search over a real socket, and its OpenAPI description. */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRouter } from '../../../src/http/catalog-routes.js';
import { buildOpenApiDocument } from '../../../src/http/swagger.js';
import { loadPromptsFolder, searchHits, type KnowledgeSnapshot } from '../../../src/knowledge/index.js';

let server: Server;
let base: string;
let snapshot: KnowledgeSnapshot;

beforeAll(async () => {
  snapshot = await loadPromptsFolder('prompts');
  const app = express().use(createCatalogRouter({ search: (q, limit) => searchHits(snapshot, q, limit) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = async (query: string): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${base}/api/v1/catalog/search${query}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('GET /api/v1/catalog/search', () => {
  it('answers 200 with the best offers first, in the public shape', async () => {
    const { status, body } = await get(`?q=${encodeURIComponent('синие пленки для плоттера')}&limit=3`);

    const items = body.items as Array<Record<string, unknown>>;
    expect(status).toBe(200);
    expect(items).toHaveLength(3);
    expect(Object.keys(items[0]!).sort()).toEqual(['available', 'id', 'name', 'price', 'score', 'url']);
    expect(items[0]).toMatchObject({ id: 'oracal-641-g-051-126', url: 'https://www.vink.ru/catalog/oracal-641-g-051-126/', available: true });
    expect(items.map((i) => i.score as number)).toEqual([...items.map((i) => i.score as number)].sort((a, b) => b - a));
  });

  it('defaults to 10 offers and answers an empty list when nothing matches', async () => {
    expect(((await get('?q=пленка')).body.items as unknown[]).length).toBe(10);
    expect(await get('?q=здравствуйте')).toEqual({ status: 200, body: { items: [] } });
  });

  it.each([[''], ['?q='], ['?q=%20%20'], ['?q=a&q=b']])('answers 400 with a JSON error for the query %j', async (query) => {
    const { status, body } = await get(query);

    expect(status).toBe(400);
    expect(body.error).toEqual(expect.any(String));
  });

  it.each([['0'], ['51'], ['abc'], ['2.5'], ['-1']])('answers 400 for limit=%s', async (limit) => {
    const { status, body } = await get(`?q=pvc&limit=${limit}`);

    expect(status).toBe(400);
    expect(body.error).toBe('limit must be an integer from 1 to 50');
  });
});

describe('the OpenAPI document', () => {
  it('describes the route, its parameters and its schemas', () => {
    const doc = buildOpenApiDocument('test') as { paths: Record<string, { get: { parameters: Array<{ name: string }> } }>; components: { schemas: Record<string, unknown> } };

    expect(doc.paths['/api/v1/catalog/search']!.get.parameters.map((p) => p.name)).toEqual(['q', 'limit']);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CatalogHit', 'CatalogSearchResult', 'CatalogSearchError']));
  });
});
