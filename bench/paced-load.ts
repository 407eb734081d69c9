/**
 * Open-loop background load for the POST → reply measurement: new visitors' messages at a fixed
 * rate (`POST /api/v1/gpt`, a fresh chat-token each), whatever the server's latency — unlike wrk,
 * which sends the next request only when the last one returned. Sends in 10 ms ticks over a
 * keep-alive pool of up to 256 sockets; a process of its own so its CPU shows separately and it
 * does not slow the bench's measuring loop. Stops on SIGTERM/SIGINT or its stdin closing and
 * prints `PACED_RESULT {json}`: sent, answered 201, other statuses, errors, achieved rate, latency.
 *
 *   tsx bench/paced-load.ts <base url> <messages per second>
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { round, summarize } from './support/stats.js';

const [baseUrl = '', rateArg = '1000'] = process.argv.slice(2);
const rate = Number(rateArg);
const target = new URL('/api/v1/gpt', baseUrl);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const nonce = randomBytes(4).toString('hex');
const body = JSON.stringify({ message: 'Фоновая нагрузка: есть ли доставка?' });
const latencies: number[] = [];
let sent = 0;
let created = 0;
let otherStatus = 0;
let errors = 0;
const started = performance.now();

function send(): void {
  const index = sent++;
  const begun = performance.now();
  const req = request(
    target,
    { method: 'POST', agent, headers: { 'content-type': 'application/json', 'chat-token': `paced-${nonce}-${String(index).padStart(8, '0')}`, 'content-length': Buffer.byteLength(body) } },
    (res) => {
      res.resume();
      res.on('end', () => {
        latencies.push(performance.now() - begun);
        if (res.statusCode === 201) created += 1;
        else otherStatus += 1;
      });
    },
  );
  req.on('error', () => (errors += 1));
  req.end(body);
}

// Each tick sends what the schedule owes so far, so a late timer catches up instead of drifting.
const tick = setInterval(() => {
  const owed = Math.floor(((performance.now() - started) / 1000) * rate) - sent;
  for (let i = 0; i < owed; i += 1) send();
}, 10);

let stopped = false;
function stop(): void {
  if (stopped) return;
  stopped = true;
  clearInterval(tick);
  const seconds = (performance.now() - started) / 1000;
  const result = { rate_asked: rate, sent, created, other_status: otherStatus, errors, seconds: round(seconds, 1), achieved_per_s: round(created / seconds, 0), latency_ms: summarize(latencies) };
  process.stdout.write(`PACED_RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write('PACED_STARTED\n');
