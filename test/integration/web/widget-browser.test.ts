/** The demo chat page in a real browser: a visitor types a question and sees the bot's answer. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeYandexGpt, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { launchBrowser } from '../../support/browser.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

describe('demo chat page in Chromium', () => {
  let gpt: FakeYandexGpt;
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    gpt = await startFakeYandexGpt();
    app = await startTestApp('postgres+redis', { YANDEX_API_KEY: 'test-key', YANDEX_FOLDER_ID: 'b1gtest', YANDEX_GPT_BASE_URL: gpt.url });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await gpt?.close();
  });

  it('shows the greeting, sends what the visitor types and shows the reply the poll brings', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    await expect.poll(() => page.locator('.m.GPT').first().textContent()).toBe(app.deps.knowledge.text('greeting'));

    await page.fill('#text', 'Какие у вас синие пленки?');
    await page.keyboard.press('Enter');

    await page.locator('.m.CUSTOMER', { hasText: 'Какие у вас синие пленки?' }).waitFor({ timeout: 5000 });
    await page.locator('.m.GPT', { hasText: 'Ответ: Какие у вас синие пленки?' }).waitFor({ timeout: 10_000 });
    expect(gpt.requests).toHaveLength(1);
    await page.close();
  });

  it('makes links in replies clickable and shows markup as text', async () => {
    gpt.setResponder(() => ({ text: 'Смотрите https://www.vink.ru/catalog/x/ <b>не жирный</b>' }));
    const page = await browser.newPage();
    await page.goto(app.url);

    await page.fill('#text', 'Где посмотреть?');
    await page.keyboard.press('Enter');
    const reply = page.locator('.m.GPT', { hasText: 'Смотрите' });
    await reply.waitFor({ timeout: 10_000 });

    expect(await reply.locator('a').getAttribute('href')).toBe('https://www.vink.ru/catalog/x/');
    expect(await reply.locator('b').count()).toBe(0);
    expect(await reply.textContent()).toContain('<b>не жирный</b>');
    await page.close();
  });

  it('keeps the conversation across a reload: the same chat-token is used', async () => {
    const page = await browser.newPage();
    await page.goto(app.url);
    const first = await page.evaluate("localStorage.getItem('support-bot-chat-token')");
    await page.reload();

    const second = await page.evaluate("localStorage.getItem('support-bot-chat-token')");

    expect(first).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
    expect(second).toBe(first);
    await page.close();
  });
});
