import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CatalogThread, type ReadyThread } from '../../../src/knowledge/search/catalog-thread.js';
import { buildSynonyms } from '../../../src/knowledge/search/synonyms.js';

/**
 * A thread that speaks the catalog thread's protocol over no index: it answers a search with one
 * offer named after the question and the synonym list it was told, dies on "die" and never
 * answers "hang", so the handle's recovery is tested over real threads and real message passing.
 */
const SCRIPTED = `
const { parentPort } = require('node:worker_threads');
const lists = new Map();
parentPort.on('message', (request) => {
  if (request.kind === 'synonyms') return void lists.set(request.version, request.synonyms);
  if (request.question === 'die') process.exit(3);
  if (request.question === 'hang') for (;;);
  const list = lists.get(request.version);
  if (!list) return parentPort.postMessage({ id: request.id, error: 'synonyms version ' + request.version + ' was never sent' });
  const offer = { id: request.question + '|' + list.groups.flat(2).join(',') };
  parentPort.postMessage({ id: request.id, ranked: [{ offer, score: 1, coverage: 1 }] });
});
`;

function scripted(): ReadyThread {
  return { worker: new Worker(SCRIPTED, { eval: true }), shop: { name: 'Shop' }, size: 1 };
}

const flex = buildSynonyms([['термопленка', 'флекс']]);
/** The list as the scripted thread names it: its stems. */
const FLEX = flex.groups.flat(2).join(',');
const idOf = async (answer: Promise<Array<{ offer: { id: string } }>>): Promise<string> => (await answer)[0]!.offer.id;

/** A handle over scripted threads that counts its rebuilds and keeps what it was told of crashes. */
function watched(timeoutMs?: number): { catalog: CatalogThread; crashes: unknown[]; rebuilds: () => number } {
  const crashes: unknown[] = [];
  let rebuilds = 0;
  const catalog = new CatalogThread(scripted(), async () => {
    rebuilds += 1;
    return scripted();
  }, { onCrash: (error) => crashes.push(error), timeoutMs });
  return { catalog, crashes, rebuilds: () => rebuilds };
}

describe('the catalog thread handle', () => {
  it('rebuilds a thread that died and asks it the searches in flight, with their synonyms; a search that killed two threads fails', async () => {
    const { catalog, crashes, rebuilds } = watched();

    const before = catalog.rank(flex, 'first', 5);
    const poison = catalog.rank(flex, 'die', 5);
    const after = catalog.rank(flex, 'after', 5);

    expect(await idOf(before)).toBe(`first|${FLEX}`);
    await expect(poison).rejects.toThrow(/died twice/);
    expect(await idOf(after)).toBe(`after|${FLEX}`);
    expect(rebuilds()).toBe(2);
    expect(crashes).toHaveLength(2);
    expect(String(crashes[0])).toMatch(/exited with code 3/);
    // The last thread goes on answering, with a synonym list it has not been sent yet too.
    const rollUp = buildSynonyms([['роллап', 'roll-up']]);
    expect(await idOf(catalog.rank(rollUp, 'next', 5))).toBe(`next|${rollUp.groups.flat(2).join(',')}`);
    catalog.close();
  });

  it('ends a thread stuck on a search, rebuilds it and asks again; a search that is stuck twice fails alone', async () => {
    const { catalog, crashes, rebuilds } = watched(300);

    const stuck = catalog.rank(flex, 'hang', 5);
    const behind = catalog.rank(flex, 'behind', 5);

    await expect(stuck).rejects.toThrow(/died twice/);
    expect(await idOf(behind)).toBe(`behind|${FLEX}`);
    expect(rebuilds()).toBe(2);
    expect(crashes.map(String)).toEqual([expect.stringMatching(/unanswered for 300 ms/), expect.stringMatching(/unanswered for 300 ms/)]);
    catalog.close();
  });

  it('fails the searches waiting for a thread that cannot be rebuilt, and tries again on the next search', async () => {
    let attempts = 0;
    const catalog = new CatalogThread(scripted(), async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('the catalog file is gone');
      return scripted();
    });

    const poison = catalog.rank(flex, 'die', 5);
    const waiting = catalog.rank(flex, 'waiting', 5);

    await expect(poison).rejects.toThrow(/could not be rebuilt: the catalog file is gone/);
    await expect(waiting).rejects.toThrow(/could not be rebuilt/);
    expect(await idOf(catalog.rank(flex, 'later', 5))).toBe(`later|${FLEX}`);
    expect(attempts).toBe(2);
    catalog.close();
  });

  it('answers for the grace after it is closed, then ends its thread and answers nothing', async () => {
    const ready = scripted();
    let exitedAt = 0;
    const exited = new Promise((resolve) => ready.worker.once('exit', resolve)).then(() => (exitedAt = performance.now()));
    const catalog = new CatalogThread(ready, async () => scripted(), { closeGraceMs: 300 });

    expect(await idOf(catalog.rank(flex, 'one', 1))).toBe(`one|${FLEX}`);
    const closedAt = performance.now();
    catalog.close();
    expect(await idOf(catalog.rank(flex, 'in grace', 1))).toBe(`in grace|${FLEX}`);

    await exited;
    expect(exitedAt - closedAt).toBeGreaterThanOrEqual(290);
    await expect(catalog.rank(flex, 'two', 1)).rejects.toThrow(/replaced or closed/);
  });

  it('with no grace, ends an idle thread at once', async () => {
    const ready = scripted();
    const exited = new Promise((resolve) => ready.worker.once('exit', resolve));
    const catalog = new CatalogThread(ready, async () => scripted(), { closeGraceMs: 0 });

    catalog.close();

    await expect(catalog.rank(flex, 'two', 1)).rejects.toThrow(/replaced or closed/);
    await exited;
  });
});
