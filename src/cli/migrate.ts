import type { Config } from '../config.js';
import { openDatabase } from '../infrastructure.js';
import { createLogger } from '../logger.js';

/** `migrate`: applies pending migrations to DATABASE_URL (or the embedded database under DATA_DIR). */
export async function runMigrate(config: Config, out: (line: string) => void): Promise<number> {
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  const database = await openDatabase(config, logger, { poolMax: 2 });
  await database.close();
  out(`database is up to date (${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
  return 0;
}
