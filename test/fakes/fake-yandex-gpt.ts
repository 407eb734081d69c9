/**
 * A loopback stand-in for the YandexGPT Foundation Models REST API. It speaks the real wire format
 * (`src/llm/yandex-gpt-wire.ts`), validates requests the way the API does where it matters, records
 * every request, and plays scripted behaviours: answers with any status, error envelopes (429 with
 * `Retry-After`, 5xx, 4xx), slow answers, hangs, malformed bodies and dropped connections.
 */
import { createServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  YANDEX_GPT_COMPLETION_PATH,
  type YandexGptAlternativeStatus,
  type YandexGptCompletionRequest,
  type YandexGptCompletionResponse,
  type YandexGptErrorResponse,
  type YandexGptUsage,
} from '../../src/llm/yandex-gpt-wire.js';

/** Error statuses the fake can answer with; each gets the envelope and gRPC code the real API uses. */
export type FakeErrorStatus = 400 | 401 | 403 | 404 | 429 | 500 | 503 | 504;

/** What the fake does with one valid request. */
export type FakeYandexGptBehaviour =
  /** 200 with one alternative; `status` defaults to `ALTERNATIVE_STATUS_FINAL`, usage is estimated unless given. */
  | { text: string; status?: YandexGptAlternativeStatus; usage?: Partial<YandexGptUsage>; modelVersion?: string }
  /**
   * An error envelope; `retryAfterSeconds` adds a `Retry-After` header, `headers` any other (or an
   * HTTP-date `retry-after`); `message` replaces the default one.
   */
  | { error: FakeErrorStatus; retryAfterSeconds?: number; headers?: Record<string, string>; message?: string }
  /** Waits `delayMs` milliseconds, then behaves as `then`. */
  | { delayMs: number; then: FakeYandexGptBehaviour }
  /** Never answers; `close()` ends the request. */
  | { hang: true }
  /** Sends `raw` as the body verbatim (malformed answers, a proxy's HTML page); `httpStatus` defaults to 200. */
  | { raw: string; httpStatus?: number }
  /** Destroys the socket without answering, like a connection reset. */
  | { dropConnection: true };

/** One request as the fake received it. */
export interface RecordedYandexGptRequest {
  method: string;
  path: string;
  /** Node's lower-cased headers, e.g. `headers['x-data-logging-enabled']`. */
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed body; undefined when the request failed validation (it was answered 4xx). */
  body: YandexGptCompletionRequest | undefined;
  at: Date;
}

/** Chooses the behaviour for a valid request when no scripted behaviour is queued. */
export type FakeYandexGptResponder = (
  body: YandexGptCompletionRequest,
  request: RecordedYandexGptRequest,
) => FakeYandexGptBehaviour | Promise<FakeYandexGptBehaviour>;

export interface FakeYandexGpt {
  /** Base URL to pass as `baseUrl` / `YANDEX_GPT_BASE_URL`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received, oldest first, invalid ones included. */
  readonly requests: RecordedYandexGptRequest[];
  /** Queues behaviours, consumed one per valid request before the responder is asked. */
  script(...behaviours: FakeYandexGptBehaviour[]): void;
  /** Replaces the default responder (which answers `Ответ: <last user text>` with FINAL). */
  setResponder(responder: FakeYandexGptResponder): void;
  /** Milliseconds to wait before every answer, on top of any `delayMs` behaviour; 0 by default. */
  setDelay(ms: number): void;
  /** Resolves with all requests once at least `count` have arrived; rejects after `timeoutMs` (default 5000). */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedYandexGptRequest[]>;
  /** Forgets recorded requests, the script, the responder and the delay. */
  reset(): void;
  /** Stops listening and ends every open request, hanging and delayed ones included. */
  close(): Promise<void>;
}

const GRPC_CODES: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 429: 8, 500: 13, 503: 14, 504: 4 };

const DEFAULT_MESSAGES: Record<FakeErrorStatus, string> = {
  400: 'Invalid request',
  401: 'The API key or IAM token is invalid',
  403: 'Permission denied',
  404: 'Not Found',
  429: 'ai.textGenerationCompletionSessionsCount.count gauge quota limit exceed: allowed 10 requests',
  500: 'Internal error',
  503: 'Service is unavailable',
  504: 'Deadline exceeded',
};

/** The default responder: echoes the last user message, so tests can tell answers apart. */
export const echoResponder: FakeYandexGptResponder = (body) => {
  const lastUser = [...body.messages].reverse().find((message) => message.role === 'user');
  return { text: `Ответ: ${lastUser?.text ?? ''}` };
};

/** The text of a structured reply (an answer plus the handoff decision), as the model writes it when asked with `jsonSchema`. */
export function structuredText(answer: string, handoff = false, reason = ''): string {
  return JSON.stringify({ answer, handoff, ...(handoff ? { reason } : {}) });
}

/** Starts the fake on 127.0.0.1 with an OS-assigned port. */
export async function startFakeYandexGpt(): Promise<FakeYandexGpt> {
  const requests: RecordedYandexGptRequest[] = [];
  const queue: FakeYandexGptBehaviour[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let responder = echoResponder;
  let delayMs = 0;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function play(behaviour: FakeYandexGptBehaviour, req: IncomingMessage, res: ServerResponse, body: YandexGptCompletionRequest) {
    if ('delayMs' in behaviour) {
      await sleep(behaviour.delayMs);
      return play(behaviour.then, req, res, body);
    }
    // The client may have given up (timeout, abort) while we waited; there is nobody to answer.
    if (closed || res.destroyed) return;
    if ('hang' in behaviour) return;
    if ('dropConnection' in behaviour) return void req.socket.destroy();
    if ('raw' in behaviour) return void res.writeHead(behaviour.httpStatus ?? 200, { 'content-type': 'application/json' }).end(behaviour.raw);
    if ('error' in behaviour) {
      const headers: Record<string, string> = { ...behaviour.headers };
      if (behaviour.retryAfterSeconds !== undefined) headers['retry-after'] = String(behaviour.retryAfterSeconds);
      return sendError(res, behaviour.error, behaviour.message, headers);
    }
    sendJson(res, 200, completionOf(behaviour, body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const rawBody = await readBody(req);
    const checked = validate(req, rawBody);
    const recorded: RecordedYandexGptRequest = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      headers: req.headers,
      rawBody,
      body: 'body' in checked ? checked.body : undefined,
      at: new Date(),
    };
    requests.push(recorded);
    for (const waiter of [...waiters]) waiter();
    if (!('body' in checked)) return sendError(res, checked.status, checked.message);

    const behaviour = queue.shift() ?? (await responder(checked.body, recorded));
    if (delayMs > 0) await sleep(delayMs);
    await play(behaviour, req, res, checked.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A throwing responder is a bug in the test; answer 500 so it shows up as a failure there.
      if (!res.headersSent && !res.destroyed) sendError(res, 500, `fake responder failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...behaviours) => void queue.push(...behaviours),
    setResponder: (next) => void (responder = next),
    setDelay: (ms) => void (delayMs = ms),
    waitForRequests: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve([...requests]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake YandexGPT: ${requests.length} of ${count} requests arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      responder = echoResponder;
      delayMs = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // close() alone waits for open requests; a hanging one would never end.
      server.closeAllConnections();
      await stopped;
    },
  };
}

type Checked = { body: YandexGptCompletionRequest } | { status: FakeErrorStatus; message: string };

/** The checks the real API makes that a client could get wrong; stricter than it in one place (maxTokens). */
function validate(req: IncomingMessage, rawBody: string): Checked {
  const path = new URL(req.url ?? '/', 'http://fake').pathname;
  if (req.method !== 'POST' || path !== YANDEX_GPT_COMPLETION_PATH) return { status: 404, message: `Not Found: ${req.method} ${path}` };
  if (!/^(Api-Key|Bearer) \S+$/.test(req.headers.authorization ?? '')) {
    return { status: 401, message: 'Authorization header is missing or malformed: expected "Api-Key <key>" or "Bearer <token>"' };
  }
  let body: Partial<YandexGptCompletionRequest>;
  try {
    body = JSON.parse(rawBody) as Partial<YandexGptCompletionRequest>;
  } catch {
    return { status: 400, message: 'Request body is not valid JSON' };
  }
  if (typeof body?.modelUri !== 'string' || !/^gpt:\/\/[^/]+\/.+/.test(body.modelUri)) {
    return { status: 400, message: 'modelUri: required, in the form gpt://<folder_id>/<model>' };
  }
  const messages: unknown = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return { status: 400, message: 'messages: at least one message is required' };
  for (const message of messages as Array<{ role?: unknown; text?: unknown }>) {
    if (!['system', 'user', 'assistant'].includes(String(message?.role)) || typeof message?.text !== 'string') {
      return { status: 400, message: 'messages: each message needs a role (system, user, assistant) and a text' };
    }
  }
  if (body.jsonSchema !== undefined && body.jsonObject !== undefined) {
    return { status: 400, message: 'only one of jsonSchema, jsonObject may be set' };
  }
  if (body.jsonSchema !== undefined && (typeof body.jsonSchema !== 'object' || body.jsonSchema === null || typeof body.jsonSchema.schema !== 'object')) {
    return { status: 400, message: 'jsonSchema.schema: must be a JSON object' };
  }
  const options = body.completionOptions as { maxTokens?: unknown; temperature?: unknown } | undefined;
  // proto3 JSON writes int64 as a string; the real API also takes a number, but we hold the client to the canonical form.
  if (options?.maxTokens !== undefined && (typeof options.maxTokens !== 'string' || !/^\d+$/.test(options.maxTokens))) {
    return { status: 400, message: 'completionOptions.maxTokens: must be an int64 decimal string' };
  }
  if (options?.temperature !== undefined && (typeof options.temperature !== 'number' || options.temperature < 0 || options.temperature > 1)) {
    return { status: 400, message: 'completionOptions.temperature: must be a number from 0 to 1' };
  }
  return { body: body as YandexGptCompletionRequest };
}

function completionOf(
  answer: Extract<FakeYandexGptBehaviour, { text: string }>,
  body: YandexGptCompletionRequest,
): YandexGptCompletionResponse {
  // Roughly four characters a token: plausible numbers, rendered as strings like the real int64s.
  const input = Math.ceil(body.messages.reduce((sum, message) => sum + message.text.length, 0) / 4);
  const output = Math.ceil(answer.text.length / 4);
  return {
    result: {
      alternatives: [{ message: { role: 'assistant', text: answer.text }, status: answer.status ?? 'ALTERNATIVE_STATUS_FINAL' }],
      usage: {
        inputTextTokens: String(input),
        completionTokens: String(output),
        totalTokens: String(input + output),
        ...answer.usage,
      },
      modelVersion: answer.modelVersion ?? '23.10.2024',
    },
  };
}

function sendError(res: ServerResponse, status: FakeErrorStatus, message?: string, headers: Record<string, string> = {}): void {
  const envelope: YandexGptErrorResponse = {
    error: {
      grpcCode: GRPC_CODES[status] ?? 2,
      httpCode: status,
      message: message ?? DEFAULT_MESSAGES[status],
      httpStatus: STATUS_CODES[status] ?? 'Unknown',
      details: [],
    },
  };
  sendJson(res, status, envelope, headers);
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
