import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToTelegram } from '../../../src/telegram/markdown.js';
import { parseTelegramHtml } from '../../fakes/telegram-html.js';

/** What Telegram would show; fails the test when Telegram would refuse the HTML. */
function visible(html: string): string {
  const parsed = parseTelegramHtml(html);
  if (!parsed.ok) throw new Error(`${parsed.description}\n${html}`);
  return parsed.text;
}

describe('markdownToTelegram', () => {
  it('converts bold, italic, strike and inline code', () => {
    expect(markdownToTelegram('**Oracal 641** — _матовая_, ~~старая цена~~, артикул `641-010`').html).toBe(
      '<b>Oracal 641</b> — <i>матовая</i>, <s>старая цена</s>, артикул <code>641-010</code>',
    );
  });

  it('escapes &, < and > everywhere, code included', () => {
    const { html } = markdownToTelegram('Цена < 500 ₽ & ширина > 1 м, `a<b && c>d`');

    expect(html).toBe('Цена &lt; 500 ₽ &amp; ширина &gt; 1 м, <code>a&lt;b &amp;&amp; c&gt;d</code>');
  });

  it('turns links into anchors and shows unsafe targets as text', () => {
    expect(markdownToTelegram('[Каталог](https://example.ru/catalog?a=1&b=2)').html).toBe('<a href="https://example.ru/catalog?a=1&amp;b=2">Каталог</a>');
    expect(markdownToTelegram('[x](https://example.ru/"onclick)').html).toBe('x (https://example.ru/&quot;onclick)');
    expect(markdownToTelegram('[нажми](javascript:alert(1))').html).not.toContain('<a');
  });

  it('turns headings into bold lines and bullets into •', () => {
    expect(markdownToTelegram('## Плёнки\n- Oracal 641\n* Oracal 8500').html).toBe('<b>Плёнки</b>\n• Oracal 641\n• Oracal 8500');
  });

  it('renders fenced code as pre with its language, escaped, even when the fence is not closed', () => {
    expect(markdownToTelegram('```js\nif (a < b) {}\n```').html).toBe('<pre><code class="language-js">if (a &lt; b) {}</code></pre>');
    expect(visible(markdownToTelegram('```\nunclosed <tag>').html)).toBe('unclosed <tag>');
  });

  it('leaves snake_case, arithmetic and stray markers as text', () => {
    const source = 'file_name_v2.pdf, 2*3*4 = 24, a ** b, одна * звезда, snake_case_name';

    const { html, plain } = markdownToTelegram(source);

    expect(visible(html)).toBe(source);
    expect(plain).toBe(source);
  });

  it('nests italic inside bold', () => {
    expect(markdownToTelegram('**очень _важно_**').html).toBe('<b>очень <i>важно</i></b>');
  });

  it('renders quotes as blockquote', () => {
    expect(markdownToTelegram('> цитата\n> вторая').html).toBe('<blockquote>цитата\nвторая</blockquote>');
  });

  it('gives a plain text with the markup removed and links spelled out', () => {
    expect(markdownToTelegram('**Итого:** [заказ](https://example.ru/o/1)').plain).toBe('Итого: заказ (https://example.ru/o/1)');
  });

  it.each([
    '**unclosed bold and <b>html</b> & stuff',
    '<script>alert(1)</script>',
    '*a **b* c**',
    '[broken](link',
    '`unclosed code',
    '___***~~~',
    '| a | b |\n|---|---|\n| 1 | 2 |',
    '&amp; &lt; &#x41; &bogus;',
    '# \n## ##',
    '**[ссылка](https://example.ru)** и _**вложенное**_',
  ])('always produces HTML Telegram accepts, and text no longer than the source: %s', (source) => {
    const { html, plain } = markdownToTelegram(source);

    expect(() => visible(html)).not.toThrow();
    expect(visible(html).length).toBeLessThanOrEqual(source.length);
    expect(plain.length).toBeLessThanOrEqual(source.length + 2);
  });

  it('renders a link label’s own markup', () => {
    expect(markdownToTelegram('[**Каталог**](https://example.ru/c)').html).toBe('<a href="https://example.ru/c"><b>Каталог</b></a>');
  });
});

/** Inputs built to make a backtracking or re-scanning converter quadratic (or worse). */
const ADVERSARIAL: Record<string, (n: number) => string> = {
  'star-underscore runs': (n) => '*_a '.repeat(n / 4),
  'unclosed bold runs': (n) => '**a '.repeat(n / 4),
  'nested openers': (n) => '*a _b ~~c **d '.repeat(n / 14),
  'a heading of spaces': (n) => `# a${' '.repeat(n)}x`,
  'a fence line of spaces': (n) => `\`\`\`a${' '.repeat(n)}b`,
  'a rule-like line': (n) => `${'- '.repeat(n / 2)}x`,
  'open brackets': (n) => '['.repeat(n),
  'link openings': (n) => `${'[a]('.repeat(n / 4)})`,
  'backticks': (n) => '`a'.repeat(n / 2),
  'openers closed at the very end': (n) => `${'*a '.repeat(n / 3)}b*`,
};

describe('markdownToTelegram on hostile input', () => {
  it.each(Object.keys(ADVERSARIAL))('takes steps linear in the input: %s', (name) => {
    const make = ADVERSARIAL[name] as (n: number) => string;
    const steps = (n: number) => {
      const stats = { steps: 0 };
      const source = make(n);
      const { html } = markdownToTelegram(source, stats);
      expect(() => visible(html)).not.toThrow();
      return { steps: stats.steps, length: source.length };
    };

    const small = steps(10_000);
    const large = steps(40_000);

    expect(small.steps).toBeGreaterThan(0);
    expect(large.steps).toBeLessThanOrEqual(40 * large.length);
    // Four times the input, about four times the steps (a quadratic converter takes sixteen).
    expect(large.steps / small.steps).toBeLessThan(5);
  });

  it('still formats a long reply of ordinary markup fully', () => {
    const source = '**Oracal 641** — _матовая_, [ссылка](https://example.ru) `код` '.repeat(300);

    const { html } = markdownToTelegram(source);

    expect(html.match(/<b>/g)).toHaveLength(300);
    expect(html.match(/<a href/g)).toHaveLength(300);
  });
});

describe('escapeHtml', () => {
  it('escapes the characters Telegram requires and quotes', () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  });
});
