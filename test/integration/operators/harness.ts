/**
 * The whole app with both bots on one loopback Bot API fake (the customers' bot and the
 * operators' bot, told apart by token, as on the real Telegram) and the model on the YandexGPT
 * fake; helpers that act as an operator, a web visitor and a Telegram customer would.
 */
import { expect } from 'vitest';
import { approveOperator } from '../../../src/core/desk.js';
import type { FakeTelegram, SentMessage } from '../../fakes/fake-telegram.js';
import type { FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import type { TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';
import { startTelegramApp, type AppOptions, type ScratchDatabase } from '../telegram/harness.js';

export { createScratchDatabase, freshChatId, startFakeTelegram, startFakeYandexGpt, type ScratchDatabase } from '../telegram/harness.js';

export interface Desk {
  app: TestApp;
  customers: FakeTelegram;
  operators: FakeTelegram;
}

/** Starts the app with TELEGRAM_OPERATOR_BOT_TOKEN set to a second bot on the same fake. */
export async function startDeskApp(database: ScratchDatabase, customers: FakeTelegram, operators: FakeTelegram, gpt: FakeYandexGpt, options: AppOptions = {}): Promise<TestApp> {
  return startTelegramApp(database, customers, gpt, { ...options, env: { TELEGRAM_OPERATOR_BOT_TOKEN: operators.token, ...options.env } });
}

/** Texts the operators' bot has sent to `userId` that contain `part`. */
export function sentWith(operators: FakeTelegram, userId: number, part: string): SentMessage[] {
  return operators.sentTo(userId).filter((m) => m.text.includes(part));
}

/** Waits for a message to `userId` containing `part`; returns the first such. */
export async function waitForText(bot: FakeTelegram, userId: number | string, part: string, timeoutMs = 10_000): Promise<SentMessage> {
  await bot.waitFor(() => bot.sentTo(userId).some((m) => m.text.includes(part)), timeoutMs, `a message with "${part}" to ${userId}`);
  return bot.sentTo(userId).find((m) => m.text.includes(part)) as SentMessage;
}

/** Registers `userId` through /start, approves them (the use case the CLI runs) and puts them on duty. */
export async function operatorOnDuty(desk: Desk, userId: number, name: string): Promise<void> {
  const texts = (key: string) => desk.app.deps.knowledge.text(key);
  desk.operators.pushText(userId, '/start', { first_name: name, username: name.toLowerCase() });
  await waitForText(desk.operators, userId, texts('operators_registered'));
  expect(await approveOperator(desk.app.deps, String(userId))).toMatchObject({ status: 'approved' });
  desk.operators.pushText(userId, '/start', { first_name: name, username: name.toLowerCase() });
  await waitForText(desk.operators, userId, texts('operators_on_duty'));
}

/** The latest invite the operator got (that names `customer`, when given), with its button. */
export async function inviteTo(desk: Desk, userId: number, customer?: string): Promise<SentMessage> {
  const matching = () => desk.operators.sentTo(userId).filter((m) => isInvite(m) && (customer === undefined || m.text.includes(customer)));
  await desk.operators.waitFor(() => matching().length > 0, 10_000, `an invite to ${userId}${customer ? ` about ${customer}` : ''}`);
  return matching().at(-1) as SentMessage;
}

export function isInvite(message: SentMessage): boolean {
  return JSON.stringify(message.replyMarkup ?? {}).includes('take:');
}

/** Presses the invite's button. */
export function press(desk: Desk, userId: number, invite: SentMessage): void {
  const markup = invite.replyMarkup as { inline_keyboard: Array<Array<{ callback_data: string }>> };
  desk.operators.pushCallback(userId, invite, markup.inline_keyboard[0]![0]!.callback_data);
}

/** A web visitor. */
export function webVisitor(app: TestApp, token: string) {
  const received: Array<{ message: string; user: string }> = [];
  return {
    received,
    async say(message: string): Promise<void> {
      const res = await fetch(`${app.url}/api/v1/gpt`, { method: 'POST', headers: { 'content-type': 'application/json', 'chat-token': token }, body: JSON.stringify({ message }) });
      expect(res.status).toBe(201);
    },
    /** Polls until a message containing `part` arrived; returns everything received so far. */
    async waitFor(part: string, timeoutMs = 10_000) {
      await waitFor(
        async () => {
          const res = await fetch(`${app.url}/api/v1/message`, { headers: { 'chat-token': token } });
          const body = (await res.json()) as { messages: Array<{ message: string; user: string }> };
          received.push(...body.messages.map(({ message, user }) => ({ message, user })));
          return received.some((m) => m.message.includes(part));
        },
        timeoutMs,
        { intervalMs: 25, what: `a web reply with "${part}"` },
      );
      return received;
    },
  };
}
