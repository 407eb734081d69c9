/**
 * The HTTP floor: what this machine answers for an empty poll's response with nothing behind it,
 * once on bare node:http and once on a bare Express 5 app (one route, `res.json`), on as many
 * processes as `start:api` runs (node:cluster, one per core). The bench runs wrk's poll script
 * against both, so the chat API's poll rate can be read against the transport's own ceiling.
 *
 *   tsx bench/http-floor.ts node|express PORT [PROCESSES]
 * Prints `HTTP_FLOOR_READY` once every process listens; ends when its stdin closes.
 */
import cluster from 'node:cluster';
import { createServer, type RequestListener } from 'node:http';
import { availableParallelism } from 'node:os';
import express from 'express';

const [kind, port, processes] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? availableParallelism())];
if ((kind !== 'node' && kind !== 'express') || !(port > 0)) {
  console.error('usage: http-floor.ts node|express PORT [PROCESSES]');
  process.exit(2);
}

const EMPTY = JSON.stringify({ messages: [] });

function listener(): RequestListener {
  if (kind === 'express') {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.get('/api/v1/message', (_req, res) => {
      res.json({ messages: [] });
    });
    return app;
  }
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(EMPTY) });
    res.end(EMPTY);
  };
}

if (cluster.isPrimary && processes > 1) {
  let listening = 0;
  for (let i = 0; i < processes; i++) {
    cluster.fork().on('listening', () => {
      if (++listening === processes) console.log('HTTP_FLOOR_READY');
    });
  }
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  };
  process.stdin.on('end', stop).resume();
  process.on('SIGTERM', stop);
} else {
  const server = createServer(listener()).listen(port, '127.0.0.1', () => {
    if (cluster.isPrimary) console.log('HTTP_FLOOR_READY');
  });
  if (cluster.isPrimary) {
    process.stdin.on('end', () => server.close()).resume();
    process.on('SIGTERM', () => process.exit(0));
  }
}
