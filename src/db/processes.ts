/** Facts about other processes by pid, for recovering after a crash: alive, zombie, reused pid, stopping one. */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';


/** Whether `pid` answers kill(pid, 0), as PostgreSQL and a lock check see it: zombies included. */
export function processExists(pid: number): boolean {
  try {
    return process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process runs: exists and is no zombie (an orphan's exit may wait for a reaper that never comes). */
export async function isAlive(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  const fields = await procStatFields(pid);
  return fields?.[0] !== 'Z';
}

/** The process's start time (Linux clock ticks since boot), telling a reused pid from the original. */
export async function startTimeOf(pid: number): Promise<string | undefined> {
  return (await procStatFields(pid))?.[19];
}

/** Fields of /proc/<pid>/stat from the third (state) on; the command name before them may hold spaces. Undefined off Linux. */
async function procStatFields(pid: number): Promise<string[] | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return text?.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** Sends `signal`; false when the process is already gone. */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    return process.kill(pid, signal);
  } catch {
    return false;
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    if (!(await isAlive(pid))) return true;
  }
  return !(await isAlive(pid));
}

/** Fast shutdown, then immediate shutdown; true once the process is gone. */
export async function terminate(pid: number): Promise<boolean> {
  for (const [signal, waitMs] of [['SIGINT', 30_000], ['SIGQUIT', 10_000]] as const) {
    if (!sendSignal(pid, signal) || (await waitForExit(pid, waitMs))) return true;
  }
  return false;
}
