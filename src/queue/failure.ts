/**
 * How a failed run of a job continues, decided once for both queue implementations. Errors are
 * matched by `name`/`code` as well as class, because BullMQ hands failures back from Redis as data.
 */
export type FailureOutcome =
  /** Run again after the delay; the attempt does not count (the conversation was busy). */
  | { kind: 'postpone'; delayMs: number }
  /** The provider asked us to slow down: pause the whole queue for the delay, keep the job. */
  | { kind: 'rate_limited'; delayMs: number }
  /** Retrying cannot help (a 4xx other than 429): fail the job now. */
  | { kind: 'unrecoverable' }
  /** A passing failure (5xx, timeout, network): retry with backoff while attempts remain. */
  | { kind: 'retry' };

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  retryAfterMs?: unknown;
}

export function classifyFailure(error: unknown): FailureOutcome {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const delay = typeof e.retryAfterMs === 'number' && e.retryAfterMs > 0 ? e.retryAfterMs : undefined;
  if (e.name === 'ConversationBusyError' || e.code === 'core.conversation_busy') {
    return { kind: 'postpone', delayMs: delay ?? 250 };
  }
  if (e.name === 'LlmRequestError' || e.code === 'llm.rate_limited' || e.code === 'llm.request_failed') {
    const status = typeof e.status === 'number' ? e.status : 0;
    if (status === 429) return { kind: 'rate_limited', delayMs: delay ?? 1000 };
    if (status >= 400 && status < 500) return { kind: 'unrecoverable' };
  }
  return { kind: 'retry' };
}

/** Exponential backoff with ±50% jitter, so retries of many jobs do not arrive together. */
export function backoffDelay(baseMs: number, attempt: number, random: () => number = Math.random): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (0.5 + random()));
}
