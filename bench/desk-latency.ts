/**
 * The operators' desk under the fakes: the time from an operator pressing an invite (a
 * callback_query injected at the Bot API fake) to their transcript's sendMessage, over
 * BENCH_DESK_HANDOFFS handoffs of web visitors; and relays per second both ways in one chat
 * (operator → web visitor, read by polling; web visitor → operator, sent by the operators' bot,
 * whose send queue is capped at 25 messages a second like every bot). Figures, not pass/fail.
 *
 * Runs the app (PostgreSQL + Redis on this machine, a scratch database) and both fakes in this
 * process; prints `DESK_LATENCY {json}` on stdout. `npm run bench:desk`.
 */
import { randomUUID } from 'node:crypto';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { approveOperator, startOperator } from '../src/core/desk.js';
import { freePort } from '../src/free-port.js';
import { createLogger } from '../src/logger.js';
import { startFakeTelegram } from '../test/fakes/fake-telegram.js';
import { startFakeYandexGpt } from '../test/fakes/fake-yandex-gpt.js';
import { createScratchDatabase, deleteRedisPrefix, dropScratchDatabase } from './support/services.js';

const handoffs = Number(process.env.BENCH_DESK_HANDOFFS ?? 50);
const relays = Number(process.env.BENCH_DESK_RELAYS ?? 200);
const pgAdminUrl = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const progress = (line: string) => process.stderr.write(`· desk-latency: ${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const customers = await startFakeTelegram();
  const operators = customers.addBot({ username: 'bench_desk_bot' });
  const gpt = await startFakeYandexGpt();
  const prefix = `bench-desk-${Date.now().toString(36)}`;
  const databaseName = `supportbot_bench_desk_${Date.now().toString(36)}`;
  const databaseUrl = await createScratchDatabase(pgAdminUrl, databaseName);
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    PROMPTS_DIR: 'prompts',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: prefix,
    YANDEX_API_KEY: 'bench-key',
    YANDEX_FOLDER_ID: 'b1gbench',
    YANDEX_GPT_BASE_URL: gpt.url,
    TELEGRAM_BOT_TOKEN: customers.token,
    TELEGRAM_OPERATOR_BOT_TOKEN: operators.token,
    TELEGRAM_API_ROOT: customers.url,
    RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
    RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000',
    RATE_LIMIT_ADDRESS_MESSAGES_PER_MINUTE: '1000000',
  });
  const app = await startApp(config, createLogger({ level: 'silent' }));
  const url = app.info.url as string;
  try {
    const operatorId = 555_000_001;
    await startOperator(app.deps, { telegramUserId: String(operatorId), chatId: String(operatorId), name: 'Bench' });
    await approveOperator(app.deps, String(operatorId));
    await startOperator(app.deps, { telegramUserId: String(operatorId), chatId: String(operatorId), name: 'Bench' });
    const post = (token: string, message: string) =>
      fetch(`${url}/api/v1/gpt`, { method: 'POST', headers: { 'content-type': 'application/json', 'chat-token': token }, body: JSON.stringify({ message }) });
    const poll = async (token: string) => ((await (await fetch(`${url}/api/v1/message`, { headers: { 'chat-token': token } })).json()) as { messages: Array<{ message: string }> }).messages;
    const isInvite = (m: { replyMarkup?: unknown }) => JSON.stringify(m.replyMarkup ?? {}).includes('take:');

    const accepts: number[] = [];
    let token = '';
    for (let i = 0; i < handoffs; i += 1) {
      token = `bench-${randomUUID()}`;
      const invitesBefore = operators.sentTo(operatorId).filter(isInvite).length;
      await post(token, 'позовите оператора');
      await operators.waitFor(() => operators.sentTo(operatorId).filter(isInvite).length > invitesBefore, 20_000, 'an invite');
      const invite = operators.sentTo(operatorId).filter(isInvite).at(-1)!;
      const transcriptsBefore = operators.sentTo(operatorId).filter((m) => m.text.startsWith('Переписка')).length;
      const started = performance.now();
      operators.pushCallback(operatorId, invite, (invite.replyMarkup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard[0]![0]!.callback_data);
      await operators.waitFor(() => operators.sentTo(operatorId).filter((m) => m.text.startsWith('Переписка')).length > transcriptsBefore, 20_000, 'a transcript');
      accepts.push(performance.now() - started);
      if (i < handoffs - 1) {
        operators.pushText(operatorId, '/finish');
        await app.deps.handoffs.findOperator(String(operatorId)).then(async (op) => {
          while (op && (await app.deps.handoffs.activeHandoff(op.id))) await new Promise((r) => setTimeout(r, 5));
        });
      }
    }
    progress(`${handoffs} handoffs accepted`);

    // Relays in the last chat: operator → web visitor.
    let started = performance.now();
    for (let i = 0; i < relays; i += 1) operators.pushText(operatorId, `ответ оператора ${i}`);
    let got = 0;
    while (got < relays) {
      got += (await poll(token)).filter((m) => m.message.startsWith('ответ оператора')).length;
      if (performance.now() - started > 120_000) throw new Error(`only ${got} of ${relays} relays reached the visitor`);
    }
    const toVisitorPerSecond = relays / ((performance.now() - started) / 1000);
    // Web visitor → operator.
    const before = operators.sentTo(operatorId).length;
    started = performance.now();
    for (let i = 0; i < relays; i += 1) await post(token, `вопрос клиента ${i}`);
    await operators.waitFor(() => operators.sentTo(operatorId).length >= before + relays, 120_000, 'relays to the operator');
    const toOperatorPerSecond = relays / ((performance.now() - started) / 1000);

    const sorted = [...accepts].sort((a, b) => a - b);
    const result = {
      handoffs,
      acceptToTranscriptMs: { p50: +percentile(sorted, 50).toFixed(1), p99: +percentile(sorted, 99).toFixed(1), max: +(sorted.at(-1) ?? NaN).toFixed(1) },
      relays,
      operatorToVisitorPerSecond: +toVisitorPerSecond.toFixed(1),
      visitorToOperatorPerSecond: +toOperatorPerSecond.toFixed(1),
    };
    process.stdout.write(`DESK_LATENCY ${JSON.stringify(result)}\n`);
  } finally {
    await app.stop();
    await customers.close();
    await gpt.close();
    await dropScratchDatabase(pgAdminUrl, databaseName).catch(() => undefined);
    await deleteRedisPrefix(redisUrl, prefix).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`desk-latency failed: ${String(error)}\n`);
    process.exit(1);
  },
);
