/**
 * Admin sessions: express-session with its rows in PostgreSQL (connect-pg-simple, table
 * `admin_session`), so a login survives restarts and is valid on every api process. The cookie is
 * signed, HttpOnly, SameSite=Strict, scoped to /admin, and Secure whenever the request came over
 * HTTPS (directly or through a trusted proxy).
 */
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { Logger } from '../../core/ports.js';

declare module 'express-session' {
  interface SessionData {
    /** Set on login; its absence means "not logged in". */
    admin?: { id: string; username: string };
  }
}

export interface AdminSessionOptions {
  pool: pg.Pool;
  secret: string;
  /** How long a login lasts, hours; the session ends then whatever the activity. */
  maxAgeHours: number;
  logger: Logger;
}

export const SESSION_COOKIE = 'admin.sid';

/** The session middleware and a `close` that stops the store's pruning timer. */
export function createAdminSession(options: AdminSessionOptions): { middleware: RequestHandler; close(): void } {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: options.pool,
    tableName: 'admin_session',
    // The table comes with the migrations; the store must not create one of its own.
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    errorLog: (...args: unknown[]) => options.logger.warn({ detail: args.map(String).join(' ') }, 'admin session store error'),
  });
  const middleware = session({
    store,
    name: SESSION_COOKIE,
    secret: options.secret,
    resave: false,
    // No row for a visitor who never saw a form: the login page's CSRF token creates the session.
    saveUninitialized: false,
    // Absolute lifetime: activity does not extend a login.
    rolling: false,
    proxy: undefined, // follows Express's `trust proxy`
    cookie: { path: '/admin', httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: options.maxAgeHours * 3_600_000 },
  });
  return { middleware, close: () => store.close() };
}
