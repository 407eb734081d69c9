/**
 * The chaos suite's own PostgreSQL and Redis: a scratch embedded PostgreSQL in a temp folder and a
 * redis-server child, each on a free port — never the machine's shared 5432/6379, which the suite
 * restarts and freezes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { spawnChild, stopChild, type Child } from '../bench/support/processes.js';
import type { Logger } from '../src/core/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { freePort } from '../src/free-port.js';

export interface ScratchPostgres {
  url: string;
  /** Fast shutdown, `downMs` with nothing listening, start again on the same port and data. */
  restart(downMs: number): Promise<void>;
  /** SIGSTOP to the server and its backends for `ms`, then SIGCONT: a database that hangs. */
  freeze(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startScratchPostgres(dir: string, logger: Logger): Promise<ScratchPostgres> {
  const dataDir = path.join(dir, 'pg');
  const port = await freePort();
  let server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, logger, port });
  const url = server.url;
  const postmaster = () => Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    url,
    async restart(downMs) {
      await server.stop();
      await sleep(downMs);
      server = await startEmbeddedPostgres({ dataDir, logger, port });
    },
    async freeze(ms) {
      const pids = [postmaster(), ...childrenOf(postmaster())];
      for (const pid of pids) signal(pid, 'SIGSTOP');
      await sleep(ms);
      for (const pid of pids) signal(pid, 'SIGCONT');
    },
    stop: () => server.stop(),
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone meanwhile
  }
}

/** Direct children of `pid`, from /proc (PostgreSQL's backends and auxiliary processes). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return children;
}

export interface ScratchRedis {
  url: string;
  /** SIGTERM (Redis writes its append-only file), `downMs` down, started again on the same port and data. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startScratchRedis(dir: string): Promise<ScratchRedis> {
  const dataDir = path.join(dir, 'redis');
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const start = async (): Promise<Child> => {
    const child = spawnChild('redis', 'redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec',
    ]);
    for (let i = 0; i < 100; i += 1) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      const ok = await probe.connect().then(() => probe.ping()).then(() => true, () => false);
      probe.disconnect();
      if (ok) return child;
      await sleep(100);
    }
    throw new Error(`redis-server did not start on ${port}: ${child.tail()}`);
  };
  let child = await start();
  return {
    url,
    async restart(downMs) {
      await stopChild(child, 10_000);
      await sleep(downMs);
      child = await start();
    },
    async stop() {
      await stopChild(child, 10_000);
    },
  };
}
