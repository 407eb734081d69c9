import { getEventListeners } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError, LlmRequestError, LlmUnreachableError } from '../../../src/core/errors.js';
import type { ChatTurn, Logger } from '../../../src/core/ports.js';
import { createYandexGptModel, isYandexGptConfigured, type YandexGptOptions } from '../../../src/llm/yandex-gpt-model.js';
import type { YandexGptAlternativeStatus } from '../../../src/llm/yandex-gpt-wire.js';
import { startFakeYandexGpt, structuredText, type FakeErrorStatus, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { STRUCTURED_REPLY_SCHEMA } from '../../../src/llm/structured-reply.js';

const API_KEY = 'test-api-key-AQVN0000secret';
const FOLDER = 'b1gtestfolder';
const turns: ChatTurn[] = [
  { role: 'system', text: 'Ты консультант магазина.' },
  { role: 'user', text: 'Есть ли доставка в Казань?' },
];

let fake: FakeYandexGpt;
beforeAll(async () => {
  fake = await startFakeYandexGpt();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

function model(overrides: Partial<YandexGptOptions> = {}) {
  return createYandexGptModel({ baseUrl: fake.url, credentials: { apiKey: API_KEY }, folderId: FOLDER, ...overrides });
}

/** The rejection of a call that must fail; fails the test if it resolves. */
async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a failure, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

describe('YandexGPT client: the request it sends', () => {
  it('posts the turns to the completion method with modelUri, stream off, temperature, maxTokens as a string and the reply schema', async () => {
    await model().complete(turns);

    const [request] = await fake.waitForRequests(1);
    expect(request).toMatchObject({ method: 'POST', path: '/foundationModels/v1/completion' });
    expect(request?.body).toEqual({
      modelUri: `gpt://${FOLDER}/yandexgpt-lite/latest`,
      completionOptions: { stream: false, temperature: 0.6, maxTokens: '2000' },
      messages: turns,
      jsonSchema: { schema: STRUCTURED_REPLY_SCHEMA },
    });
  });

  it('sends no schema when structured replies are off', async () => {
    await model({ structuredReplies: false }).complete(turns);

    const [request] = await fake.waitForRequests(1);
    expect(request?.body).not.toHaveProperty('jsonSchema');
  });

  it('reads a structured reply: the answer as the text, and the model\'s decision that a person should take over', async () => {
    fake.script({ text: structuredText('Счёт подготовит менеджер.', true, 'заказ') });

    const completion = await model().complete(turns);

    expect(completion).toMatchObject({ text: 'Счёт подготовит менеджер.', status: 'final', handoff: { reason: 'заказ' } });
  });

  it('reads a structured reply without a handoff as a plain answer', async () => {
    fake.script({ text: structuredText('Пленка Oracal 641 есть в наличии.') });

    const completion = await model().complete(turns);

    expect(completion.text).toBe('Пленка Oracal 641 есть в наличии.');
    expect(completion).not.toHaveProperty('handoff');
  });

  it('recovers the answer of a structured reply cut at the token limit rather than showing JSON', async () => {
    fake.script({ text: '{"answer": "Пленка Oracal 641 стоит 11 160 ₽ за рул', status: 'ALTERNATIVE_STATUS_TRUNCATED_FINAL' });

    const completion = await model().complete(turns);

    expect(completion).toMatchObject({ text: 'Пленка Oracal 641 стоит 11 160 ₽ за рул', status: 'truncated' });
  });

  it('takes a plain-text answer as it is (an older model ignores the schema)', async () => {
    fake.script({ text: 'Просто текст.' });

    expect((await model().complete(turns)).text).toBe('Просто текст.');
  });

  it('uses the configured model, temperature and token limit', async () => {
    await model({ model: 'yandexgpt/rc', temperature: 0.1, maxTokens: 500 }).complete(turns);

    const [request] = await fake.waitForRequests(1);
    expect(request?.body?.modelUri).toBe(`gpt://${FOLDER}/yandexgpt/rc`);
    expect(request?.body?.completionOptions).toEqual({ stream: false, temperature: 0.1, maxTokens: '500' });
  });

  it('authenticates with the API key, names the folder and opts out of data logging by default', async () => {
    await model().complete(turns);

    const [request] = await fake.waitForRequests(1);
    expect(request?.headers).toMatchObject({
      authorization: `Api-Key ${API_KEY}`,
      'x-folder-id': FOLDER,
      'x-data-logging-enabled': 'false',
      'content-type': 'application/json',
    });
  });

  it('sends an IAM token as a Bearer token and allows data logging when asked to', async () => {
    await model({ credentials: { iamToken: 't1.iam-token' }, dataLogging: true }).complete(turns);

    const [request] = await fake.waitForRequests(1);
    expect(request?.headers.authorization).toBe('Bearer t1.iam-token');
    expect(request?.headers['x-data-logging-enabled']).toBe('true');
  });

  it('logs shapes at debug but never the texts or the key', async () => {
    const logged: unknown[] = [];
    const record = (fields: object, message?: string) => void logged.push(fields, message);
    const logger: Logger = { debug: record, info: record, warn: record, error: record, child: () => logger };

    await model({ logger }).complete(turns);

    const text = JSON.stringify(logged);
    expect(logged.length).toBeGreaterThan(0);
    expect(text).not.toContain('Казань');
    expect(text).not.toContain(API_KEY);
  });
});

describe('YandexGPT client: answers', () => {
  it('returns the text, the usage counts as numbers and the model version of a final answer', async () => {
    fake.script({
      text: 'Да, доставляем.',
      usage: { inputTextTokens: '42', completionTokens: '7', totalTokens: '49' },
      modelVersion: '07.03.2025',
    });

    const completion = await model().complete(turns);

    expect(completion).toEqual({
      text: 'Да, доставляем.',
      status: 'final',
      usage: { inputTokens: 42, outputTokens: 7, totalTokens: 49, modelVersion: '07.03.2025' },
    });
  });

  it.each<[YandexGptAlternativeStatus, string]>([
    ['ALTERNATIVE_STATUS_FINAL', 'final'],
    ['ALTERNATIVE_STATUS_TRUNCATED_FINAL', 'truncated'],
    ['ALTERNATIVE_STATUS_CONTENT_FILTER', 'content_filter'],
    ['ALTERNATIVE_STATUS_PARTIAL', 'truncated'],
    ['ALTERNATIVE_STATUS_UNSPECIFIED', 'final'],
    ['ALTERNATIVE_STATUS_TOOL_CALLS', 'final'],
  ])('an alternative with %s ends as %s', async (wireStatus, expected) => {
    fake.script({ text: 'Какой-то ответ', status: wireStatus });

    const completion = await model().complete(turns);

    expect(completion.status).toBe(expected);
  });

  it('accepts a content-filter refusal with an empty text', async () => {
    fake.script({ text: '', status: 'ALTERNATIVE_STATUS_CONTENT_FILTER' });

    const completion = await model().complete(turns);

    expect(completion).toMatchObject({ text: '', status: 'content_filter' });
  });

  it('still answers when the reply is slow but within the timeout', async () => {
    fake.script({ delayMs: 150, then: { text: 'Не спеша' } });

    const completion = await model({ timeoutMs: 5000 }).complete(turns);

    expect(completion.text).toBe('Не спеша');
  });
});

describe('YandexGPT client: error statuses', () => {
  it('turns a 429 with Retry-After seconds into a retryable rate-limit error with the delay', async () => {
    fake.script({ error: 429, retryAfterSeconds: 7 });

    const error = await failureOf(model().complete(turns));

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 7000, retryable: true, code: 'llm.rate_limited' });
    expect((error as Error).message).toContain('quota limit exceed');
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    fake.script({ error: 429, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } });

    const error = (await failureOf(model().complete(turns))) as LlmRequestError;

    expect(error.retryAfterMs).toBeGreaterThan(27_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('leaves the delay unset when a 429 carries no Retry-After', async () => {
    fake.script({ error: 429 });

    const error = await failureOf(model().complete(turns));

    expect(error).toMatchObject({ status: 429, retryAfterMs: undefined });
  });

  it.each<FakeErrorStatus>([500, 503, 504])('a %i is a retryable request error', async (status) => {
    fake.script({ error: status });

    const error = await failureOf(model().complete(turns));

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ status, retryable: true, code: 'llm.request_failed' });
  });

  it.each<FakeErrorStatus>([400, 401, 403])('a %i is a request error that is not retried', async (status) => {
    fake.script({ error: status });

    const error = await failureOf(model().complete(turns));

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ status, retryable: false });
  });

  it('keeps a credential the API echoes out of the error message', async () => {
    fake.script({ error: 401, message: `Unknown api key '${API_KEY}'` });

    const error = (await failureOf(model().complete(turns))) as Error;

    expect(error.message).toContain('Unknown api key');
    expect(error.message).not.toContain(API_KEY);
  });

  it('reports an error page without an envelope by its status alone', async () => {
    fake.script({ raw: '<html>502 Bad Gateway</html>', httpStatus: 502 });

    const error = await failureOf(model().complete(turns));

    expect(error).toMatchObject({ status: 502, retryable: true, message: 'YandexGPT completion: HTTP 502' });
  });

  it.each([
    ['a body that is not JSON', '{"result": {"alternat'],
    ['an answer without alternatives', '{"result": {"alternatives": [], "usage": {}, "modelVersion": "1"}}'],
    ['an empty final text', '{"result": {"alternatives": [{"message": {"role": "assistant", "text": " "}, "status": "ALTERNATIVE_STATUS_FINAL"}]}}'],
  ])('a 200 with %s is a retryable 502', async (_case, raw) => {
    fake.script({ raw });

    const error = await failureOf(model().complete(turns));

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error).toMatchObject({ status: 502, retryable: true });
    expect((error as Error).message).toContain('malformed');
  });
});

describe('YandexGPT client: no answer', () => {
  it('fails as unreachable when no answer comes within the timeout', async () => {
    fake.script({ hang: true });

    const error = await failureOf(model({ timeoutMs: 200 }).complete(turns));

    expect(error).toBeInstanceOf(LlmUnreachableError);
    expect((error as Error).message).toContain('within 200 ms');
  });

  it('counts the fake’s global delay against the timeout', async () => {
    fake.setDelay(1000);

    const error = await failureOf(model({ timeoutMs: 100 }).complete(turns));

    expect(error).toBeInstanceOf(LlmUnreachableError);
  });

  it('fails as unreachable when the connection is refused', async () => {
    const url = await urlOfClosedPort();

    const error = await failureOf(model({ baseUrl: url }).complete(turns));

    expect(error).toBeInstanceOf(LlmUnreachableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('fails as unreachable when the connection drops mid-request', async () => {
    fake.script({ dropConnection: true });

    const error = await failureOf(model().complete(turns));

    expect(error).toBeInstanceOf(LlmUnreachableError);
  });

  it('rethrows the caller’s abort, not a timeout, when the caller gives up', async () => {
    fake.script({ hang: true });
    const controller = new AbortController();
    const pending = failureOf(model().complete(turns, { signal: controller.signal }));
    await fake.waitForRequests(1);

    controller.abort();

    const error = await pending;
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(error).not.toBeInstanceOf(LlmUnreachableError);
  });

  it('sends nothing when the caller’s signal is already aborted', async () => {
    const error = await failureOf(model().complete(turns, { signal: AbortSignal.abort() }));

    expect(error).toMatchObject({ name: 'AbortError' });
    expect(fake.requests).toHaveLength(0);
  });

  it('lets go of the caller’s long-lived signal once the call ends', async () => {
    const shutdown = new AbortController();

    await model().complete(turns, { signal: shutdown.signal });
    fake.script({ error: 500 });
    await failureOf(model().complete(turns, { signal: shutdown.signal }));

    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('ends a hanging request when the fake closes', async () => {
    const own = await startFakeYandexGpt();
    own.script({ hang: true });
    const pending = failureOf(model({ baseUrl: own.url }).complete(turns));
    await own.waitForRequests(1);

    await own.close();

    expect(await pending).toBeInstanceOf(LlmUnreachableError);
  });
});

describe('YandexGPT client: configuration', () => {
  it('refuses to start without credentials or a folder', () => {
    expect(() => model({ credentials: {} })).toThrow(AppError);
    expect(() => model({ folderId: ' ' })).toThrow(/folder id/);
    expect(() => model({ baseUrl: 'not a url' })).toThrow(/baseUrl/);
  });

  it('counts either an API key or an IAM token as configured', () => {
    expect(isYandexGptConfigured({ apiKey: 'k' })).toBe(true);
    expect(isYandexGptConfigured({ iamToken: 't' })).toBe(true);
    expect(isYandexGptConfigured({ apiKey: ' ' })).toBe(false);
  });
});

describe('fake YandexGPT: validation like the real API', () => {
  const valid = { modelUri: `gpt://${FOLDER}/yandexgpt-lite/latest`, messages: [{ role: 'user', text: 'Привет' }] };
  const post = (body: unknown, headers: Record<string, string> = { authorization: 'Api-Key k' }) =>
    fetch(`${fake.url}/foundationModels/v1/completion`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('answers 401 with the error envelope when Authorization is missing', async () => {
    const response = await post(valid, {});

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { grpcCode: 16, httpCode: 401, httpStatus: 'Unauthorized' } });
  });

  it.each([
    ['modelUri is missing', { messages: valid.messages }],
    ['messages are missing', { modelUri: valid.modelUri }],
    ['maxTokens is a number', { ...valid, completionOptions: { stream: false, maxTokens: 100 } }],
  ])('answers 400 when %s', async (_case, body) => {
    const response = await post(body);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { grpcCode: 3, httpCode: 400, httpStatus: 'Bad Request' } });
  });

  it('echoes the last user message by default', async () => {
    const response = await post(valid);

    expect(await response.json()).toMatchObject({
      result: { alternatives: [{ message: { role: 'assistant', text: 'Ответ: Привет' }, status: 'ALTERNATIVE_STATUS_FINAL' }] },
    });
  });
});

/** A loopback URL nobody listens on: bind port 0, note it, let it go. */
async function urlOfClosedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
