/**
 * The desk when things go wrong or at once: two operators pressing one invite together, nobody on
 * duty, requests that expire, an operator who blocks the bot or is disabled mid-chat.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOperators } from '../../../src/cli/operators.js';
import { expireHandoffs } from '../../../src/core/desk.js';
import type { FakeTelegram } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { testConfig } from '../../support/test-config.js';
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

describe('the operators\' desk under races and faults', () => {
  let database: ScratchDatabase;
  let customers: FakeTelegram;
  let operators: FakeTelegram;
  let gpt: FakeYandexGpt;
  let desk: Desk;
  const text = (key: string) => desk.app.deps.knowledge.text(key);
  const head = (key: string) => text(key).split('{')[0]!.trim();

  beforeAll(async () => {
    database = await createScratchDatabase('deskfaults');
    customers = await startFakeTelegram();
    operators = customers.addBot({ username: 'desk_bot' });
    gpt = await startFakeYandexGpt();
    desk = { app: await startDeskApp(database, customers, operators, gpt), customers, operators };
  });

  afterAll(async () => {
    await desk?.app.stop();
    await customers?.close();
    await gpt?.close();
    await database?.drop();
  });

  /** Takes everyone on duty off duty, so each test starts with nobody there. */
  async function nobodyOnDuty(): Promise<void> {
    for (const operator of await desk.app.deps.handoffs.onDutyOperators()) await desk.app.deps.handoffs.setOnDuty(operator.telegramUserId, false);
  }

  async function handoffState(conversationToken: string): Promise<string | undefined> {
    const rows = await database.query(
      `select h.state from handoff h join conversation c on c.id = h.conversation_id where c.chat_id = $1 order by h.id desc limit 1`,
      [conversationToken],
    );
    return rows[0]?.state as string | undefined;
  }

  it('gives the conversation to exactly one of two operators pressing the same invite at the same instant', async () => {
    await nobodyOnDuty();
    const [anna, boris] = [freshChatId(), freshChatId()];
    await operatorOnDuty(desk, anna, 'Анна');
    await operatorOnDuty(desk, boris, 'Борис');
    const token = `visitor-${randomUUID()}`;
    await webVisitor(desk.app, token).say('соедините с оператором');
    const [annaInvite, borisInvite] = await Promise.all([inviteTo(desk, anna), inviteTo(desk, boris)]);

    press(desk, anna, annaInvite);
    press(desk, boris, borisInvite);

    await operators.waitFor(() => operators.callbackAnswers.length >= 2, 10_000, 'both presses answered');
    const rows = await database.query(
      `select h.state, o.telegram_user_id from handoff h join conversation c on c.id = h.conversation_id left join operator o on o.id = h.operator_id where c.chat_id = $1`,
      [token],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.state).toBe('accepted');
    const winner = Number(rows[0]?.telegram_user_id);
    const loser = winner === anna ? boris : anna;
    const loserInvite = winner === anna ? borisInvite : annaInvite;
    await operators.waitFor(() => operators.messageById(loser, loserInvite.messageId)?.text.includes(head('operators_taken_by')) === true, 10_000, 'the other invite says taken');
    expect(operators.messageById(loser, loserInvite.messageId)?.replyMarkup).toBeUndefined();
    await waitForText(operators, winner, head('operators_transcript'));
    expect(operators.sentTo(loser).some((m) => m.text.includes(head('operators_transcript')))).toBe(false);
    operators.pushText(winner, '/finish');
    await waitForText(operators, winner, head('operators_finished'));
  });

  it('with nobody on duty tells the customer so, keeps answering, and invites an operator who comes on duty later', async () => {
    await nobodyOnDuty();
    const token = `visitor-${randomUUID()}`;
    const visitor = webVisitor(desk.app, token);

    await visitor.say('позовите живого человека');
    const received = await visitor.waitFor(text('no_operator'));
    expect(received.find((m) => m.message.startsWith(text('no_operator')))?.user).toBe('OPERATOR');
    await visitor.say('какие пленки есть?');
    await visitor.waitFor('Ответ: какие пленки есть?');
    expect(await handoffState(token)).toBe('requested');

    const late = freshChatId();
    await operatorOnDuty(desk, late, 'Вера');
    const invite = await inviteTo(desk, late);
    expect(invite.text).toContain(token.slice(0, 5));
    press(desk, late, invite);
    await visitor.waitFor(text('operator_joined'));
    operators.pushText(late, '/finish');
    await visitor.waitFor(text('finished'));
  });

  it('expires a request nobody took: the customer is told, and the bot answers what waited for the person', async () => {
    await nobodyOnDuty();
    const idle = freshChatId();
    await operatorOnDuty(desk, idle, 'Григорий');
    const token = `visitor-${randomUUID()}`;
    const visitor = webVisitor(desk.app, token);
    await visitor.say('нужен менеджер');
    await visitor.waitFor(text('connecting'));
    const invite = await inviteTo(desk, idle);
    await visitor.say('вы тут? сколько стоит баннер?');

    expect(await expireHandoffs(desk.app.deps, 0)).toBe(1);

    await visitor.waitFor(text('handoff_expired'));
    await visitor.waitFor('Ответ: вы тут? сколько стоит баннер?');
    expect(await handoffState(token)).toBe('expired');
    await operators.waitFor(() => operators.messageById(idle, invite.messageId)?.text.includes(head('operators_invite_closed')) === true, 10_000, 'the invite says closed');
  });

  it('puts the conversation back in the queue when its operator blocks the bot, and loses nothing the customer sent', async () => {
    await nobodyOnDuty();
    const [first, second] = [freshChatId(), freshChatId()];
    await operatorOnDuty(desk, first, 'Дина');
    const customer = freshChatId();
    customers.pushText(customer, '/operator', { first_name: 'Евгений' });
    press(desk, first, await inviteTo(desk, first, 'Евгений'));
    await waitForText(customers, customer, text('operator_joined'));
    await operatorOnDuty(desk, second, 'Жанна');

    operators.blockChat(first);
    customers.pushText(customer, 'мне нужен счёт на баннер 3х6', { first_name: 'Евгений' });

    const again = await inviteTo(desk, second, 'Евгений');
    expect((await desk.app.deps.handoffs.findOperator(String(first)))?.onDuty).toBe(false);
    press(desk, second, again);
    const transcript = await waitForText(operators, second, head('operators_transcript'));
    expect(transcript.text).toContain('мне нужен счёт на баннер 3х6');
    operators.pushText(second, '/finish');
    await waitForText(customers, customer, text('finished'));
  });

  it('puts the conversation back in the queue when its operator is disabled mid-chat from the command line', async () => {
    await nobodyOnDuty();
    const [first, second] = [freshChatId(), freshChatId()];
    await operatorOnDuty(desk, first, 'Зоя');
    const token = `visitor-${randomUUID()}`;
    const visitor = webVisitor(desk.app, token);
    await visitor.say('оператор');
    press(desk, first, await inviteTo(desk, first, token.slice(0, 5)));
    await visitor.waitFor(text('operator_joined'));
    await operatorOnDuty(desk, second, 'Игорь');
    const lines: string[] = [];

    const code = await runOperators({ kind: 'disable', telegramUserId: String(first) }, testConfig({ DATABASE_URL: database.url }), (line) => lines.push(line));

    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('disabled');
    expect(await desk.app.deps.handoffs.findOperator(String(first))).toMatchObject({ status: 'disabled', onDuty: false });
    // The running app's operators' bot sends what the command wrote (it looks every few seconds).
    const again = await inviteTo(desk, second, token.slice(0, 5));
    await waitForText(operators, first, head('operators_returned'));
    operators.pushText(first, 'я ещё тут');
    await waitForText(operators, first, text('operators_no_chat'));
    press(desk, second, again);
    await waitForText(operators, second, head('operators_transcript'));
    operators.pushText(second, 'Здравствуйте, я продолжу.');
    const received = await visitor.waitFor('Здравствуйте, я продолжу.');
    expect(received.map((m) => m.message)).not.toContain('я ещё тут');
    operators.pushText(second, '/finish');
    await visitor.waitFor(text('finished'));
  });
});
