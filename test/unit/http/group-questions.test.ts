import { describe, expect, it } from 'vitest';
import { groupQuestions, questionKey, type UnansweredQuestion } from '../../../src/http/admin/group-questions.js';

const q = (text: string, why: string, minute: number, conversationId = String(minute)): UnansweredQuestion => ({
  messageId: `m${minute}`,
  conversationId,
  text,
  why,
  at: new Date(Date.UTC(2026, 11, 1, 10, minute)),
});

describe('groupQuestions', () => {
  it('puts wordings with the same content words together, whatever their order, case and word forms', () => {
    expect(questionKey('Сколько стоит доставка?')).toBe(questionKey('доставка, сколько стоит'));
    expect(questionKey('Есть ли доставка в Казань')).toBe(questionKey('есть доставки в казань?'));
  });

  it('orders groups by how often they were asked, counts reasons and keeps the most recent wording as the example', () => {
    const groups = groupQuestions([
      q('Сколько стоит доставка?', 'fallback', 1),
      q('Режим работы склада', 'handoff:out_of_depth', 2),
      q('доставка сколько стоит', 'offline', 3),
      q('Сколько стоит доставка', 'fallback', 4),
    ]);

    expect(groups.map((g) => g.count)).toEqual([3, 1]);
    expect(groups[0]).toMatchObject({ example: 'Сколько стоит доставка', reasons: { fallback: 2, offline: 1 }, conversationIds: ['4', '3', '1'] });
    expect(groups[0]!.wordings).toEqual(['Сколько стоит доставка', 'доставка сколько стоит', 'Сколько стоит доставка?']);
    expect(groups[1]).toMatchObject({ example: 'Режим работы склада', reasons: { 'handoff:out_of_depth': 1 } });
  });

  it('keeps questions of stop words only apart by their text rather than lumping them into one group', () => {
    const groups = groupQuestions([q('а?', 'fallback', 1), q('и что', 'fallback', 2)]);

    expect(groups).toHaveLength(2);
  });
});
