/**
 * CATALOG_URL over a loopback HTTP server: the feed replaces the folder's catalog, is refreshed,
 * and a failed or invalid refresh keeps the last good catalog.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPromptsKnowledge, type PromptsKnowledge } from '../../../src/knowledge/index.js';
import { waitFor } from '../../support/wait-for.js';
import { RecordingLogger } from './recording-logger.js';

interface FeedState {
  status: number;
  body: string;
  contentType: string;
  requests: number;
}

const feed = (offers: Array<[string, string, number]>): string => `<?xml version="1.0" encoding="UTF-8"?>
<yml_catalog date="2024-06-11 10:00"><shop><name>Фид</name><url>https://feed.example</url>
<categories><category id="1">Пленки</category></categories>
<offers>
${offers.map(([id, name, price]) => `<offer id="${id}"><url>https://feed.example/${id}/</url><price>${price}</price><categoryId>1</categoryId><name>${name}</name></offer>`).join('\n')}
</offers></shop></yml_catalog>`;

let server: Server;
let url: string;
let state: FeedState;
let logger: RecordingLogger;
let knowledge: PromptsKnowledge | undefined;

beforeEach(async () => {
  state = { status: 200, body: feed([['feed-1', 'Пленка из фида синяя', 500]]), contentType: 'application/xml; charset=utf-8', requests: 0 };
  server = createServer((_req, res) => {
    state.requests++;
    res.writeHead(state.status, { 'content-type': state.contentType }).end(state.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.yml`;
  logger = new RecordingLogger();
});

afterEach(async () => {
  await knowledge?.close();
  knowledge = undefined;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A refresh every 50 ms: CATALOG_REFRESH_MINUTES accepts fractions. */
const start = (): Promise<PromptsKnowledge> =>
  createPromptsKnowledge({ promptsDir: 'prompts', logger, catalogUrl: url, catalogRefreshMinutes: 50 / 60_000, watch: false });

const ids = async (k: PromptsKnowledge, q: string): Promise<string[]> => (await k.searchCatalog(q, 5)).map((h) => h.id);
const failures = (): number => logger.withMessage('catalog feed refresh failed; the last good catalog stays in use').length;

describe('the catalog feed at CATALOG_URL', () => {
  it('replaces the folder catalog at start', async () => {
    knowledge = await start();

    expect(await ids(knowledge, 'синяя пленка')).toEqual(['feed-1']);
    expect(await ids(knowledge, 'оракал 641')).toEqual([]);
  });

  it('picks up a changed feed on refresh', async () => {
    knowledge = await start();

    state.body = feed([['feed-1', 'Пленка из фида синяя', 500], ['feed-2', 'Баннер из фида 510 г/м2', 200]]);

    await waitFor(async () => (await ids(knowledge!, 'баннер 510')).includes('feed-2'), 10_000, { what: 'the new feed offer' });
  });

  it('answers searches from the old catalog while a refreshed feed is indexed, then from the new one at once', async () => {
    knowledge = await start();
    const before = state.requests;
    const many: Array<[string, string, number]> = Array.from({ length: 2000 }, (_, i) => [`big-${i}`, `Баннер литой ${i} серия`, 100 + i]);
    state.body = feed([...many, ['feed-new', 'Пленка из фида синяя новая', 700]]);

    // The event loop keeps turning while the worker indexes: every turn searches once.
    const seen: string[] = [];
    await waitFor(async () => {
      seen.push((await knowledge!.searchCatalog('синяя пленка', 1))[0]?.id ?? 'none');
      await new Promise((resolve) => setImmediate(resolve));
      return seen.at(-1) === 'feed-new';
    }, 100_000, { what: 'the refreshed feed', intervalMs: 1 }).catch((error: unknown) => {
      throw new Error(`${String(error)}; last results: ${seen.slice(-3).join(' | ')}; requests ${state.requests - before}`);
    });

    const switchedAt = seen.indexOf('feed-new');
    expect(state.requests).toBeGreaterThan(before);
    expect(seen.slice(0, switchedAt).every((r) => r === 'feed-1')).toBe(true);
    expect(seen.slice(switchedAt).every((r) => r === 'feed-new')).toBe(true);
  }, 120_000);

  it('keeps the last good catalog when the feed answers an error, then recovers', async () => {
    knowledge = await start();

    state.status = 500;
    state.body = 'oops';
    await waitFor(() => failures() >= 2, 10_000, { what: 'two failed refreshes' });
    expect(await ids(knowledge, 'синяя пленка')).toEqual(['feed-1']);

    state.status = 200;
    state.body = feed([['feed-3', 'Пленка новая красная', 700]]);
    await waitFor(async () => (await ids(knowledge!, 'красная пленка')).includes('feed-3'), 10_000);
  });

  it('keeps the last good catalog when the feed is malformed, logging the line', async () => {
    knowledge = await start();

    state.body = feed([['feed-1', 'Пленка из фида синяя', 500]]).replace('синяя</name>', 'синяя</nam>');

    const entry = await waitFor(() => logger.withMessage('catalog feed refresh failed; the last good catalog stays in use')[0], 10_000);
    expect(entry.fields).toMatchObject({ file: url, offerId: 'feed-1' });
    expect(entry.fields.line).toEqual(expect.any(Number));
    expect(await ids(knowledge, 'синяя пленка')).toEqual(['feed-1']);
  });

  it('reads a windows-1251 CSV feed', async () => {
    const csv = 'id;name;url;price\nfeed-csv;Пленка из CSV;https://feed.example/csv/;100\n';
    state.contentType = 'text/csv; charset=windows-1251';
    state.body = csv;
    const bytes = Buffer.from([...csv].map((ch) => (ch >= 'А' && ch <= 'я' ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0))));
    server.removeAllListeners('request');
    server.on('request', (_req, res) => res.writeHead(200, { 'content-type': state.contentType }).end(bytes));

    knowledge = await start();

    expect(await ids(knowledge, 'пленка csv')).toEqual(['feed-csv']);
  });

  it('falls back to the folder catalog when the feed is down at start', async () => {
    state.status = 503;

    knowledge = await start();

    expect(await ids(knowledge, 'оракал 641 синий')).toContain('oracal-641-g-051-126');
    state.status = 200;
    await waitFor(async () => (await ids(knowledge!, 'синяя пленка')).includes('feed-1'), 10_000, { what: 'the feed after it came back' });
  });
});
