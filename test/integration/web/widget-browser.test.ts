/**
 * The embeddable widget in real Chromium, on a host page served from another origin than the API
 * (as on a customer's site), with deliberately hostile host CSS. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoResponder, startFakeYandexGpt, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { launchBrowser } from '../../support/browser.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';

const ARTIFACTS = 'test-artifacts';

/** The customer's site: its CSS paints everything red, serif and huge, and hides every button. */
function hostPage(apiUrl: string, open: boolean): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  * { color: rgb(255, 0, 0) !important; font-family: serif !important; letter-spacing: 3px !important; }
  body { font-size: 40px; background: #fffbe6; }
  button, textarea { display: none !important; }
  div, section { background: rgb(0, 255, 0) !important; border: 5px dashed blue !important; }
</style></head>
<body><h1>Магазин-сосед</h1><p id="host-text">Текст сайта</p>
<script src="${apiUrl}/widget.js" data-api="${apiUrl}" ${open ? 'data-open="true"' : ''} async></script></body></html>`;
}

describe('chat widget in Chromium, embedded on another origin', () => {
  let gpt: FakeYandexGpt;
  let app: TestApp;
  let browser: Browser;
  let host: Server;
  let hostUrl: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    gpt = await startFakeYandexGpt();
    app = await startTestApp('postgres+redis', {
      YANDEX_API_KEY: 'test-key',
      YANDEX_FOLDER_ID: 'b1gtest',
      YANDEX_GPT_BASE_URL: gpt.url,
      RATE_LIMIT_MESSAGES_PER_MINUTE: 2,
    });
    host = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(hostPage(app.url, !req.url?.startsWith('/closed')));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
    await app?.stop();
    await gpt?.close();
  });

  /** A fresh visitor (own storage) on the host page, with every request to the API recorded. */
  async function visit(path = '/', options: { viewport?: { width: number; height: number }; blockStream?: boolean } = {}) {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(app.url)) requests.push(new URL(request.url()).pathname);
    });
    if (options.blockStream) await page.route(/\/api\/v1\/stream/, (route) => route.abort('connectionrefused'));
    let streamsOpened = 0;
    page.on('response', (response) => {
      if (response.url().startsWith(`${app.url}/api/v1/stream`) && response.status() === 200) streamsOpened += 1;
    });
    await page.goto(`${hostUrl}${path}`);
    await page.locator('.m.GPT').first().waitFor({ state: 'attached' });
    const count = (path: string) => requests.filter((p) => p === path).length;
    /** Resolves once a stream is open, so what is delivered next arrives live. */
    const streamOpen = () => waitFor(() => streamsOpened > 0, 10_000, { what: 'an open stream' });
    return { page, context, requests, count, streamOpen };
  }

  async function say(page: Page, text: string): Promise<void> {
    await page.locator('textarea').fill(text);
    await page.keyboard.press('Enter');
  }

  const tokenOf = (page: Page) => page.evaluate("localStorage.getItem('support-bot-chat-token')") as Promise<string>;

  async function deliverAsOperator(token: string, text: string): Promise<void> {
    const [first] = await app.deps.store.messagesSince({ channel: 'web', chatId: token }, null, 1);
    const stored = await app.deps.store.addOutbound(first!.conversationId, text, 'OPERATOR', text === 'Чат окончен.' ? 'notice' : 'operator');
    await app.deps.outboxes.web?.deliver({ channel: 'web', chatId: token }, { kind: 'reply', messageId: stored.id, text, author: 'OPERATOR' });
  }

  it('shows the reply over the stream, with no poll request', async () => {
    const { page, context, count } = await visit();
    expect(await page.locator('.m.GPT').first().textContent()).toBe(app.deps.knowledge.text('greeting'));

    await say(page, 'Какие есть синие плёнки?');
    await page.locator('.m.GPT', { hasText: 'Ответ: Какие есть синие плёнки?' }).waitFor();

    expect(count('/api/v1/message')).toBe(0);
    expect(count('/api/v1/history')).toBe(1);
    expect(count('/api/v1/stream')).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.m.CUSTOMER').count()).toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}/widget-desktop.png` });
    await context.close();
  });

  it('shows the history once after a reload, and nothing twice as the conversation goes on', async () => {
    const { page, context } = await visit();
    await say(page, 'первый вопрос');
    await page.locator('.m.GPT', { hasText: 'Ответ: первый вопрос' }).waitFor();

    await page.reload();
    await page.locator('.m.GPT', { hasText: 'Ответ: первый вопрос' }).waitFor();
    await say(page, 'второй вопрос');
    await page.locator('.m.GPT', { hasText: 'Ответ: второй вопрос' }).waitFor();

    const texts = await page.locator('.m').allTextContents();
    expect(texts).toEqual([app.deps.knowledge.text('greeting'), 'первый вопрос', 'Ответ: первый вопрос', 'второй вопрос', 'Ответ: второй вопрос']);
    await context.close();
  });

  it('falls back to polling the history when the stream is blocked, and the reply still arrives', async () => {
    const { page, context, count } = await visit('/', { blockStream: true });

    await say(page, 'через опрос');
    await page.locator('.m.GPT', { hasText: 'Ответ: через опрос' }).waitFor();

    expect(count('/api/v1/stream')).toBeGreaterThanOrEqual(2);
    expect(count('/api/v1/history')).toBeGreaterThan(1);
    expect(count('/api/v1/message')).toBe(0);
    await context.close();
  });

  it('says it is offline and reconnecting while the API cannot be reached, and stops once it can', async () => {
    const { page, context, count } = await visit('/', { blockStream: true });
    await waitFor(() => count('/api/v1/history') > 1, 15_000, { what: 'polling' });
    const offline = page.locator('.banner', { hasText: app.deps.knowledge.text('widget_offline') });

    await page.route(/\/api\/v1\/history/, (route) => route.abort('internetdisconnected'));
    await offline.waitFor();
    await page.unroute(/\/api\/v1\/history/);
    await offline.waitFor({ state: 'hidden' });

    expect(await page.locator('.banner').isHidden()).toBe(true);
    await context.close();
  });

  it('shows an operator’s message and «Чат окончен.» live, and counts them as unread while the panel is closed', async () => {
    const { page, context, streamOpen } = await visit('/closed');
    const token = await tokenOf(page);
    await app.deps.store.accept({ address: { channel: 'web', chatId: token }, externalId: `x-${token}`, text: 'вопрос', at: new Date() });
    await streamOpen();

    await deliverAsOperator(token, 'Здравствуйте, я Ольга');
    await deliverAsOperator(token, 'Чат окончен.');
    await page.locator('.m.OPERATOR', { hasText: 'Чат окончен.' }).waitFor({ state: 'attached' });

    expect(await page.locator('.badge').textContent()).toBe('2');
    await page.locator('.launcher').click();
    expect(await page.locator('.m.OPERATOR').allTextContents()).toEqual(['Здравствуйте, я Ольга', 'Чат окончен.']);
    expect(await page.locator('.badge').isHidden()).toBe(true);
    await context.close();
  });

  it('shows "typing" while the model works and hides it with the reply', async () => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    gpt.setResponder(async (body, request) => (await released, echoResponder(body, request)));
    const { page, context, streamOpen } = await visit();
    // "Typing" is an event to open streams only: sent before the stream is open, it is missed.
    await streamOpen();

    await say(page, 'долгий вопрос');
    await page.locator('.typing').waitFor();
    release();
    await page.locator('.m.GPT', { hasText: 'Ответ: долгий вопрос' }).waitFor();
    gpt.setResponder(echoResponder);

    expect(await page.locator('.typing').isHidden()).toBe(true);
    await context.close();
  });

  it('shows how long to wait after a 429, gives the text back and blocks sending meanwhile', async () => {
    const { page, context } = await visit();
    await say(page, 'раз');
    await page.locator('.m.CUSTOMER small').waitFor({ state: 'detached' });
    await say(page, 'два');
    await page.locator('.m.CUSTOMER', { hasText: 'два' }).locator('small').waitFor({ state: 'detached' });

    await say(page, 'три');
    const banner = page.locator('.banner');
    await banner.waitFor();

    const wait = app.deps.knowledge.text('widget_wait').split('{seconds}');
    expect(await banner.textContent()).toMatch(new RegExp(`^${wait[0]}\\d+${wait[1]}$`));
    expect(await page.locator('textarea').inputValue()).toBe('три');
    expect(await page.locator('form button').isDisabled()).toBe(true);
    expect(await page.locator('.m.CUSTOMER').allTextContents()).toEqual(['раз', 'два']);
    await context.close();
  });

  it('asks for a person with the button, through the handoff path', async () => {
    const { page, context } = await visit();

    await page.locator('button.person').click();
    await page.locator('.m', { hasText: app.deps.knowledge.text('no_operator') }).waitFor();

    expect(await page.locator('.m.CUSTOMER').allTextContents()).toEqual([app.deps.knowledge.text('widget_person_message')]);
    await context.close();
  });

  it('makes only http and https links clickable, without the closing bracket, and shows markup as text', async () => {
    gpt.setResponder(() => ({ text: 'Смотрите (https://www.vink.ru/catalog/x/) и javascript:alert(1) <b>не жирный</b>' }));
    const { page, context } = await visit();

    await say(page, 'Где посмотреть?');
    const reply = page.locator('.m.GPT', { hasText: 'Смотрите' });
    await reply.waitFor();
    gpt.setResponder(echoResponder);

    expect(await reply.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(['https://www.vink.ru/catalog/x/']);
    expect(await reply.locator('b').count()).toBe(0);
    expect(await reply.textContent()).toBe('Смотрите (https://www.vink.ru/catalog/x/) и javascript:alert(1) <b>не жирный</b>');
    await context.close();
  });

  it('keeps the host page’s CSS out of the widget', async () => {
    const { page, context } = await visit();
    const style = (selector: string) =>
      page.locator(selector).first().evaluate((node) => {
        // Runs in the page; the test's TypeScript has no DOM lib.
        const s = (globalThis as unknown as { getComputedStyle(n: unknown): Record<string, string> }).getComputedStyle(node);
        return { color: s.color, font: s.fontFamily, display: s.display, background: s.backgroundColor, spacing: s.letterSpacing };
      });

    const hostText = await style('#host-text');
    const bubble = await style('.m.GPT');
    const send = await style('form button');

    expect(hostText.color).toBe('rgb(255, 0, 0)');
    expect(bubble.color).not.toBe('rgb(255, 0, 0)');
    expect(bubble.font).not.toMatch(/^serif/);
    expect(bubble.background).not.toBe('rgb(0, 255, 0)');
    expect(bubble.spacing).toBe('normal');
    expect(send.display).not.toBe('none');
    expect(await page.locator('textarea').isVisible()).toBe(true);
    await context.close();
  });

  it('fills the screen under 480 px', async () => {
    const { page, context } = await visit('/', { viewport: { width: 375, height: 700 } });
    await say(page, 'с телефона');
    await page.locator('.m.GPT', { hasText: 'Ответ: с телефона' }).waitFor();

    const box = await page.locator('.panel').boundingBox();

    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 700 });
    await page.screenshot({ path: `${ARTIFACTS}/widget-mobile.png` });
    await context.close();
  });

  it('works from the keyboard: the launcher opens the dialog into the text box, Escape closes it back to the launcher', async () => {
    const { page, context } = await visit('/closed');
    const launcher = page.locator('.launcher');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');

    await launcher.focus();
    await page.keyboard.press('Enter');
    const focusedOpen = await page.evaluate("document.querySelector('support-bot-chat').shadowRoot.activeElement.tagName");
    await page.keyboard.press('Escape');
    const focusedClosed = await page.evaluate("document.querySelector('support-bot-chat').shadowRoot.activeElement.className");

    expect(focusedOpen).toBe('TEXTAREA');
    expect(focusedClosed).toBe('launcher');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('[role="dialog"]').getAttribute('aria-label')).toBe(app.deps.knowledge.text('widget_title'));
    expect(await page.locator('[role="log"]').count()).toBe(1);
    await context.close();
  });
});
