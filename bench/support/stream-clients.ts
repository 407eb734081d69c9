/**
 * The load generator of bench/stream-fanout.ts, in a process of its own (so its sockets and memory
 * are not counted as the server's): opens one event stream per visitor listed in the file named by
 * STREAM_VISITORS (JSON: [[token, cursor], …]) against STREAM_URL, at most STREAM_OPEN_CONCURRENCY
 * opening at once, loopback only. Prints `OPENED {json}` once every stream answered, `ALL {json}`
 * once every stream got one message, and on the line `REPORT` from stdin `ARRIVALS {json}` (the
 * wall-clock arrival time, ms, of the first message on each stream) and exits. Exits when stdin closes.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { createParser } from 'eventsource-parser';

const url = new URL(process.env.STREAM_URL ?? '');
if (url.hostname !== '127.0.0.1') throw new Error(`stream clients: loopback only, not ${url.hostname}`);
const visitors = JSON.parse(readFileSync(process.env.STREAM_VISITORS ?? '', 'utf8')) as Array<[string, string]>;
const openConcurrency = Number(process.env.STREAM_OPEN_CONCURRENCY ?? 100);

const arrivals = new Array<number>(visitors.length).fill(0);
const requests: http.ClientRequest[] = [];
let received = 0;
let failed = 0;
const now = () => performance.timeOrigin + performance.now();

function open(index: number, token: string, cursor: string): Promise<void> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: url.hostname, port: url.port, path: `${url.pathname}?after=${cursor}`, agent: false, headers: { 'chat-token': token, accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          failed += 1;
          response.resume();
          resolve();
          return;
        }
        const parser = createParser({
          onEvent: (event) => {
            if (event.event !== 'message' || arrivals[index]) return;
            arrivals[index] = now();
            received += 1;
            if (received === visitors.length) console.log(`ALL ${JSON.stringify({ received })}`);
          },
        });
        response.setEncoding('utf8').on('data', (chunk: string) => parser.feed(chunk));
        response.on('error', () => undefined);
        resolve();
      },
    );
    request.on('error', () => {
      failed += 1;
      resolve();
    });
    requests.push(request);
  });
}

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: openConcurrency }, async () => {
    while (next < visitors.length) {
      const index = next++;
      const [token, cursor] = visitors[index] as [string, string];
      await open(index, token, cursor);
    }
  }),
);
console.log(`OPENED ${JSON.stringify({ ok: visitors.length - failed, failed, ms: Math.round(performance.now() - started) })}`);

createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (line.trim() !== 'REPORT') return;
    console.log(`ARRIVALS ${JSON.stringify(arrivals)}`);
    for (const request of requests) request.destroy();
    process.exit(0);
  })
  .on('close', () => process.exit(0));
