/** Maps errors to HTTP answers: core codes to statuses, body-parser's errors, everything else 500. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, InvalidInputError, RateLimitedError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';

interface HttpErrorShape {
  type?: string;
  status?: number;
  statusCode?: number;
}

export interface ErrorHandlerDeps {
  logger: Logger;
  text: (key: string) => string;
  /** Whether an error means a backing service is unreachable: answered 503 with Retry-After. */
  isUnavailable?: (error: unknown) => boolean;
}

/** Seconds a client is told to wait while the database or Redis is unreachable. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

export function createErrorHandler(deps: ErrorHandlerDeps): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (deps.isUnavailable?.(error)) {
      deps.logger.warn({ err: error, path: req.path }, 'request failed: a backing service is unreachable; answered 503');
      if (res.headersSent) return;
      res.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S));
      res.status(503).json({ error: deps.text('fallback'), code: 'http.unavailable' });
      return;
    }
    if (error instanceof RateLimitedError) {
      res.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      res.status(429).json({ error: deps.text('rate_limited'), code: error.code });
      return;
    }
    if (error instanceof InvalidInputError) {
      deps.logger.debug({ code: error.code, path: req.path }, 'refused input');
      res.status(400).json({ error: error.message, code: error.code });
      return;
    }
    const shaped = (error ?? {}) as HttpErrorShape;
    if (shaped.type === 'entity.too.large') {
      res.status(413).json({ error: 'request body is too large', code: 'http.body_too_large' });
      return;
    }
    if (shaped.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'request body is not valid JSON', code: 'http.invalid_json' });
      return;
    }
    const status = shaped.status ?? shaped.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: error instanceof Error ? error.message : 'bad request', code: 'http.bad_request' });
      return;
    }
    deps.logger.error({ err: error, path: req.path, code: error instanceof AppError ? error.code : undefined }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error', code: 'http.internal' });
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route for ${req.method} ${req.path}`, code: 'http.not_found' });
};
