/**
 * The admin panel at /admin: an Express router the composition root mounts. Order matters:
 * security headers, the session, the body parser and CSRF check, then the login form and its
 * stylesheet (the only things that answer without a session), then the guard, then every page,
 * the JSON and CSV they offer, their scripts and the queue dashboard.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Clock, CoreDeps, Logger } from '../../core/ports.js';
import { createAnalyticsRoutes } from './analytics-routes.js';
import { adminErrorHandler, createAuthRouter, csrfProtection, csrfTokenHelper, requireAdmin } from './auth.js';
import { createConversationRoutes } from './conversation-routes.js';
import { createOperatorRoutes } from './operator-routes.js';
import { createLoginLimiter, type LoginLimiterOptions } from './login-limiter.js';
import { createQueueRoutes, type BullQueuesSource } from './queue-routes.js';
import { setAdminHeaders } from './render.js';
import { createAdminSession } from './session.js';
import { createStatusRoutes, type StatusSources } from './status-routes.js';

export { createAdminUser, AdminUserError } from './admin-users.js';
export { resolveSessionSecret } from './session-secret.js';
export type { BotStatus, StatusSources, WatchedQueue } from './status-routes.js';
export type { BullQueuesSource } from './queue-routes.js';
export { createBotStatus, type BotProbe } from './bot-status.js';

export interface AdminPanelDeps {
  orm: MikroORM;
  /** The core, for the use cases the panel runs (approve and disable operators). */
  core: CoreDeps;
  /** Where sessions are kept (table admin_session). */
  pool: pg.Pool;
  logger: Logger;
  clock: Clock;
  /** Shared login-attempt counters; unset: counted in this process. */
  redis?: Redis;
  status: StatusSources;
  /** The BullMQ queues for bull-board; unset: the in-process counts page. */
  bull?: BullQueuesSource;
}

export interface AdminPanelOptions {
  /** Signs the session cookie (SESSION_SECRET or the one kept in DATA_DIR). */
  sessionSecret: string;
  /** How long a login lasts, hours. */
  sessionHours: number;
  /** Prefix of the Redis keys of the login limiter. */
  keyPrefix: string;
  /** Price of 1,000 model tokens, for the estimated cost on the Analytics page. */
  pricePer1000Tokens: number;
  currency: string;
  /** Login-attempt limits; defaults: 5 per name and address, 20 per address, in 15 minutes. */
  loginLimits?: Omit<LoginLimiterOptions, 'redis' | 'keyPrefix'>;
}

export interface AdminPanel {
  router: Router;
  /** Stops the session store's pruning and closes bull-board's queue connections. */
  close(): Promise<void>;
}

const assets = fileURLToPath(new URL('./assets', import.meta.url));
const chartJs = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

export function createAdminPanel(deps: AdminPanelDeps, options: AdminPanelOptions): AdminPanel {
  const session = createAdminSession({ pool: deps.pool, secret: options.sessionSecret, maxAgeHours: options.sessionHours, logger: deps.logger });
  const limiter = createLoginLimiter({ ...options.loginLimits, redis: deps.redis, keyPrefix: options.keyPrefix });
  const queues = createQueueRoutes({ queues: deps.status.queues, bull: deps.bull });

  const admin = Router();
  admin.use((_req, res, next) => {
    setAdminHeaders(res);
    next();
  });
  admin.use(session.middleware);
  admin.use(express.urlencoded({ extended: false, limit: '16kb' }));
  admin.use(csrfTokenHelper);
  admin.use(csrfProtection);
  admin.get('/assets/admin.css', (_req, res) => res.sendFile(join(assets, 'admin.css')));
  admin.use(createAuthRouter({ orm: deps.orm, limiter, logger: deps.logger }));

  admin.use(requireAdmin);
  admin.get('/', (_req, res) => res.redirect(303, '/admin/conversations'));
  admin.get('/assets/chart.umd.min.js', (_req, res) => res.sendFile(chartJs));
  admin.get('/assets/analytics.js', (_req, res) => res.sendFile(join(assets, 'analytics.js')));
  admin.use(createConversationRoutes({ orm: deps.orm }));
  admin.use(createAnalyticsRoutes({ orm: deps.orm, clock: deps.clock }, { pricePer1000Tokens: options.pricePer1000Tokens, currency: options.currency }));
  admin.use(createOperatorRoutes({ orm: deps.orm, core: deps.core }));
  admin.use(createStatusRoutes({ orm: deps.orm, sources: deps.status }));
  admin.use(queues.router);
  admin.use(adminErrorHandler);

  const router = Router();
  router.use('/admin', admin);
  return {
    router,
    async close() {
      session.close();
      await queues.close();
    },
  };
}
