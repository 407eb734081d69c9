/**
 * The real commands as child processes, for tests that crash and restart them: each runs in its
 * own process group (npm → sh → tsx → node → postgres), its output kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config.js';
import { waitFor } from './wait-for.js';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
/** A cold start initialises a PostgreSQL cluster and compiles the app with tsx: seconds, not minutes. */
export const BOOT_TIMEOUT_MS = 90_000;

export interface RunningCommand {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `npm <args>` in a process group of its own; `commands` collects it for the cleanup. */
export function startCommand(commands: RunningCommand[], args: string[], env: NodeJS.ProcessEnv): RunningCommand {
  const child = spawn('npm', args, { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const command = { child, output: () => output, exited };
  commands.push(command);
  return command;
}

/** SIGKILL to the whole group: npm, tsx's node child and the embedded PostgreSQL die together, as in a crash. */
export async function killGroup(command: RunningCommand): Promise<void> {
  if (command.child.exitCode === null && command.child.signalCode === null && command.child.pid) {
    try {
      process.kill(-command.child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
  await command.exited;
  // The group leader's exit event can come before its descendants are reaped; wait for the group to be empty.
  await waitFor(() => !groupAlive(command.child.pid), 10_000, { intervalMs: 50, what: 'process group gone' });
}

export function groupAlive(pgid: number | undefined): boolean {
  if (!pgid) return false;
  try {
    return process.kill(-pgid, 0);
  } catch {
    return false;
  }
}


/** The parent's environment without any of the app's settings (so no DATABASE_URL/REDIS_URL), plus `settings`. */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete env[key];
  return { ...env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...settings };
}

/** Resolves once /readyz answers 200; fails at once, with the output, if the command exits first. */
export async function ready(command: RunningCommand, url: string): Promise<void> {
  const exitedEarly = command.exited.then(({ code, signal }) => {
    throw new Error(`npm start exited (${code ?? signal}) before it was ready:\n${command.output()}`);
  });
  const up = waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, BOOT_TIMEOUT_MS, { intervalMs: 100, what: `${url}/readyz` });
  await Promise.race([up, exitedEarly]);
  exitedEarly.catch(() => undefined);
}

