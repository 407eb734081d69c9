/**
 * The YandexGPT client: implements the core's `LanguageModel` port over the Foundation Models REST
 * API (`POST {baseUrl}/foundationModels/v1/completion`, wire shapes in `./yandex-gpt-wire.ts`).
 */
import { Agent, request } from 'undici';
import { AppError, LlmRequestError, LlmUnreachableError } from '../core/errors.js';
import type { ChatTurn, Completion, CompletionStatus, LanguageModel, Logger } from '../core/ports.js';
import {
  YANDEX_GPT_COMPLETION_PATH,
  YANDEX_GPT_DEFAULT_BASE_URL,
  type YandexGptCompletionRequest,
  type YandexGptCompletionResponse,
  type YandexGptErrorResponse,
} from './yandex-gpt-wire.js';
import { readStructuredReply, STRUCTURED_REPLY_SCHEMA } from './structured-reply.js';

/** Credentials for YandexGPT; at least one must be set. */
export interface YandexGptCredentials {
  /** A service account's API key, sent as `Authorization: Api-Key <key>`. Wins when both are set: it does not expire. */
  apiKey?: string;
  /** An IAM token, sent as `Authorization: Bearer <token>`. It lives at most 12 hours; whoever supplies it must renew it. */
  iamToken?: string;
}

/** Options of {@link createYandexGptModel}. */
export interface YandexGptOptions {
  /**
   * API root, without the method path.
   * @defaultValue `'https://llm.api.cloud.yandex.net'`
   */
  baseUrl?: string;
  /** `Api-Key` or IAM token; construction fails with `llm.not_configured` when neither is set. */
  credentials: YandexGptCredentials;
  /** Yandex Cloud folder id: sent as `x-folder-id` and part of `modelUri` (`gpt://<folderId>/<model>`). Required. */
  folderId: string;
  /**
   * Model path after `gpt://<folderId>/`.
   * @defaultValue `'yandexgpt-lite/latest'`
   */
  model?: string;
  /**
   * Sampling temperature, 0 (deterministic) to 1 (creative).
   * @defaultValue `0.6`
   */
  temperature?: number;
  /**
   * Most tokens one completion may generate; a longer answer ends as `truncated`.
   * @defaultValue `2000`
   */
  maxTokens?: number;
  /**
   * Milliseconds one call may take, reading the whole answer included; then it fails with `LlmUnreachableError`.
   * @defaultValue `30000`
   */
  timeoutMs?: number;
  /**
   * Whether Yandex may keep prompts and answers. Customers' messages are personal data, so by
   * default every request carries `x-data-logging-enabled: false`.
   * @defaultValue `false`
   */
  dataLogging?: boolean;
  /**
   * The HTTP client, a seam for tests.
   * @defaultValue `postWithUndici`: undici's `request` on a keep-alive pool
   */
  post?: HttpPost;
  /**
   * Ask for the structured reply (answer + handoff decision, `./structured-reply.ts`); a plain-text
   * answer is still accepted.
   * @defaultValue `true`
   */
  structuredReplies?: boolean;
  /** Where request and answer shapes are logged at `debug` (counts, statuses, timings; never texts or keys). */
  logger?: Logger;
}

/** Whether credentials for YandexGPT are present; without them the bot answers offline from the knowledge base. */
export function isYandexGptConfigured(credentials: YandexGptCredentials): boolean {
  return Boolean(credentials.apiKey?.trim() || credentials.iamToken?.trim());
}

interface Settings {
  url: string;
  modelUri: string;
  headers: Record<string, string>;
  secret: string;
  temperature: number;
  maxTokens: number;
  structured: boolean;
  timeoutMs: number;
  post: HttpPost;
  logger: Logger | undefined;
}

/**
 * Creates the YandexGPT implementation of `LanguageModel`. One `complete` call is exactly one HTTP
 * request: the client neither retries nor limits concurrency. Both live in the reply queue, which
 * holds the global `LLM_CONCURRENCY` cap, so a job waiting to retry holds no generation slot.
 *
 * `complete` fails with:
 * - `LlmRequestError(status, retryAfterMs, detail)` when the API answers with an error status
 *   (`detail` is the envelope's `message`; `retryAfterMs` comes from `Retry-After`, seconds or an
 *   HTTP date), and `LlmRequestError(502)` when a 200 answer is unusable: not JSON, no alternatives,
 *   or an empty text that is not a content-filter refusal. 502 makes it retryable, like a bad gateway;
 * - `LlmUnreachableError` on a network failure or when `timeoutMs` passes;
 * - the caller's abort reason (an `AbortError` by default) when the caller's `signal` aborts.
 *
 * Alternative statuses: `FINAL` → `final`; `TRUNCATED_FINAL` → `truncated`; `CONTENT_FILTER` →
 * `content_filter`; `PARTIAL` (a streaming state that should not reach a non-streaming call) →
 * `truncated`, as the text is usable but incomplete; `UNSPECIFIED` or any status this client does
 * not know → `final` when the text is non-empty, otherwise the 502 above.
 *
 * @throws AppError `llm.not_configured` when credentials or `folderId` are missing, `llm.invalid_options` for a bad number or URL.
 */
export function createYandexGptModel(options: YandexGptOptions): LanguageModel {
  const settings = resolveSettings(options);
  return { complete: (turns, callOptions) => complete(settings, turns, callOptions?.signal) };
}

function resolveSettings(options: YandexGptOptions): Settings {
  const { apiKey, iamToken } = options.credentials;
  const folderId = options.folderId?.trim();
  if (!isYandexGptConfigured(options.credentials) || !folderId) {
    throw new AppError('llm.not_configured', 'YandexGPT client: an API key or IAM token and a folder id are required');
  }
  const temperature = options.temperature ?? 0.6;
  const maxTokens = options.maxTokens ?? 2000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!(temperature >= 0 && temperature <= 1) || !Number.isInteger(maxTokens) || maxTokens < 1 || !(timeoutMs > 0)) {
    throw new AppError('llm.invalid_options', 'YandexGPT client: temperature must be 0…1, maxTokens and timeoutMs positive');
  }
  const secret = apiKey?.trim() || (iamToken?.trim() ?? '');
  const url = `${(options.baseUrl ?? YANDEX_GPT_DEFAULT_BASE_URL).replace(/\/+$/, '')}${YANDEX_GPT_COMPLETION_PATH}`;
  if (!URL.canParse(url)) throw new AppError('llm.invalid_options', `YandexGPT client: baseUrl is not a URL: ${options.baseUrl}`);
  return {
    url,
    modelUri: `gpt://${folderId}/${options.model ?? 'yandexgpt-lite/latest'}`,
    headers: {
      'content-type': 'application/json',
      authorization: apiKey?.trim() ? `Api-Key ${secret}` : `Bearer ${secret}`,
      'x-folder-id': folderId,
      // Sent either way: the API's own default is to keep data, so "true" only states it.
      'x-data-logging-enabled': String(options.dataLogging ?? false),
    },
    secret,
    temperature,
    maxTokens,
    timeoutMs,
    post: options.post ?? postWithUndici,
    structured: options.structuredReplies ?? true,
    logger: options.logger?.child({ component: 'yandex-gpt' }),
  };
}

async function complete(s: Settings, turns: ChatTurn[], signal?: AbortSignal): Promise<Completion> {
  signal?.throwIfAborted();
  const request: YandexGptCompletionRequest = {
    modelUri: s.modelUri,
    // maxTokens is an int64, which proto3 JSON writes as a string.
    completionOptions: { stream: false, temperature: s.temperature, maxTokens: String(s.maxTokens) },
    messages: turns.map((turn) => ({ role: turn.role, text: turn.text })),
    ...(s.structured ? { jsonSchema: { schema: STRUCTURED_REPLY_SCHEMA } } : {}),
  };
  const started = performance.now();
  s.logger?.debug({ modelUri: s.modelUri, turns: turns.length, chars: countChars(turns) }, 'YandexGPT completion: sending');

  const call = callSignal(s.timeoutMs, signal);
  let response: HttpAnswer;
  try {
    // The timeout and the caller's signal cover reading the body too.
    response = await s.post(s.url, { headers: s.headers, body: JSON.stringify(request), signal: call.signal });
  } catch (error) {
    throw failureOf(error, signal, call.timedOut(), s.timeoutMs);
  } finally {
    call.dispose();
  }
  const elapsedMs = Math.round(performance.now() - started);

  const { body } = response;
  if (response.status < 200 || response.status > 299) {
    const failure = requestErrorOf(response, s.secret);
    s.logger?.debug({ httpStatus: response.status, retryAfterMs: failure.retryAfterMs, elapsedMs }, 'YandexGPT completion: error status');
    throw failure;
  }
  const completion = parseCompletion(body);
  s.logger?.debug(
    { httpStatus: response.status, status: completion.status, chars: completion.text.length, ...completion.usage, elapsedMs },
    'YandexGPT completion: answered',
  );
  return completion;
}

/**
 * The signal of one call: aborts on the caller's abort or after `timeoutMs`. It is not
 * `AbortSignal.any([signal, AbortSignal.timeout(ms)])` on purpose: on Node 20 every such composite
 * stays referenced by a long-lived input signal (a worker's shutdown signal) for good
 * (https://github.com/nodejs/node/issues/54614, /55351). `dispose` lets go of the caller's signal.
 */
function callSignal(timeoutMs: number, caller?: AbortSignal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const onAbort = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}

/** One POST's answer: what the client reads of it. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  body: string;
}

export type HttpPost = (url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<HttpAnswer>;

/**
 * Connections to the API kept open between calls. undici's `request` rather than `fetch`: measured
 * against the loopback fake, about 100–190 µs of CPU per call instead of 450–700 (no WHATWG
 * streams or Response objects), which was a sixth of the reply worker's work per message.
 */
const keepAlive = new Agent({ keepAliveTimeout: 30_000, connections: 64 });

async function postWithUndici(url: string, init: { headers: Record<string, string>; body: string; signal: AbortSignal }): Promise<HttpAnswer> {
  const response = await request(url, { method: 'POST', headers: init.headers, body: init.body, signal: init.signal, dispatcher: keepAlive });
  const retryAfter = response.headers['retry-after'];
  return { status: response.statusCode, retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null), body: await response.body.text() };
}

/** Chooses what a failed request becomes: the caller's abort wins, then our timeout, then "unreachable". */
function failureOf(error: unknown, signal: AbortSignal | undefined, timedOut: boolean, timeoutMs: number): unknown {
  // The caller giving up is not a failure of the model, so it must not look like one to the queue.
  if (signal?.aborted) return signal.reason ?? error;
  if (timedOut) return new LlmUnreachableError(`no answer within ${timeoutMs} ms`, error);
  return new LlmUnreachableError(`request failed: ${describeNetworkError(error)}`, error);
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The socket-level reason (ECONNREFUSED, …) is the error's code, or its cause's (fetch's "fetch failed").
  const withCode = (value: unknown) => (value && typeof value === 'object' && 'code' in value ? String(value.code) : undefined);
  const code = withCode(error) ?? withCode(error.cause);
  return code ? `${error.message} (${code})` : error.message;
}

function requestErrorOf(response: HttpAnswer, secret: string): LlmRequestError {
  const retryAfterMs = parseRetryAfter(response.retryAfter);
  const envelope = tryParseJson(response.body) as Partial<YandexGptErrorResponse> | undefined;
  const message = envelope?.error?.message;
  // An echoed credential must not reach logs through the error message.
  const detail = typeof message === 'string' && message ? message.split(secret).join('***').slice(0, 300) : undefined;
  return new LlmRequestError(response.status, retryAfterMs, detail);
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds or an HTTP date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseCompletion(body: string): Completion {
  const parsed = tryParseJson(body) as Partial<YandexGptCompletionResponse> | undefined;
  if (!parsed || typeof parsed !== 'object') throw malformed('not a JSON object');
  const result = parsed.result;
  const alternative = Array.isArray(result?.alternatives) ? result.alternatives[0] : undefined;
  if (!result || !alternative) throw malformed('no alternatives');
  const text = alternative.message?.text;
  if (typeof text !== 'string') throw malformed('alternative without text');
  const status = statusOf(String(alternative.status), text);
  if (!status) throw malformed(`empty text with status ${String(alternative.status)}`);
  const reply = readStructuredReply(text);
  if (status !== 'content_filter' && !reply.text.trim() && !reply.handoff) throw malformed('structured answer without text');
  return {
    text: reply.text,
    status,
    ...(reply.handoff ? { handoff: reply.handoff } : {}),
    usage: {
      inputTokens: countOf(result.usage?.inputTextTokens),
      outputTokens: countOf(result.usage?.completionTokens),
      totalTokens: countOf(result.usage?.totalTokens),
      modelVersion: typeof result.modelVersion === 'string' ? result.modelVersion : '',
    },
  };
}

/** The port's status for an alternative; undefined when the answer carries nothing usable. */
function statusOf(wire: string, text: string): CompletionStatus | undefined {
  const hasText = text.trim() !== '';
  switch (wire) {
    case 'ALTERNATIVE_STATUS_CONTENT_FILTER':
      return 'content_filter';
    case 'ALTERNATIVE_STATUS_TRUNCATED_FINAL':
    case 'ALTERNATIVE_STATUS_PARTIAL':
      return hasText ? 'truncated' : undefined;
    default:
      // FINAL, UNSPECIFIED and statuses newer than this client: an empty answer would be silence to the customer.
      return hasText ? 'final' : undefined;
  }
}

function malformed(reason: string): LlmRequestError {
  return new LlmRequestError(502, undefined, `answer with HTTP 200 was malformed: ${reason}`);
}

/** Usage counts are int64 strings; a missing or odd one counts 0 rather than failing a good answer. */
function countOf(value: unknown): number {
  const n = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function countChars(turns: ChatTurn[]): number {
  return turns.reduce((sum, turn) => sum + turn.text.length, 0);
}
