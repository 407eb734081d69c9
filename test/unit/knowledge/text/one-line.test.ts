import { describe, expect, it } from 'vitest';
import { oneLine } from '../../../../src/knowledge/text/one-line.js';

describe('oneLine', () => {
  it('returns text that is one line already as it is', () => {
    const text = 'Пленка Oracal 641 010 белый, 1,26x50 м';
    expect(oneLine(text)).toBe(text);
    expect(oneLine('')).toBe('');
  });

  it('joins lines, collapses runs of white space and control characters, and trims', () => {
    expect(oneLine('  Пленка\n# Новый раздел\t\u0007 белая  ')).toBe('Пленка # Новый раздел белая');
    expect(oneLine('a\u00a0b')).toBe('a b');
  });

  it('drops format characters (soft hyphen, zero-width space) inside words', () => {
    expect(oneLine('плен\u00adка\u200b белая')).toBe('пленка белая');
  });
});
