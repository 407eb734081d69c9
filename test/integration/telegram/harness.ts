/**
 * The whole app with its Telegram channel pointed at the loopback Bot API fake and the model at
 * the YandexGPT fake. Each test file gets a scratch database of its own: Telegram replies are
 * pushed by whichever app sends them, so an app of another file sweeping a shared database could
 * send this file's replies to its own fake.
 */
import { randomInt } from 'node:crypto';
import type { Role } from '../../../src/app.js';
import type { YandexGptCompletionRequest } from '../../../src/llm/yandex-gpt-wire.js';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/fake-telegram.js';
import { startFakeYandexGpt, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

export { createScratchDatabase, type ScratchDatabase };

/** `postgres+in-process`: the run's PostgreSQL without Redis, as `npm start` with DATABASE_URL only. */
export type TelegramBackend = 'postgres+redis' | 'postgres+in-process';

export interface AppOptions {
  backend?: TelegramBackend;
  role?: Role;
  /** Extra environment (CONTRACT.md names). */
  env?: Record<string, string | number | undefined>;
}

/** Starts the app on `database` with the fakes configured; Telegram polls unless `env` sets a webhook. */
export async function startTelegramApp(database: ScratchDatabase, telegram: FakeTelegram, gpt: FakeYandexGpt, options: AppOptions = {}): Promise<TestApp> {
  const backend = options.backend ?? 'postgres+redis';
  return startTestApp(
    'postgres+redis',
    {
      DATABASE_URL: database.url,
      ...(backend === 'postgres+in-process' ? { REDIS_URL: undefined } : {}),
      YANDEX_API_KEY: 'test-key',
      YANDEX_FOLDER_ID: 'b1gtestfolder',
      YANDEX_GPT_BASE_URL: gpt.url,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.url,
      LLM_RETRY_BACKOFF_MS: 50,
      ...options.env,
    },
    { role: options.role },
  );
}

export { startFakeTelegram, startFakeYandexGpt };

/** A Telegram user id nobody else in the run uses: the private chat's id. */
export function freshChatId(): number {
  return randomInt(1_000_000_000, 2_000_000_000);
}

/** The customer's question in a model request (history comes before it). */
export function questionOf(body: YandexGptCompletionRequest | undefined): string {
  return [...(body?.messages ?? [])].reverse().find((m) => m.role === 'user')?.text ?? '';
}

/** Model requests whose question contains `text`. */
export function requestsAbout(gpt: FakeYandexGpt, text: string): number {
  return gpt.requests.filter((r) => questionOf(r.body).includes(text)).length;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
