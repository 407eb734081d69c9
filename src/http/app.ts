/**
 * The Express app: CORS, metrics, operations endpoints, Swagger, the routers the composition root
 * hands in (chat API, catalog search, webhooks), then 404 and the error handler, last.
 */
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import cors from 'cors';
import express, { type Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Logger } from '../core/ports.js';
import { createErrorHandler, createErrorResponder, notFound } from './errors.js';
import { withFastLane, type FastRoute } from './fast-lane.js';
import type { AppMetrics } from './metrics.js';
import { requireBearer, securityHeaders } from './security.js';

export interface HttpAppDeps {
  logger: Logger;
  metrics: AppMetrics;
  routers: Router[];
  /** Routes answered before Express, each also served by a router (fast-lane.ts). */
  fastRoutes?: FastRoute[];
  /** Each check answers whether its dependency is reachable (database, queue). */
  readiness: Record<string, () => Promise<boolean>>;
  openApi: object;
  text: (key: string) => string;
  /** Whether an error means the database or Redis is unreachable (answered 503 with Retry-After). */
  isUnavailable?: (error: unknown) => boolean;
}

export interface HttpAppOptions {
  /** `*` or comma-separated origins allowed to call the API from a browser. */
  corsOrigins: string;
  /** Express `trust proxy`: which proxies' X-Forwarded-For to believe. */
  trustProxy: string;
  /** METRICS_TOKEN: when set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** How long /readyz waits for a check before counting it as failing, ms. @defaultValue 800 */
  readyTimeoutMs?: number;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * @openapi
 * /healthz:
 *   get:
 *     summary: Liveness
 *     responses: { 200: { description: The process is up } }
 * /readyz:
 *   get:
 *     summary: Readiness
 *     description: 200 when the database and the queue answer, 503 with the failing checks otherwise.
 *     responses: { 200: { description: Ready }, 503: { description: Not ready } }
 * /metrics:
 *   get:
 *     summary: Prometheus metrics
 *     responses: { 200: { description: Prometheus text format } }
 */
export function createHttpApp(deps: HttpAppDeps, options: HttpAppOptions): RequestListener {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(options.trustProxy));
  app.set('etag', false);
  const origins = options.corsOrigins.trim() === '*' ? '*' : options.corsOrigins.split(',').map((o) => o.trim());
  // Retry-After exposed: the widget on another origin shows how long to wait after a 429.
  const corsHeaders = cors({ origin: origins, allowedHeaders: ['chat-token', 'content-type'], exposedHeaders: ['Retry-After'], maxAge: 600 });
  const respondError = createErrorResponder({ logger: deps.logger, text: deps.text, isUnavailable: deps.isUnavailable });
  app.use(securityHeaders());
  app.use(corsHeaders);
  app.use(deps.metrics.httpMiddleware);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => [name, await withDeadline(check(), options.readyTimeoutMs ?? 800)] as const),
    );
    const failing = results.filter(([, ok]) => !ok).map(([name]) => name);
    res.status(failing.length ? 503 : 200).json({ status: failing.length ? 'unavailable' : 'ok', failing });
  });
  app.get('/metrics', requireBearer(options.metricsToken), async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  app.get('/swagger.json', (_req, res) => {
    res.json(deps.openApi);
  });
  app.use('/swagger', swaggerUi.serve, swaggerUi.setup(deps.openApi));

  for (const router of deps.routers) app.use(router);
  app.use(notFound);
  app.use(createErrorHandler(respondError));
  return withFastLane(app, {
    routes: deps.fastRoutes ?? [],
    cors: corsHeaders,
    trust: app.get('trust proxy fn') as (address: string, hop: number) => boolean,
    metrics: deps.metrics,
    respondError,
  });
}

/** A check's answer, or false once `ms` have passed (a frozen database must not hang /readyz). */
async function withDeadline(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([check.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface RunningServer {
  server: Server;
  /** http://host:port as bound (port 0 resolved). */
  url: string;
  close(drainMs?: number): Promise<void>;
}

/**
 * Listens; `close` stops accepting, ends keep-alive sockets as soon as they are idle (a request
 * still in flight when close began leaves its socket open until then, not for keepAliveTimeout)
 * and waits for requests in flight, at most `drainMs` (then it cuts them).
 */
export async function listen(app: RequestListener, port: number, host: string): Promise<RunningServer> {
  const server = createServer(app);
  server.listen(port, host);
  // `once` rejects on 'error': a taken port becomes a start-up failure, not an uncaught exception.
  await once(server, 'listening');
  server.keepAliveTimeout = 65_000;
  const { port: bound } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${shownHost}:${bound}`,
    close: (drainMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const sweep = setInterval(() => {
          if (Date.now() - started > drainMs) server.closeAllConnections();
          else server.closeIdleConnections();
        }, 50);
        server.close((error) => {
          clearInterval(sweep);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
