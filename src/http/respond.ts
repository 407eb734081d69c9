/**
 * A JSON answer written with node:http alone, byte for byte what Express's `res.status().json()`
 * writes (same Content-Type, Content-Length, no ETag: the app disables it), so a route may answer
 * through Express or through the fast lane (fast-lane.ts) and the client cannot tell which.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

/** The URL's path without its query, as Express's `req.path` gives it. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
