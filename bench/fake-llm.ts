/**
 * The YandexGPT fake of the tests (test/fakes/fake-yandex-gpt.ts) as a process of its own for the
 * benchmark: it answers every completion at once (`Ответ: <last user text>`), prints
 * `FAKE_URL <url>` when listening, and `FAKE_STATS {json}` when stopped (SIGTERM, SIGINT, or its
 * stdin closing because the bench is gone). A process of its own so its CPU shows separately from
 * the bench's measuring loop and from the server; it still shares the machine's cores with both.
 *
 * Env BENCH_LLM_DELAY_MS: wait this long before every answer (default 0).
 */
import { startFakeYandexGpt } from '../test/fakes/fake-yandex-gpt.js';

const fake = await startFakeYandexGpt();
const delayMs = Number(process.env.BENCH_LLM_DELAY_MS ?? 0);
if (delayMs > 0) fake.setDelay(delayMs);

// The fake records every request for the tests; here only the count matters, so the records are
// dropped every second instead of growing for the whole run.
let total = 0;
let invalid = 0;
const drain = setInterval(() => {
  total += fake.requests.length;
  invalid += fake.requests.filter((request) => request.body === undefined).length;
  fake.requests.length = 0;
}, 1000);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(drain);
  total += fake.requests.length;
  invalid += fake.requests.filter((request) => request.body === undefined).length;
  await fake.close();
  process.stdout.write(`FAKE_STATS ${JSON.stringify({ requests: total, invalid_requests: invalid })}\n`);
  process.exit(0);
}

process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.stdout.write(`FAKE_URL ${fake.url}\n`);
