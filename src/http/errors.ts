/** Maps errors to HTTP answers: core codes to statuses, body-parser's errors, everything else 500. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, InvalidInputError, RateLimitedError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { pathOf, sendJson } from './respond.js';

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

/** Answers `error` on a bare node:http response: the fast lane's routes and Express's error handler share it. */
export type ErrorResponder = (error: unknown, req: IncomingMessage, res: ServerResponse) => void;

export function createErrorResponder(deps: ErrorHandlerDeps): ErrorResponder {
  return (error, req, res) => {
    if (deps.isUnavailable?.(error)) {
      deps.logger.warn({ err: error, path: pathOf(req) }, 'request failed: a backing service is unreachable; answered 503');
      if (res.headersSent) return;
      res.setHeader('Retry-After', String(UNAVAILABLE_RETRY_AFTER_S));
      sendJson(res, 503, { error: deps.text('fallback'), code: 'http.unavailable' });
      return;
    }
    if (res.headersSent) {
      // Nothing can be answered any more; the client sees the connection end.
      deps.logger.error({ err: error, path: pathOf(req) }, 'request failed after its answer began');
      return;
    }
    if (error instanceof RateLimitedError) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      sendJson(res, 429, { error: deps.text('rate_limited'), code: error.code });
      return;
    }
    if (error instanceof InvalidInputError) {
      deps.logger.debug({ code: error.code, path: pathOf(req) }, 'refused input');
      sendJson(res, 400, { error: error.message, code: error.code });
      return;
    }
    const shaped = (error ?? {}) as HttpErrorShape;
    if (shaped.type === 'entity.too.large') {
      sendJson(res, 413, { error: 'request body is too large', code: 'http.body_too_large' });
      return;
    }
    if (shaped.type === 'entity.parse.failed') {
      sendJson(res, 400, { error: 'request body is not valid JSON', code: 'http.invalid_json' });
      return;
    }
    const status = shaped.status ?? shaped.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendJson(res, status, { error: error instanceof Error ? error.message : 'bad request', code: 'http.bad_request' });
      return;
    }
    deps.logger.error({ err: error, path: pathOf(req), code: error instanceof AppError ? error.code : undefined }, 'request failed');
    sendJson(res, 500, { error: 'internal error', code: 'http.internal' });
  };
}

export function createErrorHandler(responder: ErrorResponder): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => responder(error, req, res);
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route for ${req.method} ${req.path}`, code: 'http.not_found' });
};
