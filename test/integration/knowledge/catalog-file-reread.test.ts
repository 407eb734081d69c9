import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexCatalog } from '../../../src/knowledge/search/index-catalog.js';
import { catalogYml } from '../../unit/knowledge/fixtures.js';

describe('a catalog file moved to the indexing worker', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'catalog-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is read again from its file when the worker that took its bytes failed', async () => {
    const path = join(dir, 'catalog.yml');
    await writeFile(path, catalogYml());
    // What a worker leaves of the bytes moved to it: a detached, empty array.
    const taken = { name: path, path, bytes: new Uint8Array(0) };

    const index = await indexCatalog([taken], { worker: false });

    expect(index.size).toBe((await indexCatalog([{ name: path, text: catalogYml() }], { worker: false })).size);
  });
});
