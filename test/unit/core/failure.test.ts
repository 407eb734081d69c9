/** src/queue/failure.ts: how a failed run continues, decided once for both queue backends. */
import { describe, expect, it } from 'vitest';
import { ConversationBusyError, LlmRequestError, LlmUnreachableError } from '../../../src/core/errors.js';
import { backoffDelay, classifyFailure } from '../../../src/queue/failure.js';

describe('classifyFailure', () => {
  it('postpones a run that found the conversation busy by the delay it asks for', () => {
    expect(classifyFailure(new ConversationBusyError('42', 300))).toEqual({ kind: 'postpone', delayMs: 300 });
  });

  it('pauses the queue for the provider’s advised delay on a 429', () => {
    expect(classifyFailure(new LlmRequestError(429, 7000))).toEqual({ kind: 'rate_limited', delayMs: 7000 });
  });

  it('pauses the queue for a second on a 429 that advises no delay', () => {
    expect(classifyFailure(new LlmRequestError(429))).toEqual({ kind: 'rate_limited', delayMs: 1000 });
  });

  it.each([400, 401, 403, 404])('gives up at once on HTTP %i from the model', (status) => {
    expect(classifyFailure(new LlmRequestError(status))).toEqual({ kind: 'unrecoverable' });
  });

  it.each([500, 503, 504])('retries with backoff on HTTP %i from the model', (status) => {
    expect(classifyFailure(new LlmRequestError(status))).toEqual({ kind: 'retry' });
  });

  it('retries with backoff when the model could not be reached', () => {
    expect(classifyFailure(new LlmUnreachableError('timeout after 30000 ms'))).toEqual({ kind: 'retry' });
  });

  it('retries with backoff on any other error, or on something thrown that is not an error', () => {
    expect([new Error('boom'), 'boom', undefined, null].map(classifyFailure)).toEqual(Array.from({ length: 4 }, () => ({ kind: 'retry' })));
  });

  it('recognises errors that came back from Redis as plain data, by name or code', () => {
    const outcomes = [
      { name: 'LlmRequestError', status: 400 },
      { code: 'llm.rate_limited', status: 429, retryAfterMs: 500 },
      { code: 'core.conversation_busy', retryAfterMs: 100 },
      { name: 'ConversationBusyError' },
    ].map(classifyFailure);

    expect(outcomes).toEqual([
      { kind: 'unrecoverable' },
      { kind: 'rate_limited', delayMs: 500 },
      { kind: 'postpone', delayMs: 100 },
      { kind: 'postpone', delayMs: 250 },
    ]);
  });
});

describe('backoffDelay', () => {
  it('doubles the base delay with each attempt', () => {
    const middle = () => 0.5;

    expect([1, 2, 3, 4].map((attempt) => backoffDelay(1000, attempt, middle))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('spreads the delay from half to one and a half times the nominal one', () => {
    expect(backoffDelay(1000, 2, () => 0)).toBe(1000);
    expect(backoffDelay(1000, 2, () => 0.999_999)).toBe(3000);
  });
});
