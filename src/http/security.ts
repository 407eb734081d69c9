/**
 * Security headers (helmet) and the /metrics token. Pages get a CSP, `nosniff` and a same-origin
 * frame policy; the widget's paths (`/widget.js`, `/widget…`) may be embedded by any site, and
 * every response may be loaded cross-origin (`Cross-Origin-Resource-Policy: cross-origin`):
 * the widget script and the chat API are made to be used from other sites' pages.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

const directives = {
  defaultSrc: ["'self'"],
  // The demo page and Swagger UI run inline scripts and styles.
  scriptSrc: ["'self'", "'unsafe-inline'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
};

/**
 * What a JSON API response needs (OWASP's REST headers): it is never a page, so it may run and
 * embed nothing. Four fixed headers instead of helmet's dozen: the chat API answers thousands of
 * polls a second, and half of each empty poll's bytes were page headers.
 */
const API_HEADERS: Array<[string, string]> = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['X-Content-Type-Options', 'nosniff'],
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
  ['Referrer-Policy', 'no-referrer'],
];

/** helmet for pages, with the widget's paths left embeddable by any site; fixed headers for the JSON API. */
export function securityHeaders(): RequestHandler {
  const base = { crossOriginResourcePolicy: { policy: 'cross-origin' as const }, crossOriginEmbedderPolicy: false } as const;
  const strict = helmet({ ...base, contentSecurityPolicy: { directives }, frameguard: { action: 'sameorigin' } });
  const embeddable = helmet({ ...base, contentSecurityPolicy: { directives: { ...directives, frameAncestors: ['*'] } }, frameguard: false });
  return (req, res, next) => {
    if (!req.path.startsWith('/api/')) return (req.path.startsWith('/widget') ? embeddable : strict)(req, res, next);
    setApiHeaders(res);
    next();
  };
}

/** The JSON API's four headers, for a response under `/api/` (the fast lane sets them itself). */
export function setApiHeaders(res: ServerResponse): void {
  for (const [name, value] of API_HEADERS) res.setHeader(name, value);
}

/** METRICS_TOKEN: `/metrics` answers 401 without `Authorization: Bearer <token>`; unset: open. */
export function requireBearer(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    res.set('WWW-Authenticate', 'Bearer').status(401).json({ error: 'metrics need Authorization: Bearer <METRICS_TOKEN>', code: 'http.unauthorized' });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
