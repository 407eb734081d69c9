/**
 * The desk across processes: a crash (SIGKILL) in the middle of an operator's chat, both bots
 * polled by one worker at a time, and both bots in webhook mode with the roles split.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runOperators } from '../../../src/cli/operators.js';
import { freePort } from '../../../src/free-port.js';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { childEnv, killGroup, ready, startCommand, type RunningCommand } from '../../support/commands.js';
import type { TestApp } from '../../support/test-app.js';
import { testConfig } from '../../support/test-config.js';
import { waitFor } from '../../support/wait-for.js';
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
  type ScratchDatabase,
} from './harness.js';

describe('the operators\' desk across processes', () => {
  let database: ScratchDatabase;
  let customers: FakeTelegram;
  let operators: FakeTelegram;
  let gpt: FakeYandexGpt;
  const apps: TestApp[] = [];
  const commands: RunningCommand[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase('deskproc');
    customers = await startFakeTelegram();
    operators = customers.addBot({ username: 'desk_proc_bot' });
    gpt = await startFakeYandexGpt();
  });

  afterAll(async () => {
    await Promise.all(commands.map(killGroup));
    for (const app of apps) await app.stop();
    await customers?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('keeps an operator\'s chat through a SIGKILL of the whole system: after the restart it goes on where it was', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = childEnv({
      PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: inject('redisUrl'),
      BULLMQ_PREFIX: `test-${inject('runId')}-deskproc-${randomUUID().slice(0, 8)}`,
      YANDEX_API_KEY: 'test-key',
      YANDEX_FOLDER_ID: 'b1gtestfolder',
      YANDEX_GPT_BASE_URL: gpt.url,
      TELEGRAM_BOT_TOKEN: customers.token,
      TELEGRAM_OPERATOR_BOT_TOKEN: operators.token,
      TELEGRAM_API_ROOT: customers.url,
      // The visitor below polls every 25 ms; the default address limit is for real widgets.
      RATE_LIMIT_ADDRESS_PER_MINUTE: '100000',
    });
    let system = startCommand(commands, ['start'], env);
    try {
      await chatThroughACrash();
    } finally {
      // Its pollers would otherwise compete with the apps of the next tests.
      await killGroup(system);
    }

    async function chatThroughACrash(): Promise<void> {
    await ready(system, url);
    const app = { url } as TestApp;
    const visitor = webVisitor(app, `visitor-${randomUUID()}`);
    const operator = freshChatId();
    operators.pushText(operator, '/start', { first_name: 'Кира' });
    await waitForText(operators, operator, 'Вы зарегистрированы');
    expect(await runOperators({ kind: 'approve', telegramUserId: String(operator) }, testConfig({ DATABASE_URL: database.url }), () => undefined)).toBe(0);
    operators.pushText(operator, '/start', { first_name: 'Кира' });
    await waitForText(operators, operator, 'Вы на смене');
    await visitor.say('позовите оператора');
    press({ app, customers, operators }, operator, await inviteTo({ app, customers, operators }, operator));
    await visitor.waitFor('Оператор подключился');
    // A crash in the middle of a send holds that chat's send lock until its lease runs out (15 s):
    // let the operator's transcript go out first, so the test is about the handoff's state.
    await waitForText(operators, operator, 'Переписка с клиентом');
    await waitFor(async () => (await database.query('select 1 from delivery where settled_at is null')).length === 0, 10_000, { what: 'every text to operators sent' });

    await killGroup(system);
    operators.pushText(operator, 'Пока вас не было, я проверила склад: есть.');
    system = startCommand(commands, ['start'], env);
    await ready(system, url);

    await visitor.waitFor('я проверила склад', 30_000);
    await visitor.say('отлично, беру');
    await waitForText(operators, operator, 'отлично, беру', 40_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${system.output().slice(-3000)}`);
    });
    operators.pushText(operator, '/finish');
    await visitor.waitFor('Чат окончен.', 20_000);
    expect(gpt.requests.filter((r) => JSON.stringify(r.body?.messages ?? []).includes('отлично, беру'))).toEqual([]);
    }
  }, 180_000);

  it('polls each bot with one worker at a time: neither bot sees a rival poller, and each update is handled once', async () => {
    const env = { BULLMQ_PREFIX: `test-${inject('runId')}-deskpoll-${randomUUID().slice(0, 8)}` };
    const since = { customers: customers.calls.length, operators: operators.calls.length };
    const first = await startDeskApp(database, customers, operators, gpt, { role: 'worker', env });
    const second = await startDeskApp(database, customers, operators, gpt, { role: 'worker', env });
    apps.push(first, second);
    const operator = freshChatId();
    const customer = freshChatId();

    operators.pushText(operator, '/start', { first_name: 'Лев' });
    customers.pushText(customer, `вопрос ${customer}`);
    await waitForText(operators, operator, 'Вы зарегистрированы');
    await waitForText(customers, customer, `Ответ: вопрос ${customer}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    expect(operators.sentTo(operator)).toHaveLength(1);
    expect(customers.sentTo(customer)).toHaveLength(1);
    for (const [bot, from] of [[customers, since.customers], [operators, since.operators]] as const) {
      expect(bot.calls.slice(from).filter((c) => c.method === 'getUpdates' && c.errorCode === 409)).toEqual([]);
    }
    await first.stop();
    await second.stop();
  });

  it('takes both bots\' updates by webhook in the api process, refuses a webhook call without the secret, and sends from the worker', async () => {
    const port = await freePort();
    const env = {
      BULLMQ_PREFIX: `test-${inject('runId')}-deskhook-${randomUUID().slice(0, 8)}`,
      PORT: port,
      TELEGRAM_WEBHOOK_BASE_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_WEBHOOK_SECRET: 'desk_webhook_secret',
    };
    const api = await startDeskApp(database, customers, operators, gpt, { role: 'api', env });
    const worker = await startDeskApp(database, customers, operators, gpt, { role: 'worker', env: { ...env, PORT: 0 } });
    apps.push(api, worker);
    const intruder = freshChatId();

    const refused = await fetch(`${api.url}/telegram/operator/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: intruder, type: 'private' }, from: { id: intruder, is_bot: false, first_name: 'X' }, text: '/start' } }),
    });
    expect(refused.status).toBe(401);
    expect(await api.deps.handoffs.findOperator(String(intruder))).toBeNull();

    const operator = freshChatId();
    await operatorOnDuty({ app: api, customers, operators }, operator, 'Мария');
    const customer = freshChatId();
    customers.pushText(customer, '/operator', { first_name: 'Нина' });
    press({ app: api, customers, operators }, operator, await inviteTo({ app: api, customers, operators }, operator, 'Нина'));
    await waitForText(customers, customer, 'Оператор подключился');
    operators.pushText(operator, '/finish');
    await waitForText(customers, customer, 'Чат окончен.');
    expect(operators.webhook?.url).toBe(`http://127.0.0.1:${port}/telegram/operator/webhook`);
    expect(customers.webhook?.url).toBe(`http://127.0.0.1:${port}/telegram/customer/webhook`);
    await api.stop();
    await worker.stop();
  }, 60_000);
});
