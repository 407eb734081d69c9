/**
 * Login, logout and the guard in front of every other admin route. CSRF tokens (csrf-sync, the
 * synchroniser-token pattern: the token lives in the session) protect every form, the login form
 * included; logging in starts a new session so an id planted before login is worthless.
 */
import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../core/ports.js';
import { verifyAdminLogin } from './admin-users.js';
import type { LoginLimiter } from './login-limiter.js';
import { renderPage } from './render.js';
import { SESSION_COOKIE } from './session.js';

export interface AdminAuthDeps {
  orm: MikroORM;
  limiter: LoginLimiter;
  logger: Logger;
}

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : (req.get('x-csrf-token') ?? undefined)),
});

/** Checks the CSRF token of every request that is not GET, HEAD or OPTIONS. */
export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Adds `req.csrfToken()` for the pages (csrf-sync adds it only with its protection middleware). */
export const csrfTokenHelper: RequestHandler = (req, _res, next) => {
  req.csrfToken ??= (overwrite?: boolean) => generateToken(req, overwrite);
  next();
};

/** Only a path inside the panel may be a redirect target after login. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[A-Za-z0-9/_\-.?=&%]*)?$/.test(value) && !value.startsWith('//') ? value : '/admin/';
}

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** The login and logout routes. */
export function createAuthRouter(deps: AdminAuthDeps): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.session.admin) return void res.redirect(303, '/admin/');
    renderPage(req, res, 'login', { next: safeNext(req.query.next), error: null, username: '' });
  });

  router.post('/login', async (req, res) => {
    const username = typeof req.body?.username === 'string' ? req.body.username.trim() : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const next = safeNext(req.body?.next);
    const address = clientAddress(req);
    const waitMs = await deps.limiter.blockedFor(address, username);
    if (waitMs > 0) {
      deps.logger.warn({ username, address }, 'admin login refused: too many failed attempts');
      res.set('Retry-After', String(Math.ceil(waitMs / 1000)));
      return renderPage(req, res, 'login', { next, username, error: `Too many failed attempts. Try again in ${Math.ceil(waitMs / 60_000)} min.` }, 429);
    }
    const user = username && password ? await verifyAdminLogin(deps.orm.em.fork(), username, password) : null;
    if (!user) {
      await deps.limiter.failed(address, username);
      deps.logger.warn({ username, address }, 'admin login failed');
      return renderPage(req, res, 'login', { next, username, error: 'Wrong username or password.' }, 401);
    }
    await deps.limiter.succeeded(address, username);
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    req.session.admin = user;
    generateToken(req, true);
    await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
    deps.logger.info({ username }, 'admin logged in');
    res.redirect(303, next);
  });

  router.post('/logout', async (req, res) => {
    const username = req.session.admin?.username;
    await new Promise<void>((resolve, reject) => req.session.destroy((error) => (error ? reject(error) : resolve())));
    res.clearCookie(SESSION_COOKIE, { path: '/admin' });
    deps.logger.info({ username }, 'admin logged out');
    res.redirect(303, '/admin/login');
  });
  return router;
}

/** Lets only logged-in admins through; everyone else is sent to the login form. */
export const requireAdmin: RequestHandler = (req, res, next) => {
  if (req.session.admin) return next();
  const target = req.method === 'GET' || req.method === 'HEAD' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/admin/login${target}`);
};

/** A refused CSRF token is a 403 page; everything else goes on to the app's error handler. */
export const adminErrorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if ((error as { code?: unknown }).code === 'EBADCSRFTOKEN') {
    res.status(403).type('text').send('Invalid or missing CSRF token: reload the page and try again.');
    return;
  }
  next(error);
};
