/**
 * Liveness of a process without HTTP (the worker role) for container health checks: every
 * `everyMs` it asks the database a trivial question and, when answered, touches a file; the
 * health check (healthcheck.ts) calls the process alive while the file is fresh. A stuck event
 * loop or a lost database both let the file go stale.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../app.js';

/** Where the worker's heartbeat is kept (one worker per container). */
export const HEARTBEAT_FILE = join(tmpdir(), 'supportbot-worker.heartbeat');

/** Starts the heartbeat; returns a function that stops it. */
export function startHeartbeat(app: App, everyMs = 10_000): () => void {
  const beat = () => {
    app.deps.store
      .getConversation('0')
      .then(() => writeFile(HEARTBEAT_FILE, String(Date.now())))
      .catch(() => undefined); // a missed beat is the signal
  };
  beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
