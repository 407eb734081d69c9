/**
 * The chat API's two hot routes (the widget's POST and its every-3-s poll) answered straight from
 * node:http, in front of Express. Express stays the framework of every route, these two included
 * (their aliases, other methods and odd spellings still reach its router); the fast lane is only a
 * shorter way to the same handler for the exact paths the widget calls.
 *
 * Why: on this project's 2-core machine a bare Express 5 app answers about 9,000 requests a second
 * where bare node:http answers 42,000 (`npm run bench`'s HTTP floor); an empty poll, whose own work
 * is one Redis round trip, was capped by Express's router, prototypes and `res.json`.
 *
 * What a request gets here is what Express's stack would give it, from the same pieces: the JSON
 * API's headers (security.ts), the app's CORS middleware, its `trust proxy` setting for the
 * client's address, the request metric under the Express route's label, and the app's error
 * answers. A test sends the same requests through both lanes and compares every status, header
 * and body.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { ErrorResponder } from './errors.js';
import type { AppMetrics } from './metrics.js';
import { pathOf } from './respond.js';
import { setApiHeaders } from './security.js';

export interface FastRoute {
  method: 'GET' | 'POST';
  /** Exact paths, each under `/api/`: the JSON API's headers are the ones set here. */
  paths: string[];
  /** The request metric's route label: the Express route's, so both lanes count as one series. */
  label: string;
  /** Answers the request; a rejection is answered by the app's error responder. */
  handle(req: IncomingMessage, res: ServerResponse, address: string): Promise<void>;
}

/** A connect-style middleware that calls `next` synchronously for a non-OPTIONS request (cors does). */
type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

export interface FastLaneDeps {
  routes: FastRoute[];
  cors: Middleware;
  /** Express's compiled `trust proxy fn`: the client's address as `req.ip` would give it. */
  trust: (address: string, hop: number) => boolean;
  metrics: Pick<AppMetrics, 'timeHttp'>;
  respondError: ErrorResponder;
}

/** `app` behind the fast lane: a request for one of the routes is answered here, any other by `app`. */
export function withFastLane(app: RequestListener, deps: FastLaneDeps): RequestListener {
  const byMethodAndPath = new Map<string, FastRoute>();
  for (const route of deps.routes) {
    for (const path of route.paths) {
      if (!path.startsWith('/api/')) throw new Error(`fast lane path ${path} is not under /api/: it would get the wrong headers`);
      byMethodAndPath.set(`${route.method} ${path}`, route);
    }
  }
  if (byMethodAndPath.size === 0) return app;

  return (req, res) => {
    const route = byMethodAndPath.get(`${req.method} ${pathOf(req)}`);
    if (!route) return app(req, res);
    setApiHeaders(res);
    deps.cors(req, res, (error) => {
      if (error) return deps.respondError(error, req, res);
      deps.metrics.timeHttp(req, res, route.label);
      // Undefined once the socket is gone, whatever the types say: Express's routes use 'unknown' then too.
      const address = (proxyAddr(req, deps.trust) as string | undefined) ?? 'unknown';
      route.handle(req, res, address).catch((failure: unknown) => deps.respondError(failure, req, res));
    });
  };
}
