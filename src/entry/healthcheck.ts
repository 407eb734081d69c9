/**
 * The container health check for every role (Dockerfile HEALTHCHECK): healthy when this
 * container's HTTP server answers `GET /healthz` on PORT, or — for the worker, which serves no
 * HTTP — when its heartbeat file (heartbeat.ts) was touched within the last `STALE_MS`.
 * Exit 0 healthy, 1 not. Reads only PORT from the environment, like the process it checks.
 */
import { stat } from 'node:fs/promises';
import { HEARTBEAT_FILE } from './heartbeat.js';

const STALE_MS = 45_000;

async function httpHealthy(): Promise<boolean> {
  const port = process.env.PORT || '8000';
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function heartbeatFresh(): Promise<boolean> {
  try {
    return Date.now() - (await stat(HEARTBEAT_FILE)).mtimeMs < STALE_MS;
  } catch {
    return false;
  }
}

process.exit((await httpHealthy()) || (await heartbeatFresh()) ? 0 : 1);
