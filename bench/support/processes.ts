/**
 * Child processes of the benchmark. Each runs in its own process group (`detached`), so its CPU can
 * be sampled as a group and the whole group (tsx runs node in a grandchild) killed at once. Every
 * child is registered until it exits; `killAllSync` is the last resort on exit and Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** Settles when the process has exited. */
  exited: Promise<ExitStatus>;
  /** Undefined while running. */
  exitStatus(): ExitStatus | undefined;
  /** The last bytes of stdout and stderr together, for error messages. */
  tail(): string;
  /** All of stdout so far (capped at `maxStdout`). */
  stdout(): string;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with every complete stdout line. */
  onLine?: (line: string) => void;
  /** How much stdout to keep whole, bytes. @defaultValue 1 MiB */
  maxStdout?: number;
}

const live = new Set<Child>();
const TAIL_BYTES = 16_384;

export function spawnChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  // stdin stays an open pipe: children written for the bench exit when it closes (the bench died).
  const proc = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let tail = '';
  let out = '';
  let partial = '';
  const maxStdout = options.maxStdout ?? 1 << 20;
  const keep = (chunk: string) => {
    tail = (tail + chunk).slice(-TAIL_BYTES);
  };
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    keep(chunk);
    if (out.length < maxStdout) out += chunk.slice(0, maxStdout - out.length);
    if (!options.onLine) return;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  });
  proc.stderr?.setEncoding('utf8').on('data', keep);
  proc.stdin?.on('error', () => undefined);
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    proc.once('error', (error) => {
      keep(`\n[spawn error] ${error.message}\n`);
      status ??= { code: 127, signal: null };
      resolve(status);
    });
    proc.once('close', (code, signal) => {
      if (partial && options.onLine) options.onLine(partial);
      status ??= { code, signal };
      resolve(status);
    });
  });
  const child: Child = {
    name,
    pid: proc.pid ?? -1,
    process: proc,
    exited,
    exitStatus: () => status,
    tail: () => tail,
    stdout: () => out,
  };
  if (proc.pid !== undefined) {
    live.add(child);
    void exited.then(() => {
      // The leader is gone; anything left in its group (an orphaned grandchild) goes too.
      killGroup(child.pid, 'SIGKILL');
      live.delete(child);
    });
  }
  return child;
}

/** Runs a command to completion and returns its exit status and output. */
export async function runChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number } = {},
): Promise<{ status: ExitStatus; stdout: string; tail: string; ms: number; timedOut: boolean }> {
  const started = performance.now();
  const child = spawnChild(name, command, args, options);
  child.process.stdin?.end();
  let timedOut = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        killGroup(child.pid, 'SIGKILL');
      }, options.timeoutMs)
    : undefined;
  const status = await child.exited;
  clearTimeout(timer);
  return { status, stdout: child.stdout(), tail: child.tail(), ms: performance.now() - started, timedOut };
}

/** Signals every process in the group led by `pgid`; ignores a group that is gone. */
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  if (pgid <= 0) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left.
  }
}

/**
 * Asks the child to stop: SIGTERM to the group leader only (tsx relays it to node, and the app's
 * handler shuts down gracefully; a second SIGTERM to the grandchild would skip that), then SIGKILL
 * to the whole group after `timeoutMs`. Resolves with how long it took and whether it was forced.
 */
export async function stopChild(child: Child, timeoutMs = 40_000): Promise<{ ms: number; forced: boolean; status: ExitStatus }> {
  const started = performance.now();
  const already = child.exitStatus();
  if (already) return { ms: 0, forced: false, status: already };
  try {
    child.process.kill('SIGTERM');
  } catch {
    // already gone
  }
  const timedOut = Symbol('timeout');
  const outcome = await Promise.race([child.exited, delay(timeoutMs, timedOut)]);
  if (outcome !== timedOut) return { ms: performance.now() - started, forced: false, status: outcome as ExitStatus };
  killGroup(child.pid, 'SIGKILL');
  const status = await child.exited;
  return { ms: performance.now() - started, forced: true, status };
}

/** Synchronous: SIGKILL to every live child's group (the `exit` handler can do nothing async). */
export function killAllSync(): void {
  for (const child of live) killGroup(child.pid, 'SIGKILL');
}

export function liveChildren(): Child[] {
  return [...live];
}

/** Pids whose process group is `pgid` (read from /proc; empty off Linux). */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.pgrp === pgid) pids.push(Number(entry));
  }
  return pids;
}

export interface ProcStat {
  /** The command name (at most 15 characters), e.g. `node`, `postgres`, `redis-server`. */
  comm: string;
  ppid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, clock ticks. */
  ticks: number;
}

export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i] ?? 0);
  const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
  return { comm, ppid: n(1), pgrp: n(2), ticks: n(11) + n(12) + n(13) + n(14) };
}

/** Every process on the machine with its /proc stat (Linux; empty elsewhere). */
export function processTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) table.set(Number(entry), stat);
  }
  return table;
}

/** A process's command line, arguments joined by spaces ('' when gone). */
export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/** Memory of one process, MiB: resident (RSS) and proportional (PSS: shared pages split among their users, so sums add up). */
export interface ProcessMemory {
  pid: number;
  comm: string;
  rss_mb: number;
  pss_mb: number | null;
}

export function readMemory(pid: number, comm: string): ProcessMemory | undefined {
  const kb = (text: string, field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) / 1024 : null;
  };
  try {
    const rss = kb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
    if (rss === null) return undefined;
    let pss: number | null = null;
    try {
      pss = kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {
      // older kernels: RSS only
    }
    const mb = (value: number) => Math.round(value * 10) / 10;
    return { pid, comm, rss_mb: mb(rss), pss_mb: pss === null ? null : mb(pss) };
  } catch {
    return undefined;
  }
}
