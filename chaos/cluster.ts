/**
 * The system under test as real processes: api and worker roles started with `tsx` exactly as
 * `npm run start:api` / `start:worker` do, each in its own process group. A supervisor restarts a
 * process that exits (as systemd or docker would); the suite kills them on purpose with SIGKILL.
 */
import { openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupMembers, killGroup, spawnChild, stopChild, type Child } from '../bench/support/processes.js';

export interface AppProcess {
  name: string;
  role: 'api' | 'worker';
  /** The HTTP port (api) or 0. */
  port: number;
  child?: Child;
  /** Exits nobody asked for (the process died by itself). */
  crashes: number;
  starts: number;
}

export interface Cluster {
  processes: AppProcess[];
  /** Api ports currently expected up (the proxy's upstreams). */
  apiPorts(): number[];
  /** SIGKILL to the whole process group; the supervisor starts it again after `downMs`. */
  kill(process: AppProcess, downMs: number): Promise<void>;
  /** Resolves once every api answers /readyz 200. */
  ready(timeoutMs: number): Promise<void>;
  /** Resident memory (kB) and open file descriptors of each process's node. */
  sample(): Array<{ name: string; rssKb: number; fds: number }>;
  stop(): Promise<void>;
}

const projectRoot = path.resolve(import.meta.dirname, '..');
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');

export function startCluster(specs: Array<{ name: string; role: 'api' | 'worker'; port: number }>, env: NodeJS.ProcessEnv, logDir: string): Cluster {
  let stopping = false;
  const processes: AppProcess[] = specs.map((s) => ({ ...s, crashes: 0, starts: 0 }));
  const killed = new Set<AppProcess>();

  function launch(p: AppProcess): void {
    p.starts += 1;
    const log = openSync(path.join(logDir, `${p.name}.log`), 'a');
    const child = spawnChild(p.name, tsx, [`src/entry/${p.role}.ts`], {
      cwd: projectRoot,
      env: { ...env, PORT: String(p.port) },
      maxStdout: 0,
    });
    child.process.stdout?.on('data', (chunk: string) => writeSafe(log, chunk));
    child.process.stderr?.on('data', (chunk: string) => writeSafe(log, chunk));
    p.child = child;
    void child.exited.then(async () => {
      if (stopping || p.child !== child) return;
      if (!killed.delete(p)) p.crashes += 1;
      await sleep(2000);
      if (!stopping && p.child === child) launch(p);
    });
  }
  processes.forEach(launch);

  return {
    processes,
    apiPorts: () => processes.filter((p) => p.role === 'api').map((p) => p.port),
    async kill(p, downMs) {
      const child = p.child;
      if (!child) return;
      killed.add(p);
      p.child = undefined;
      killGroup(child.pid, 'SIGKILL');
      await child.exited;
      await sleep(downMs);
      if (!stopping) launch(p);
    },
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (const p of processes.filter((x) => x.role === 'api')) {
        while (!(await fetch(`http://127.0.0.1:${p.port}/readyz`).then((r) => r.status === 200, () => false))) {
          if (Date.now() > deadline) throw new Error(`${p.name} not ready after ${timeoutMs} ms`);
          await sleep(250);
        }
      }
    },
    sample() {
      return processes.map((p) => {
        const node = p.child ? nodeOf(p.child.pid) : undefined;
        return { name: p.name, rssKb: node ? rssKb(node) : 0, fds: node ? fdCount(node) : 0 };
      });
    },
    async stop() {
      stopping = true;
      await Promise.all(processes.map(async (p) => (p.child ? stopChild(p.child, 20_000) : undefined)));
    },
  };
}

function writeSafe(fd: number, chunk: string): void {
  try {
    writeSync(fd, chunk);
  } catch {
    // the log is best effort
  }
}

/** tsx runs the app in a node grandchild: the group member with the largest memory is it. */
function nodeOf(pgid: number): number | undefined {
  let best: number | undefined;
  let bestRss = -1;
  for (const pid of groupMembers(pgid)) {
    const rss = rssKb(pid);
    if (rss > bestRss) [best, bestRss] = [pid, rss];
  }
  return best;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function fdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}
