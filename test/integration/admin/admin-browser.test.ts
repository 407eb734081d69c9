/**
 * The admin panel in Debian's Chromium over the whole app (both Telegram bots on the Bot API fake,
 * the model on the YandexGPT fake): log in, approve a pending operator, read a transcript, see the
 * analytics charts drawn with data, and the status and queue pages. A screenshot of each page is
 * saved under test-artifacts/admin/ (git-ignored).
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { seedAdmin } from '../../support/admin-client.js';
import { launchBrowser } from '../../support/browser.js';
import {
  createScratchDatabase,
  freshChatId,
  inviteTo,
  operatorOnDuty,
  press,
  startDeskApp,
  startFakeTelegram,
  startFakeYandexGpt,
  waitForText,
  webVisitor,
  type Desk,
  type ScratchDatabase,
} from '../operators/harness.js';

const ARTIFACTS = 'test-artifacts/admin';
const PASSWORD = 'browser test password';

describe('admin panel in Chromium', () => {
  let database: ScratchDatabase;
  let customers: FakeTelegram;
  let operators: FakeTelegram;
  let gpt: FakeYandexGpt;
  let desk: Desk;
  let browser: Browser;
  let page: Page;
  const onDuty = freshChatId();
  const pending = freshChatId();
  const answeredToken = `visitor-${randomUUID()}`;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    database = await createScratchDatabase('admin_browser');
    customers = await startFakeTelegram();
    operators = customers.addBot({ username: 'desk_bot' });
    gpt = await startFakeYandexGpt();
    desk = { app: await startDeskApp(database, customers, operators, gpt), customers, operators };
    const text = (key: string) => desk.app.deps.knowledge.text(key);
    await seedAdmin(database.url, 'manager', PASSWORD);

    // An operator on duty, and one who only registered.
    await operatorOnDuty(desk, onDuty, 'Ольга');
    operators.pushText(pending, '/start', { first_name: 'Пётр', username: 'petr' });
    await waitForText(operators, pending, text('operators_registered'));

    // A visitor the model answered twice (tokens, model version), one whose question failed
    // (fallback), and one handed to the operator, who took it.
    const answered = webVisitor(desk.app, answeredToken);
    await answered.say('Какие у вас синие пленки?');
    await answered.waitFor('Ответ: Какие у вас синие пленки?');
    await answered.say('А доставка в Казань есть?');
    await answered.waitFor('Ответ: А доставка в Казань есть?');
    gpt.script({ error: 400 });
    const failed = webVisitor(desk.app, `visitor-${randomUUID()}`);
    await failed.say('Сколько стоит аренда склада на Марсе?');
    await failed.waitFor(text('fallback'));
    const handed = webVisitor(desk.app, `visitor-${randomUUID()}`);
    await handed.say('Позовите оператора, пожалуйста');
    await handed.waitFor(text('connecting'));
    press(desk, onDuty, await inviteTo(desk, onDuty));
    await handed.waitFor(text('operator_joined'));

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await desk?.app.stop();
    await customers?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('logs in through the form and lands on the conversations list', async () => {
    await page.goto(`${desk.app.url}/admin/`);
    expect(page.url()).toContain('/admin/login');
    await page.screenshot({ path: `${ARTIFACTS}/login.png` });

    await page.fill('input[name=username]', 'manager');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');

    await page.waitForURL('**/admin/conversations');
    expect(await page.locator('#conversations tbody tr').count()).toBe(3);
    await page.screenshot({ path: `${ARTIFACTS}/conversations.png`, fullPage: true });
  });

  it('approves a pending operator from the Operators page, through the core use case', async () => {
    await page.goto(`${desk.app.url}/admin/operators`);
    const row = page.locator(`tr[data-operator="${pending}"]`);
    expect(await row.locator('.status').textContent()).toBe('pending');
    expect(await page.locator(`tr[data-operator="${onDuty}"] td`).nth(4).textContent()).toContain('visitor');

    await row.locator('button', { hasText: 'Approve' }).click();

    await page.waitForURL(`**/admin/operators?done=approved:${pending}`);
    expect(await page.locator(`tr[data-operator="${pending}"] .status`).textContent()).toBe('approved');
    expect((await desk.app.deps.handoffs.findOperator(String(pending)))?.status).toBe('approved');
    await page.screenshot({ path: `${ARTIFACTS}/operators.png`, fullPage: true });
  });

  it('finds a conversation by its text and shows its transcript with outcomes, delivery, tokens and model version', async () => {
    await page.goto(`${desk.app.url}/admin/conversations`);
    await page.fill('input[name=q]', 'доставка в Казань');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL('**/admin/conversations?*q=*');
    expect(await page.locator('#conversations tbody tr').count()).toBe(1);

    await page.locator('#conversations tbody tr a').first().click();

    await page.waitForURL('**/admin/conversations/*');
    const rows = page.locator('#transcript tbody tr');
    expect(await rows.count()).toBe(4);
    const answer = rows.nth(1);
    expect(await answer.locator('td').nth(2).textContent()).toBe('Ответ: Какие у вас синие пленки?');
    expect(await answer.locator('td').nth(3).textContent()).toBe('answer');
    expect(await answer.locator('td').nth(4).textContent()).toMatch(/^delivered /);
    expect(await answer.locator('td').nth(5).textContent()).toMatch(/^\d+\/\d+\/\d+$/);
    expect(await answer.locator('td').nth(6).textContent()).toBe('23.10.2024');
    expect(await rows.nth(0).locator('td').nth(3).textContent()).toBe('answered');
    expect(await page.content()).not.toContain(answeredToken);
    await page.screenshot({ path: `${ARTIFACTS}/transcript.png`, fullPage: true });
  });

  it('draws the analytics charts with the data and lists the question the bot could not answer', async () => {
    await page.goto(`${desk.app.url}/admin/analytics`);
    await page.waitForSelector('body[data-charts-ready=true]');

    const drawn = await page.evaluate(`(() => {
      const sum = (chart) => chart.data.datasets.flatMap((d) => d.data).reduce((a, b) => a + (b || 0), 0);
      const inked = (canvas) => {
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
        return n;
      };
      return Object.fromEntries(Object.entries(window.adminCharts).map(([name, chart]) => [name, { sum: sum(chart), inked: inked(chart.canvas) }]));
    })()`) as Record<string, { sum: number; inked: number }>;

    expect(Object.keys(drawn).sort()).toEqual(['accept', 'conversations', 'firstResponse', 'resolved', 'tokens']);
    expect(drawn.conversations!.sum).toBe(3);
    expect(drawn.resolved!.sum).toBe(3);
    expect(drawn.tokens!.sum).toBeGreaterThan(0);
    expect(drawn.firstResponse!.sum).toBeGreaterThan(0);
    for (const chart of Object.values(drawn)) expect(chart.inked).toBeGreaterThan(1000);
    expect(await page.locator('#unanswered').textContent()).toContain('Сколько стоит аренда склада на Марсе?');
    expect(await page.locator('#handoff-reasons tbody tr').first().textContent()).toContain('customer_request');
    await page.screenshot({ path: `${ARTIFACTS}/analytics.png`, fullPage: true });
  });

  it('exports the filtered conversations and the unanswered questions as CSV', async () => {
    const conversations = await page.request.get(`${desk.app.url}/admin/conversations.csv?person=yes`);
    const questions = await page.request.get(`${desk.app.url}/admin/analytics/unanswered.csv`);

    const lines = (await conversations.text()).trim().split('\n');
    expect(conversations.headers()['content-type']).toContain('text/csv');
    expect(lines[0]).toContain('id,channel,customer,state');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,web,visitor .+,with_operator,.*,yes$/);
    expect(await questions.text()).toContain('Сколько стоит аренда склада на Марсе?');
  });

  it('shows queue depths, the model, the catalog and both bots on the Status page', async () => {
    await page.goto(`${desk.app.url}/admin/status`);

    expect(await page.locator('#queues tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#catalog').textContent()).toMatch(/\d+ offers/);
    const bots = await page.locator('table.bot').allTextContents();
    expect(bots.join(' ')).toContain("customers' bot");
    expect(bots.join(' ')).toContain("operators' bot");
    expect(bots.join(' ')).toContain('updates waiting at Telegram');
    await page.screenshot({ path: `${ARTIFACTS}/status.png`, fullPage: true });
  });

  it('shows the BullMQ queues in bull-board behind the same login', async () => {
    await page.goto(`${desk.app.url}/admin/queues`);

    await page.getByText('replies', { exact: false }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${ARTIFACTS}/queues.png`, fullPage: true });
  });
});
