/** `prompts check` and `catalog search` as the command line runs them, over real folders and files. */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCatalogSearch } from '../../../src/cli/catalog-search.js';
import { runPromptsCheck } from '../../../src/cli/prompts-check.js';

function collect(): { lines: string[]; out: (line: string) => void } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line) };
}

describe('prompts check', () => {
  it('validates the folder and prints the system prompt for the question', async () => {
    const { lines, out } = collect();

    const code = await runPromptsCheck({ question: 'синие пленки для плоттера' }, { promptsDir: 'prompts', out });

    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^OK prompts: \d+ offers, 21 FAQ entries$/);
    expect(lines.join('\n')).toContain('https://www.vink.ru/catalog/oracal-641-g-051-126/');
  });

  it('names the file and line of a problem and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prompts-check-'));
    try {
      await cp('prompts', dir, { recursive: true });
      await writeFile(join(dir, 'system.md'), 'Ты консультант.\nТовары: {{catalogue}}\n');
      const { lines, out } = collect();

      const code = await runPromptsCheck({}, { promptsDir: dir, out });

      expect(code).toBe(1);
      expect(lines).toEqual([`INVALID ${join(dir, 'system.md')}:2: unknown placeholder {{catalogue}}; known: {{company}}, {{site}}, {{catalog}}, {{faq}}, {{date}}`]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('catalog search', () => {
  it('prints only a JSON array of id, score and name with --json, best first', async () => {
    const { lines, out } = collect();

    const code = await runCatalogSearch({ query: 'оракал 641 синий', limit: '3', json: true }, { promptsDir: 'prompts', out });

    const rows = JSON.parse(lines.join('\n')) as Array<Record<string, unknown>>;
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(rows.map((r) => Object.keys(r))).toEqual([['id', 'score', 'name'], ['id', 'score', 'name'], ['id', 'score', 'name']]);
    expect(rows[0]!.id).toBe('oracal-641-g-051-126');
  });

  it('searches another catalog file with --catalog', async () => {
    const { lines, out } = collect();

    const code = await runCatalogSearch({ query: 'ритрама синяя', catalog: 'test/eval/alt-catalog.csv', limit: 2, json: true }, { promptsDir: 'prompts', out });

    expect(code).toBe(0);
    expect((JSON.parse(lines[0]!) as Array<{ id: string }>).map((r) => r.id).sort()).toEqual(['A102', 'A103']);
  });

  it('exits 1 for a missing catalog file or a bad limit', async () => {
    expect(await runCatalogSearch({ query: 'пвх', catalog: 'nowhere.yml' }, { promptsDir: 'prompts', ...collect() })).toBe(1);
    expect(await runCatalogSearch({ query: 'пвх', limit: 'many' }, { promptsDir: 'prompts', ...collect() })).toBe(1);
  });
});
