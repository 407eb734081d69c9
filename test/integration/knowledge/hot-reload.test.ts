/**
 * Hot reload over a real folder: edits apply within seconds, edits that do not validate are
 * refused with a logged file and line while the last good version stays in use.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPromptsKnowledge, type PromptsKnowledge } from '../../../src/knowledge/index.js';
import { waitFor } from '../../support/wait-for.js';
import { RecordingLogger } from './recording-logger.js';

let dir: string;
let logger: RecordingLogger;
let knowledge: PromptsKnowledge;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prompts-'));
  await cp('prompts', dir, { recursive: true });
  logger = new RecordingLogger();
  knowledge = await createPromptsKnowledge({ promptsDir: dir, logger });
});

afterEach(async () => {
  await knowledge.close();
  await rm(dir, { recursive: true, force: true });
});

async function edit(name: string, change: (text: string) => string): Promise<void> {
  await writeFile(join(dir, name), change(await readFile(join(dir, name), 'utf8')));
}

const refusals = (): Array<Record<string, unknown>> => logger.withMessage('prompts edit refused; the last good version stays in use').map((e) => e.fields);

describe('hot reload of the prompts folder', () => {
  it('applies an edit of a fixed text without a restart', async () => {
    await edit('messages.yml', (t) => t.replace(/^greeting: .*$/m, 'greeting: "Добрый день! Чем помочь?"'));

    await waitFor(() => knowledge.text('greeting') === 'Добрый день! Чем помочь?', 10_000, { what: 'the new greeting' });
  });

  it('applies a catalog edit: a new offer is found', async () => {
    const offer = '<offer id="new-film" available="true"><url>https://www.vink.ru/catalog/new-film/</url><price>990</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Пленка Хамелеон перламутровая</name></offer>\n    </offers>';

    await edit('catalog.yml', (t) => t.replace('</offers>', offer));

    await waitFor(async () => (await knowledge.searchCatalog('пленка хамелеон', 1))[0]?.id === 'new-film', 15_000, { what: 'the new offer' });
  });

  it('refuses broken YAML with its file and line, and keeps the last good texts', async () => {
    const before = knowledge.text('greeting');

    await edit('messages.yml', (t) => t.replace(/^help: (.*)$/m, 'help: "не закрытая кавычка'));

    const refusal = await waitFor(() => refusals()[0], 10_000, { what: 'a refusal' });
    expect(refusal).toMatchObject({ file: join(dir, 'messages.yml') });
    expect(refusal.line).toEqual(expect.any(Number));
    expect(String(refusal.reason)).toMatch(/messages\.yml:\d+: broken YAML/);
    expect(knowledge.text('greeting')).toBe(before);
  });

  it('refuses an unknown placeholder and a catalog with no offers, keeping the last good prompt and catalog', async () => {
    await edit('system.md', (t) => `${t}\n{{catalogue}}\n`);
    await waitFor(() => refusals().some((r) => String(r.reason).includes('unknown placeholder {{catalogue}}')), 10_000);
    await edit('system.md', (t) => t.replace('\n{{catalogue}}\n', ''));
    await edit('catalog.yml', (t) => t.replace(/<offers>[\s\S]*<\/offers>/, '<offers>\n    </offers>'));

    await waitFor(() => refusals().some((r) => String(r.reason).includes('the catalog has no offers')), 15_000);
    const [system] = await knowledge.composePrompt({ question: 'синие пленки для плоттера', history: [] });
    expect(system!.text).not.toContain('{{');
    expect(system!.text).toContain('Пленка Oracal 641 051 синий');
    expect(await knowledge.searchCatalog('пвх 3 мм', 1)).toHaveLength(1);
  });

  it('applies a good edit after a refused one', async () => {
    await edit('messages.yml', (t) => t.replace(/^finished: .*$/m, 'finished: "Пока!"'));
    await waitFor(() => refusals().some((r) => String(r.reason).includes('"finished" must be exactly')), 10_000);

    await edit('messages.yml', (t) => t.replace(/^finished: .*$/m, 'finished: "Чат окончен."').replace(/^fallback: .*$/m, 'fallback: "Попробуйте позже."'));

    await waitFor(() => knowledge.text('fallback') === 'Попробуйте позже.', 10_000);
    expect(knowledge.text('finished')).toBe('Чат окончен.');
  });

  it('keeps the last good edit, not the shipped defaults, when a broken edit follows it (texts, prompt, catalog)', async () => {
    const offer = '<offer id="good-edit" available="true"><url>https://www.vink.ru/catalog/good-edit/</url><price>777</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>Пленка Сапфир лазурная</name></offer>\n    </offers>';
    await edit('messages.yml', (t) => t.replace(/^greeting: .*$/m, 'greeting: "Хорошая правка."'));
    await edit('system.md', (t) => `${t}\nХОРОШАЯ ПРАВКА ПРОМПТА\n`);
    await edit('catalog.yml', (t) => t.replace('</offers>', offer));
    await waitFor(
      async () => knowledge.text('greeting') === 'Хорошая правка.' && (await knowledge.searchCatalog('пленка сапфир лазурная', 1))[0]?.id === 'good-edit',
      15_000,
      { what: 'the good edit applied' },
    );

    await edit('messages.yml', (t) => t.replace(/^help: (.*)$/m, 'help: "не закрытая кавычка'));
    await edit('system.md', (t) => `${t}\n{{nonsense}}\n`);
    await edit('catalog.yml', (t) => t.replace('<offers>', '<offers><offer id="broken"'));
    await waitFor(() => refusals().length > 0, 10_000, { what: 'a refusal' });
    // Another reload of the same broken folder must not fall back either.
    await edit('faq.jsonl', (t) => `${t}\n`);
    await waitFor(() => refusals().length > 1, 10_000, { what: 'a second refusal' });

    expect(knowledge.text('greeting')).toBe('Хорошая правка.');
    const [system] = await knowledge.composePrompt({ question: 'пленка сапфир лазурная', history: [] });
    expect(system!.text).toContain('ХОРОШАЯ ПРАВКА ПРОМПТА');
    expect(system!.text).not.toContain('{{');
    expect((await knowledge.searchCatalog('пленка сапфир лазурная', 1))[0]?.id).toBe('good-edit');
  });

  it('applies neither change of a burst that edits two files, one validly and one broken', async () => {
    const before = { greeting: knowledge.text('greeting'), help: knowledge.text('help') };
    const [systemBefore] = await knowledge.composePrompt({ question: 'адрес', history: [] });

    await Promise.all([
      edit('system.md', (t) => `${t}\nПРАВКА ИЗ ПОЛОВИНЧАТОЙ ПАЧКИ\n`),
      edit('messages.yml', (t) => t.replace(/^greeting: .*$/m, 'greeting: "Из половинчатой пачки."').replace(/^help: .*$/m, 'help: ""')),
    ]);
    await waitFor(() => refusals().length > 0, 10_000, { what: 'a refusal' });

    expect(knowledge.text('greeting')).toBe(before.greeting);
    expect(knowledge.text('help')).toBe(before.help);
    const [system] = await knowledge.composePrompt({ question: 'адрес', history: [] });
    expect(system!.text).not.toContain('ПРАВКА ИЗ ПОЛОВИНЧАТОЙ ПАЧКИ');
    expect(system!.text).toBe(systemBefore!.text);
  });
});
