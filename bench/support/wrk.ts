/**
 * Runs wrk with one of the shared Lua scripts in bench/wrk/ and reads the `WRK_RESULT {json}` line
 * every script prints at the end.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnChild, type Child } from './processes.js';

export interface WrkResult {
  script: string;
  requests: number;
  duration_s: number;
  rps: number;
  latency_ms: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: { connect: number; read: number; write: number; timeout: number; status_ge_400: number };
  bytes_per_response?: number;
  /** null unless WRK_STATUS_CODES=1. */
  non_2xx: number | null;
  status_codes: Record<string, number>;
}

export interface WrkRun {
  wrk: string;
  script: string;
  url: string;
  threads: number;
  connections: number;
  durationS: number;
  latency?: boolean;
  /** Script arguments (after `--`). */
  args?: string[];
  statusCodes: boolean;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The command line as a person would type it, for the report. */
export function wrkCommandLine(run: WrkRun): string {
  return ['wrk', ...wrkArgs(run)].join(' ').replace(/ \S*\/bench\/wrk\//, ' bench/wrk/');
}

function wrkArgs(run: WrkRun): string[] {
  const args = [`-t${run.threads}`, `-c${run.connections}`, `-d${run.durationS}s`];
  if (run.latency) args.push('--latency');
  args.push('-s', run.script, run.url);
  if (run.args?.length) args.push('--', ...run.args);
  return args;
}

/** Starts wrk; `onStarted` gets the child right away (to sample its CPU). */
export async function runWrk(run: WrkRun, onStarted?: (child: Child) => void): Promise<WrkResult> {
  const env = { ...process.env, WRK_STATUS_CODES: run.statusCodes ? '1' : '0' };
  const child = spawnChild(`wrk ${run.script}`, run.wrk, wrkArgs(run), { env });
  child.process.stdin?.end();
  onStarted?.(child);
  const status = await child.exited;
  const line = child
    .stdout()
    .split('\n')
    .find((l) => l.startsWith('WRK_RESULT '));
  if (status.code !== 0 || !line) {
    throw new Error(`wrk failed (exit ${status.code ?? status.signal}): ${child.tail().trim().slice(-2000)}`);
  }
  return JSON.parse(line.slice('WRK_RESULT '.length)) as WrkResult;
}
