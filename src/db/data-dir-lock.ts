/**
 * The lock that keeps two processes off one DATA_DIR: `<dataDir>/supportbot.lock` holds the pid and
 * its start time; a lock whose process is gone (or whose pid was reused) is stale and taken over.
 */
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { isAlive, startTimeOf } from './processes.js';

const LOCK_FILE = 'supportbot.lock';

/** Another live process holds the data directory; starting a second cluster there would corrupt it. */
export class DataDirLockedError extends AppError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super('embedded_pg.data_dir_locked', `embedded PostgreSQL: another instance is using DATA_DIR=${dataDir} (pid ${pid})`);
  }
}

/**
 * Takes `<dataDir>/supportbot.lock` (pid and process start time, created with `wx`). A lock whose
 * process is gone, or whose pid now belongs to a process started later, is stale and taken over.
 */
export async function acquireLock(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const mine = `${process.pid}\n${(await startTimeOf(process.pid)) ?? ''}\n`;
  // Idempotent by itself: it removes the lock only while the lock is still ours.
  const release = async () => {
    if ((await readFile(lockPath, 'utf8').catch(() => undefined)) === mine) await rm(lockPath, { force: true });
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await writeFile(lockPath, mine, { flag: 'wx' });
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const seen = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (seen === undefined) continue;
    const [pidText = '', startTime = ''] = seen.split('\n');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0) {
      // Created but not yet written by a process starting right now, or left empty by a crash.
      const ageMs = Date.now() - (await stat(lockPath).then((s) => s.mtimeMs, () => 0));
      if (ageMs < 2000) {
        await sleep(100);
        continue;
      }
    } else if ((await isAlive(pid)) && (!startTime || (await startTimeOf(pid)) === startTime)) {
      throw new DataDirLockedError(dataDir, pid);
    }
    await takeOverStale(lockPath, seen);
  }
  throw new AppError('embedded_pg.lock_failed', `embedded PostgreSQL: could not take ${lockPath}`);
}

/** Moves the stale lock aside; if another process replaced it meanwhile, puts theirs back (link never overwrites). */
async function takeOverStale(lockPath: string, seen: string): Promise<void> {
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  if ((await readFile(aside, 'utf8')) !== seen) await link(aside, lockPath).catch(() => undefined);
  await rm(aside, { force: true });
}
