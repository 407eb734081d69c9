/** Starts the whole app in-process on port 0 for a test, with a silent or test-level logger. */
import { inject } from 'vitest';
import { startApp, type App, type Role } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { createScratchDatabase } from './scratch-database.js';
import { testConfig } from './test-config.js';

/** Which backing services a test app uses: the machine's PostgreSQL + Redis, or embedded + in-process. */
export type Backend = 'postgres+redis' | 'embedded';

export interface TestApp extends App {
  url: string;
}

/**
 * `postgres+redis` uses a scratch database of its own on the run's PostgreSQL (dropped on stop;
 * unless `DATABASE_URL` is given) and a BullMQ prefix of its own; `embedded` starts an embedded
 * PostgreSQL under `dataDir` and the in-process queue.
 */
export async function startTestApp(
  backend: Backend,
  overrides: Record<string, string | number | boolean | undefined> = {},
  options: { role?: Role; dataDir?: string } = {},
): Promise<TestApp> {
  const scratch = backend === 'postgres+redis' && !('DATABASE_URL' in overrides) ? await createScratchDatabase('app') : undefined;
  const services =
    backend === 'postgres+redis'
      ? {
          DATABASE_URL: scratch?.url,
          REDIS_URL: inject('redisUrl'),
          BULLMQ_PREFIX: `test-${inject('runId')}-${Math.random().toString(36).slice(2, 8)}`,
        }
      : { DATABASE_URL: undefined, REDIS_URL: undefined, DATA_DIR: options.dataDir };
  const config = testConfig({ ...services, ...overrides });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const app = await startApp(config, logger, options.role ?? 'all').catch(async (error: unknown) => {
    await scratch?.drop();
    throw error;
  });
  return {
    ...app,
    url: app.info.url ?? '',
    async stop() {
      await app.stop();
      await scratch?.drop();
    },
  };
}
