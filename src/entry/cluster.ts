/**
 * Runs a role in several processes sharing one port (node:cluster), so the HTTP API uses every
 * core: Node runs JavaScript on one core per process. The primary only supervises: it forks the
 * workers, replaces one that dies after it was serving, and passes SIGTERM/SIGINT on for a
 * graceful stop. Every worker is a full API process (its own pools and Redis connections); the
 * state they share — rate limits, reply signals, queues — lives in Redis and PostgreSQL already.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Role } from '../app.js';
import { runRole } from './run-role.js';

/** A worker that dies within this long of its start is not replaced: a crash loop stops the primary. */
const MIN_UPTIME_MS = 10_000;

/**
 * `count` processes of `role` (1: this process alone, no primary). The primary exits with the
 * first failing worker's code when that worker never stayed up, and with 0 after a requested stop.
 */
export async function runClustered(role: Role, count: number | undefined): Promise<void> {
  const workers = count ?? availableParallelism();
  if (workers <= 1 || !cluster.isPrimary) {
    await runRole(role, { banner: !cluster.isWorker || cluster.worker?.id === 1 });
    return;
  }
  let stopping = false;
  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork(), Date.now());
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (!stopping) {
      if (uptime >= MIN_UPTIME_MS) {
        console.error(`${role} process ${worker.process.pid} exited (${signal ?? code}); starting another`);
        fork();
        return;
      }
      console.error(`${role} process ${worker.process.pid} exited (${signal ?? code}) within ${MIN_UPTIME_MS / 1000} s of its start; stopping`);
      process.exitCode = code || 1;
      stopAll('SIGTERM');
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  process.once('SIGTERM', () => stopAll('SIGTERM'));
  process.once('SIGINT', () => stopAll('SIGINT'));
  for (let i = 0; i < workers; i += 1) fork();
}
