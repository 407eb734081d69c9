/** Which parts of a message the widget makes clickable. */
import { describe, expect, it } from 'vitest';
import { splitLinks } from '../../../channels/web/widget/src/links.js';

const links = (text: string) => splitLinks(text).filter((p) => p.href).map((p) => p.href);

describe('splitLinks', () => {
  it('leaves a closing bracket the link did not open outside it', () => {
    expect(links('Смотрите (https://www.vink.ru/catalog/x/) и дальше')).toEqual(['https://www.vink.ru/catalog/x/']);
    expect(links('[каталог](https://vink.ru/a)')).toEqual(['https://vink.ru/a']);
  });

  it('keeps brackets that belong to the link', () => {
    expect(links('https://ru.wikipedia.org/wiki/Винил_(материал)')).toEqual(['https://ru.wikipedia.org/wiki/Винил_(материал)']);
  });

  it('leaves trailing punctuation and Russian quotes outside the link', () => {
    expect(links('Вот: https://vink.ru/a. И «https://vink.ru/b», а также https://vink.ru/c?!')).toEqual([
      'https://vink.ru/a',
      'https://vink.ru/b',
      'https://vink.ru/c',
    ]);
  });

  it('links only http and https', () => {
    expect(links('javascript:alert(1) data:text/html,<b>x</b> ftp://vink.ru/f mailto:a@b.ru http:// https://vink.ru')).toEqual(['https://vink.ru']);
  });

  it('loses and adds no character: the parts join back into the message', () => {
    const text = 'Цена (см. https://vink.ru/p?id=1&x=2), <b>тег</b> и http://a.ru/b.';
    expect(splitLinks(text).map((p) => p.text).join('')).toBe(text);
  });
});
