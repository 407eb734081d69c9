import { describe, expect, it } from 'vitest';
import { withinEdits, withinOneEdit } from '../../../../src/knowledge/text/edit.js';
import { phoneticDistance, phoneticKey } from '../../../../src/knowledge/text/translit.js';

describe('withinOneEdit', () => {
  it('accepts the same word and one insertion, deletion or substitution anywhere', () => {
    for (const [a, b] of [['белый', 'белый'], ['белый', 'белыйй'], ['белыйй', 'белый'], ['белый', 'бeлый'], ['жолтый', 'желтый'], ['лый', 'белый'.slice(1)], ['абв', 'xабв'], ['абв', 'абвx']]) {
      expect(withinOneEdit(a!, b!), `${a} ~ ${b}`).toBe(true);
    }
  });

  it('refuses two edits, two lengths apart and swapped letters', () => {
    for (const [a, b] of [['белый', 'бклый1'], ['белый', 'бел'], ['белый', 'ебелый1'], ['белый', 'белйы'], ['плоттер', 'плоттерка'], ['ab', 'ba']]) {
      expect(withinOneEdit(a!, b!), `${a} !~ ${b}`).toBe(false);
    }
  });

  it('agrees with the general distance at limit 1 on every pair of a word list', () => {
    const words = ['пленка', 'пленки', 'плёнка', 'пенка', 'пленкаа', 'плека', 'ленка', 'бленка', 'пленко', 'плнека', 'а', '', 'аб', 'ба'];
    for (const a of words) for (const b of words) expect(withinOneEdit(a, b), `${a} / ${b}`).toBe(withinEdits(a, b, 1));
  });
});

describe('phoneticDistance', () => {
  it('measures the weighted distance between keys: vowels half, consonants whole', () => {
    expect(phoneticDistance(phoneticKey('оракал'), phoneticKey('oracal'), 1)).toBe(0);
    expect(phoneticDistance('orakal', 'orakol', 1)).toBe(0.5);
    expect(phoneticDistance('orakal', 'oratal', 1)).toBe(1);
    expect(phoneticDistance('orakal', 'orakala', 1)).toBe(0.5);
  });

  it('gives up past the limit, and stays right for long keys after short ones (its rows are reused)', () => {
    expect(phoneticDistance('orakal', 'plotter', 1)).toBe(Infinity);
    const long = 'termotransfernaia';
    expect(phoneticDistance(long, `${long}x`, 1.5)).toBe(1);
    expect(phoneticDistance('ab', 'ab', 1)).toBe(0);
    expect(phoneticDistance(long, long.replace('f', 'v'), 1.5)).toBe(1);
  });
});
