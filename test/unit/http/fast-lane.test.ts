/**
 * The fast lane (src/http/fast-lane.ts) answers the chat API's hot paths without Express: every
 * request below goes to two servers built from the same parts, one with the fast lane and one
 * without, and each answer's status, headers and body must be the same. The servers are real
 * (loopback sockets), the rate limits and the reply signal are the in-memory ones of embedded
 * mode, and the core behind the routes is scripted to succeed, find replies, or fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebRoutes } from '../../../channels/web/routes.js';
import { createMemoryReplySignal, createWebRateLimits } from '../../../channels/web/index.js';
import type { StoredMessage } from '../../../src/core/types.js';
import { createHttpApp, listen, type RunningServer } from '../../../src/http/app.js';
import { createMetrics, type AppMetrics } from '../../../src/http/metrics.js';
import { createLogger } from '../../../src/logger.js';

/** A message the scripted core refuses as if PostgreSQL were down (answered 503). */
const UNAVAILABLE = 'database down';
/** A message the scripted core fails on with a bug (answered 500). */
const BROKEN = 'bug here';
/** A token whose poll finds two replies. */
const WITH_REPLIES = 'visitor-with-replies-0001';

class DatabaseDown extends Error {}

interface Lane {
  server: RunningServer;
  /** Requests that went through Express's middleware. */
  viaExpress: number;
  /** Requests the fast lane timed. */
  viaFastLane: number;
  metrics: AppMetrics;
}

async function startLane(fast: boolean): Promise<Lane> {
  const replies: StoredMessage[] = [
    { id: '7', text: 'Здравствуйте! Чем помочь?', author: 'GPT', createdAt: new Date('2026-12-01T10:00:00.000Z') } as StoredMessage,
    { id: '9', text: 'Оператор на связи', author: 'OPERATOR', createdAt: new Date('2026-12-01T10:00:05.250Z') } as StoredMessage,
  ];
  const claimed = new Set<string>();
  let nextId = 100;
  const routes = createWebRoutes(
    {
      async receive(message) {
        if (message.text === UNAVAILABLE) throw new DatabaseDown('connect ECONNREFUSED');
        if (message.text === BROKEN) throw new Error('a bug');
        return { message: { id: String(nextId++) } as StoredMessage, duplicate: false } as never;
      },
      async claimReplies(chatId) {
        if (chatId !== WITH_REPLIES || claimed.has(chatId)) return [];
        claimed.add(chatId);
        return replies;
      },
      signal: createMemoryReplySignal(),
      limits: createWebRateLimits({ messagesPerMinute: 3, addressPerMinute: 6, keyPrefix: 'fast-lane-test' }),
      text: (key) => `text:${key}`,
      logger: createLogger({ level: 'silent' }),
    },
    { maxMessageChars: 50, maxBodyBytes: 300 },
  );
  const metrics = createMetrics();
  const lane = { viaExpress: 0, viaFastLane: 0, metrics } as Lane;
  const counted: AppMetrics = {
    ...metrics,
    httpMiddleware: (req, res, next) => {
      lane.viaExpress++;
      metrics.httpMiddleware(req, res, next);
    },
    timeHttp: (req, res, route) => {
      lane.viaFastLane++;
      metrics.timeHttp(req, res, route);
    },
  };
  const app = createHttpApp(
    {
      logger: createLogger({ level: 'silent' }),
      metrics: counted,
      routers: [routes.router],
      fastRoutes: fast ? routes.fastRoutes : [],
      readiness: {},
      openApi: {},
      text: (key) => `text:${key}`,
      isUnavailable: (error) => error instanceof DatabaseDown,
    },
    { corsOrigins: 'https://shop.example, https://other.example', trustProxy: 'loopback' },
  );
  lane.server = await listen(app, 0, '127.0.0.1');
  return lane;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function ask(lane: Lane, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${lane.server.url}${path}`, init);
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)));
  return { status: res.status, headers, body: await res.text() };
}

const visitor = (n: number) => `visitor-fast-lane-${String(n).padStart(4, '0')}`;
const from = (address: string) => ({ 'x-forwarded-for': address });
const post = (token: string | undefined, body: string, address: string, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...(token ? { 'chat-token': token } : {}), 'content-type': 'application/json', ...from(address), ...extra },
  body,
});

/** [path, request, what the answer must be]: the same list goes to both lanes, in order. */
const REQUESTS: Array<[string, RequestInit, number]> = [
  ['/api/v1/message', { headers: { 'chat-token': visitor(1), ...from('10.0.0.1') } }, 200],
  ['/api/v1/message/?since=now', { headers: { 'chat-token': visitor(1), ...from('10.0.0.1') } }, 200],
  ['/api/v1/message', { headers: { 'chat-token': WITH_REPLIES, ...from('10.0.0.2'), origin: 'https://shop.example' } }, 200],
  ['/api/v1/message', { headers: { 'chat-token': WITH_REPLIES, ...from('10.0.0.2'), origin: 'https://evil.example' } }, 200],
  ['/api/v1/message', { headers: from('10.0.0.3') }, 400],
  ['/api/v1/message', { headers: { 'chat-token': 'short', ...from('10.0.0.3') } }, 400],
  ['/api/v1/gpt', post(visitor(2), JSON.stringify({ message: 'Есть плёнка оракал?' }), '10.0.0.4'), 201],
  ['/api/v1/gpt/', post(visitor(2), JSON.stringify({ message: 'Позовите человека', ask_for_person: true }), '10.0.0.4', { origin: 'https://other.example' }), 201],
  ['/api/v1/gpt', post(visitor(2), JSON.stringify({ message: 'третье' }), '10.0.0.4'), 201],
  ['/api/v1/gpt', post(visitor(2), JSON.stringify({ message: 'четвёртое, сверх лимита' }), '10.0.0.4'), 429],
  ['/api/v1/gpt', post(visitor(3), '{"message": ', '10.0.0.5'), 400],
  ['/api/v1/gpt', post(visitor(3), JSON.stringify({ message: 'x'.repeat(400) }), '10.0.0.5'), 413],
  ['/api/v1/gpt', post(visitor(3), JSON.stringify({ message: 'x'.repeat(60) }), '10.0.0.5'), 400],
  ['/api/v1/gpt', post(visitor(3), '["message"]', '10.0.0.5'), 400],
  ['/api/v1/gpt', post(visitor(3), JSON.stringify({ message: '   ' }), '10.0.0.5'), 400],
  ['/api/v1/gpt', post(undefined, JSON.stringify({ message: 'без токена' }), '10.0.0.6'), 400],
  ['/api/v1/gpt', post(visitor(4), JSON.stringify({ message: UNAVAILABLE }), '10.0.0.7'), 503],
  ['/api/v1/gpt', post(visitor(5), JSON.stringify({ message: BROKEN }), '10.0.0.8'), 500],
  // Six requests a minute per address: the seventh from 10.0.0.9 is refused, another address is not.
  ...Array.from({ length: 6 }, (): [string, RequestInit, number] => ['/api/v1/message', { headers: { 'chat-token': visitor(6), ...from('10.0.0.9') } }, 200]),
  ['/api/v1/message', { headers: { 'chat-token': visitor(6), ...from('10.0.0.9') } }, 429],
  ['/api/v1/gpt', post(visitor(7), JSON.stringify({ message: 'с того же адреса' }), '10.0.0.9'), 429],
  ['/api/v1/message', { headers: { 'chat-token': visitor(6), ...from('10.0.0.10') } }, 200],
  // Not the fast lane's: Express answers these in both servers.
  ['/message', { headers: { 'chat-token': visitor(8), ...from('10.0.0.11') } }, 200],
  ['/API/v1/message', { headers: { 'chat-token': visitor(8), ...from('10.0.0.11') } }, 200],
  ['/api/v1/message', { method: 'HEAD', headers: { 'chat-token': visitor(8), ...from('10.0.0.11') } }, 200],
  ['/api/v1/gpt', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } }, 204],
  ['/api/v1/message', { method: 'DELETE', headers: from('10.0.0.12') }, 404],
];

describe('the fast lane answers as Express does', () => {
  let fast: Lane;
  let slow: Lane;
  const answers: Array<{ request: string; fast: Answer; slow: Answer; expected: number }> = [];

  beforeAll(async () => {
    [fast, slow] = await Promise.all([startLane(true), startLane(false)]);
    for (const [path, init, expected] of REQUESTS) {
      answers.push({ request: `${init.method ?? 'GET'} ${path}`, fast: await ask(fast, path, init), slow: await ask(slow, path, init), expected });
    }
  });
  afterAll(async () => {
    await Promise.all([fast?.server.close(), slow?.server.close()]);
  });

  it('every status, header and body is the same through both lanes, and as expected', () => {
    for (const answer of answers) {
      expect({ request: answer.request, ...answer.fast }).toEqual({ request: answer.request, ...answer.slow });
      expect({ request: answer.request, status: answer.fast.status }).toEqual({ request: answer.request, status: answer.expected });
    }
  });

  it('the answers carry what a client relies on: replies once, CORS, Retry-After, the API headers', () => {
    const polls = answers.filter((a) => a.request === 'GET /api/v1/message' && a.fast.body.includes('Оператор'));
    expect(polls).toHaveLength(1);
    expect(JSON.parse(polls[0]!.fast.body)).toEqual({
      messages: [
        { message: 'Здравствуйте! Чем помочь?', date_create: '2026-12-01T10:00:00.000Z', user: 'GPT' },
        { message: 'Оператор на связи', date_create: '2026-12-01T10:00:05.250Z', user: 'OPERATOR' },
      ],
    });
    expect(polls[0]!.fast.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(polls[0]!.fast.headers['vary']).toBe('Origin');
    expect(polls[0]!.fast.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    const refused = answers.filter((a) => a.fast.status === 429);
    expect(refused).toHaveLength(3);
    for (const answer of refused) expect(Number(answer.fast.headers['retry-after'])).toBeGreaterThan(0);
    expect(answers.find((a) => a.fast.status === 503)?.fast.headers['retry-after']).toBe('5');
  });

  it('the fast lane took the widget’s paths, Express the rest, and both count requests under one route label', async () => {
    const fastPaths = REQUESTS.filter(([path, init]) => path.startsWith('/api/v1/') && ['GET', 'POST', undefined].includes(init.method)).length;
    // A CORS preflight is answered by the cors middleware, before the metrics middleware.
    const timed = REQUESTS.length - REQUESTS.filter(([, init]) => init.method === 'OPTIONS').length;
    expect(fast.viaFastLane).toBe(fastPaths);
    expect(fast.viaExpress).toBe(timed - fastPaths);
    expect(slow.viaFastLane).toBe(0);
    expect(slow.viaExpress).toBe(timed);
    const series = async (lane: Lane) =>
      (await lane.metrics.registry.getSingleMetricAsString('http_request_duration_seconds'))
        .split('\n')
        .filter((line) => line.startsWith('http_request_duration_seconds_count'))
        .sort();
    expect(await series(fast)).toEqual(await series(slow));
    expect((await series(fast)).join('\n')).toContain('route="/api/v1/message",status="429"');
  });
});
