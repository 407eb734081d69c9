import { describe, expect, it } from 'vitest';
import { splitMessage, TELEGRAM_MESSAGE_LIMIT } from '../../../src/telegram/split.js';

/** Telegram's own limit on a message's text (https://core.telegram.org/bots/api#sendmessage), written out: the tests must not move with the constant. */
const TELEGRAM_LIMIT = 4096;

const paragraph = (n: number, length: number) => `Абзац ${n}. ${'текст '.repeat(length)}`.slice(0, length).trimEnd();

describe('splitMessage', () => {
  it('uses Telegram’s limit of 4,096 characters by default', () => {
    expect(TELEGRAM_MESSAGE_LIMIT).toBe(4096);
    expect(splitMessage('я'.repeat(4096))).toHaveLength(1);
    expect(splitMessage('я'.repeat(4097))).toHaveLength(2);
  });

  it('keeps a text within the limit as one part', () => {
    expect(splitMessage('  Короткий ответ.  ')).toEqual(['Короткий ответ.']);
  });

  it('sends nothing for an empty text', () => {
    expect(splitMessage(' \n ')).toEqual([]);
  });

  it('splits a 5,000-character reply on a paragraph boundary into two parts', () => {
    const paragraphs = Array.from({ length: 10 }, (_, i) => paragraph(i + 1, 498));
    const text = paragraphs.join('\n\n');
    expect(text.length).toBe(4998);

    const parts = splitMessage(text);

    expect(parts).toHaveLength(2);
    expect(parts.every((p) => p.length <= TELEGRAM_LIMIT)).toBe(true);
    expect(parts.join('\n\n')).toBe(text);
    expect(parts[1]?.startsWith('Абзац')).toBe(true);
  });

  it('splits a paragraph longer than the limit on line breaks, then between words', () => {
    const lines = Array.from({ length: 3 }, (_, i) => `строка ${i} ${'слово '.repeat(300)}`.trim());
    const longLine = 'слово '.repeat(1500).trim();

    const byLines = splitMessage(lines.join('\n'), 2000);
    const byWords = splitMessage(longLine, 2000);

    expect(byLines.every((p) => p.length <= 2000)).toBe(true);
    expect(byLines.join('\n')).toBe(lines.join('\n'));
    expect(byWords.every((p) => p.length <= 2000 && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(byWords.join(' ')).toBe(longLine);
  });

  it('cuts a text without spaces hard, but never inside an emoji', () => {
    const text = `a${'😀'.repeat(3000)}`;

    const parts = splitMessage(text);

    expect(parts.every((p) => p.length <= TELEGRAM_LIMIT)).toBe(true);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p)).toBe(false);
  });

  it('closes a code fence at the end of a part and reopens it in the next', () => {
    const code = Array.from({ length: 300 }, (_, i) => `line_${i} = ${i}`).join('\n');
    const text = `Пример:\n\n\`\`\`python\n${code}\n\`\`\`\n\nГотово.`;

    const parts = splitMessage(text, 2000);

    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
  });
});
