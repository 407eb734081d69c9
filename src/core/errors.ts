/**
 * The one error base of the project: a stable `code` callers and the HTTP layer branch on, the
 * original failure kept as `cause`. Core errors carry no HTTP status; `src/http` maps codes.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that breaks the rules of the public surface: answered with a 4xx, changes nothing. */
export class InvalidInputError extends AppError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** The caller sends too fast; `retryAfterMs` tells when it may try again. */
export class RateLimitedError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(code, message);
  }
}

/** The language model answered with an error status (4xx/5xx). */
export class LlmRequestError extends AppError {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
    detail?: string,
    cause?: unknown,
  ) {
    super(
      status === 429 ? 'llm.rate_limited' : 'llm.request_failed',
      `YandexGPT completion: HTTP ${status}${detail ? `: ${detail}` : ''}`,
      { cause },
    );
  }

  /** 429 and 5xx pass with time; other 4xx (bad request, auth) never do. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The language model could not be reached or did not answer in time (network error, timeout). */
export class LlmUnreachableError extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('llm.unreachable', `YandexGPT completion: ${detail}`, { cause });
  }
}

/** Where an error says "try again later" (429), how long to wait; undefined when it does not say. */
export function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof LlmRequestError && error.status === 429) return error.retryAfterMs ?? 1000;
  return undefined;
}

/**
 * Another run holds the conversation's reply lease: this job must wait its turn without using up
 * an attempt. The queue edge postpones the job by `retryAfterMs`.
 */
export class ConversationBusyError extends AppError {
  constructor(
    conversationId: string,
    readonly retryAfterMs: number,
  ) {
    super('core.conversation_busy', `answer conversation ${conversationId}: another run holds the lease`);
  }
}
