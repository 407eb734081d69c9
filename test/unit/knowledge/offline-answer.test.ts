import { beforeAll, describe, expect, it } from 'vitest';
import { offlineAnswer } from '../../../src/knowledge/offline-answer.js';
import type { KnowledgeSnapshot } from '../../../src/knowledge/snapshot.js';
import { fixtureSnapshot } from './fixtures.js';

let snapshot: KnowledgeSnapshot;
beforeAll(async () => {
  snapshot = await fixtureSnapshot();
});

describe('offline answers', () => {
  it('give the FAQ answer when a FAQ entry answers the question', async () => {
    expect((await offlineAnswer(snapshot, 'Какой у вас почтовый адрес?'))).toBe('200961, г. Санкт-Петербург, ВОХ 1251.');
  });

  it('list matching offers with prices, stock and links between the texts of messages.yml', async () => {
    const answer = (await offlineAnswer(snapshot, 'пвх 5 мм'))?.replace(/[\u00a0\u202f]/g, ' ');

    expect(answer).toBe([
      'Вот что нашлось:',
      '• Вспененный ПВХ Unext 5 мм, белый, 2050x3050 мм — 2 700 ₽, в наличии',
      '  https://shop.example/pvc-5/',
      'Заказ оформят менеджеры.',
    ].join('\n'));
  });

  it('say an offer is to order, as the catalog does', async () => {
    expect((await offlineAnswer(snapshot, 'summa s one d120'))?.replace(/[\u00a0\u202f]/g, ' ')).toContain('Режущий плоттер Summa S One D120 — 399 000 ₽, под заказ');
  });

  it('are null when nothing matches well enough', async () => {
    expect((await offlineAnswer(snapshot, 'Здравствуйте!'))).toBeNull();
    expect((await offlineAnswer(snapshot, 'как у вас дела с погодой в Казани'))).toBeNull();
  });
});
