import { describe, expect, it } from 'vitest';
import { KnowledgeInvalidError } from '../../../src/knowledge/errors.js';
import { parseFaq } from '../../../src/knowledge/folder/faq.js';
import { buildHandoffPhrases, parseHandoff } from '../../../src/knowledge/folder/handoff.js';
import { parseMessages } from '../../../src/knowledge/folder/messages.js';
import { parseSynonyms } from '../../../src/knowledge/search/synonyms.js';
import { buildSnapshot } from '../../../src/knowledge/load-folder.js';
import { HANDOFF_YML, MESSAGES_YML, catalogYml, fixtureSnapshot, fixtureTexts } from './fixtures.js';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeInvalidError);
    return (error as Error).message;
  }
  throw new Error('expected a KnowledgeInvalidError');
}

describe('handoff phrases', () => {
  const handoff = parseHandoff(HANDOFF_YML, 'handoff.yml');

  it('see a customer asking for a person, whatever the case, punctuation and word ending', () => {
    expect(handoff.wantsPerson('Позовите ОПЕРАТОРА!!!')).toBe(true);
    expect(handoff.wantsPerson('можно с живым человеком поговорить?')).toBe(true);
    expect(handoff.wantsPerson('синие пленки для плоттера')).toBe(false);
  });

  it('ignore a phrase the customer negates', () => {
    expect(handoff.wantsPerson('не нужен оператор, спасибо')).toBe(false);
    expect(handoff.wantsPerson('оператор не нужен')).toBe(false);
    expect(handoff.wantsPerson('можно без оператора?')).toBe(false);
  });

  it("catch the original's out-of-depth phrases in a model reply", () => {
    expect(handoff.isOutOfDepth('Как искусственный интеллект, я…')).toBe(true);
    expect(handoff.isOutOfDepth('Я — бот, и не знаю.')).toBe(true);
    expect(handoff.isOutOfDepth('К сожалению, я не могу этого сделать.')).toBe(true);
    expect(handoff.isOutOfDepth('Возможности искусственного интеллекта ограничены')).toBe(true);
    expect(handoff.isOutOfDepth('Пленка Oracal 641 стоит 11 160 ₽.')).toBe(false);
  });

  it('are refused without a reply list', () => {
    expect(problem(() => parseHandoff('customer:\n  - оператор\n', 'handoff.yml'))).toContain('"reply" must be a list of phrases');
  });

  it('build from plain lists too', () => {
    expect(buildHandoffPhrases(['менеджер'], ['я бот']).wantsPerson('Менеджера позовите')).toBe(true);
  });
});

describe('messages.yml', () => {
  it('provides every fixed text', async () => {
    const snapshot = await fixtureSnapshot();

    expect(snapshot.messages.finished).toBe('Чат окончен.');
    expect(snapshot.messages.accepted).toBe('Сообщение получено');
  });

  it('refuses a missing key, an empty text and a reworded "finished", naming the line', () => {
    expect(problem(() => parseMessages(MESSAGES_YML.replace(/^greeting:.*\n/m, ''), 'messages.yml'))).toMatch(/^messages\.yml: the text "greeting" is missing/);
    expect(problem(() => parseMessages(MESSAGES_YML.replace('help: "Напишите вопрос."', 'help: ""'), 'messages.yml'))).toMatch(/^messages\.yml:2: the text "help" must be non-empty/);
    expect(problem(() => parseMessages(MESSAGES_YML.replace('"Чат окончен."', '"Чат завершен."'), 'messages.yml'))).toMatch(/^messages\.yml:6: "finished" must be exactly "Чат окончен\."/);
  });

  it('refuses broken YAML with the line of the error', () => {
    expect(problem(() => parseMessages('greeting: "Здравствуйте\nhelp: x\n', 'messages.yml'))).toMatch(/^messages\.yml:\d+: broken YAML/);
  });
});

describe('faq.jsonl and synonyms.yml', () => {
  it('refuse a line that is not a question–answer object, naming it', () => {
    const text = '{"question": "a", "answer": "b"}\n\n{"question": "c"}\n';

    expect(problem(() => parseFaq(text, 'faq.jsonl'))).toMatch(/^faq\.jsonl:3: answer: /);
    expect(problem(() => parseFaq('{"question": "a", "answer": ', 'faq.jsonl'))).toMatch(/^faq\.jsonl:1: not a JSON object/);
  });

  it('refuse a synonym group that is not a list of two or more phrases', () => {
    expect(problem(() => parseSynonyms('- [роллап, roll-up]\n- роллап\n', 'synonyms.yml'))).toMatch(/^synonyms\.yml:2: a synonym group must be a list/);
  });
});

describe('the folder', () => {
  it('is refused without a catalog or with a missing file', async () => {
    await expect(fixtureSnapshot({ 'catalog.yml': undefined })).rejects.toThrow('prompts/catalog.yml: no catalog');
    await expect(fixtureSnapshot({ 'handoff.yml': undefined })).rejects.toThrow('prompts/handoff.yml: the file is missing');
  });

  it('names the broken file, not the catalog indexed meanwhile, and names a broken catalog when it is the only fault', async () => {
    const brokenCatalog = catalogYml('<offer id="bad"><url>not a url</url><price>1</price><currencyId>RUB</currencyId><categoryId>11</categoryId><name>x</name></offer>');
    for (const worker of [false, true]) {
      // A catalog failure must neither win over the broken messages.yml nor escape as an
      // unhandled rejection (which fails this run), whichever thread indexes it.
      await expect(buildSnapshot('prompts', fixtureTexts({ 'messages.yml': 'greeting: [', 'catalog.yml': brokenCatalog }), { worker }))
        .rejects.toThrow(/prompts\/messages\.yml/);
      await expect(buildSnapshot('prompts', fixtureTexts({ 'catalog.yml': brokenCatalog }), { worker })).rejects.toMatchObject({ offerId: 'bad' });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
