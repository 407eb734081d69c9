import type { Config } from '../config.js';
import { AppError } from '../core/errors.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { isUnavailableError } from '../db/unavailable.js';
import { openDatabase } from '../infrastructure.js';
import { createLogger } from '../logger.js';

/** `migrate`: applies pending migrations to DATABASE_URL (or the embedded database under DATA_DIR). */
export async function runMigrate(config: Config, out: (line: string) => void, err: (line: string) => void = out): Promise<number> {
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  let database;
  try {
    database = await openDatabase(config, logger, { poolMax: 2 });
  } catch (error) {
    // Expected failures get one clear line, not a stack trace.
    if (error instanceof DataDirLockedError) {
      err(`cannot migrate: DATA_DIR=${error.dataDir} is in use by a running instance (pid ${error.pid}); it applies pending migrations itself on start — stop it first to run migrate`);
      return 1;
    }
    if (error instanceof AppError || isUnavailableError(error)) {
      err(`cannot migrate: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
  await database.close();
  out(`database is up to date (${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
  return 0;
}
