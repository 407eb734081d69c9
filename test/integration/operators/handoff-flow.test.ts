/**
 * The operators' desk end to end, with both bots on the Bot API fake: a web visitor and a
 * Telegram customer handed to a person and back, the bot silent meanwhile, and the model's
 * history starting afresh after the operator's part.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { questionOf, requestsAbout } from '../telegram/harness.js';
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
} from './harness.js';

describe('a handoff to an operator and back', () => {
  let database: ScratchDatabase;
  let customers: FakeTelegram;
  let operators: FakeTelegram;
  let gpt: FakeYandexGpt;
  let desk: Desk;
  const text = (key: string) => desk.app.deps.knowledge.text(key);
  const operatorId = freshChatId();

  beforeAll(async () => {
    database = await createScratchDatabase('desk');
    customers = await startFakeTelegram();
    operators = customers.addBot({ username: 'desk_bot' });
    gpt = await startFakeYandexGpt();
    const app = await startDeskApp(database, customers, operators, gpt);
    desk = { app, customers, operators };
    await operatorOnDuty(desk, operatorId, 'Ольга');
  });

  afterAll(async () => {
    await desk?.app.stop();
    await customers?.close();
    await gpt?.close();
    await database?.drop();
  });

  it('takes a web visitor from the request to /finish, with the bot silent while the operator is in charge', async () => {
    const token = `visitor-${randomUUID()}`;
    const visitor = webVisitor(desk.app, token);

    await visitor.say('Позовите оператора, пожалуйста');
    await visitor.waitFor(text('connecting'));
    const invite = await inviteTo(desk, operatorId);
    expect(invite.text).toContain(token.slice(0, 5));
    expect(invite.text).not.toContain(token);
    await visitor.say('где мой заказ 123?');

    press(desk, operatorId, invite);
    const transcript = await waitForText(operators, operatorId, text('operators_transcript').split('{')[0]!.trim());
    expect(transcript.text).toContain('Позовите оператора, пожалуйста');
    expect(transcript.text).toContain('где мой заказ 123?');
    await operators.waitFor(() => operators.messageById(operatorId, invite.messageId)?.text.includes(token.slice(0, 5)) === true && !operators.messageById(operatorId, invite.messageId)?.replyMarkup, 10_000, 'the invite edited');
    await visitor.waitFor(text('operator_joined'));

    operators.pushText(operatorId, 'Здравствуйте! Заказ 123 отгружен сегодня.');
    const received = await visitor.waitFor('Заказ 123 отгружен');
    expect(received.find((m) => m.message.includes('Заказ 123 отгружен'))?.user).toBe('OPERATOR');

    await visitor.say('спасибо, а когда привезут?');
    await waitForText(operators, operatorId, 'спасибо, а когда привезут?');
    expect(requestsAbout(gpt, 'где мой заказ')).toBe(0);
    expect(requestsAbout(gpt, 'спасибо, а когда привезут?')).toBe(0);

    operators.pushText(operatorId, '/finish');
    const all = await visitor.waitFor(text('finished'));
    expect(all.find((m) => m.message === text('finished'))?.user).toBe('OPERATOR');
    await waitForText(operators, operatorId, text('operators_finished').split('{')[0]!.trim());

    await visitor.say('а какие цены на пленку?');
    await visitor.waitFor('Ответ: а какие цены на пленку?');
    const request = gpt.requests.find((r) => questionOf(r.body).includes('а какие цены на пленку?'));
    const history = JSON.stringify(request?.body?.messages ?? []);
    expect(history).not.toContain('Заказ 123 отгружен');
    expect(history).not.toContain('где мой заказ 123?');
    const metrics = await (await fetch(`${desk.app.url}/metrics`)).text();
    expect(metrics).toMatch(/handoffs_total\{reason="customer_request",outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/handoffs_total\{reason="customer_request",outcome="finished"\} [1-9]/);
    expect(metrics).toMatch(/handoff_accept_seconds_count [1-9]/);
    expect(metrics).toMatch(/conversations_waiting_operator 0/);
  });

  it('takes a Telegram customer, showing their name, and relays through the customers\' bot', async () => {
    const customer = freshChatId();

    customers.pushText(customer, '/operator', { first_name: 'Пётр', username: 'petr_buyer' });
    await waitForText(customers, customer, text('connecting'));
    const invite = await inviteTo(desk, operatorId);
    expect(invite.text).toContain('Пётр');
    press(desk, operatorId, invite);
    await waitForText(customers, customer, text('operator_joined'));

    operators.pushText(operatorId, 'Пётр, добрый день, слушаю вас.');
    await waitForText(customers, customer, 'Пётр, добрый день, слушаю вас.');
    customers.pushText(customer, 'Нужен счёт на 40 рулонов');
    await waitForText(operators, operatorId, 'Нужен счёт на 40 рулонов');
    expect(requestsAbout(gpt, 'Нужен счёт')).toBe(0);

    operators.pushText(operatorId, '/finish');
    await waitForText(customers, customer, text('finished'));
    const order = customers.sentTo(customer).map((m) => m.text);
    expect(order.indexOf(text('connecting'))).toBeLessThan(order.indexOf('Пётр, добрый день, слушаю вас.'));
    expect(order.indexOf('Пётр, добрый день, слушаю вас.')).toBeLessThan(order.indexOf(text('finished')));
  });

  it('tells an operator with no open chat so, and sends nothing to any customer', async () => {
    const before = customers.sent.length;

    operators.pushText(operatorId, 'это сообщение некому');

    await waitForText(operators, operatorId, text('operators_no_chat'));
    expect(customers.sent.length).toBe(before);
  });
});
