/**
 * The services a role needs: the database (external or embedded), Redis when configured, the ORM
 * with migrations applied. Separate from app.ts so the CLI can use the same steps.
 */
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Config } from './config.js';
import type { Logger } from './core/ports.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres.js';
import { applyMigrations, createOrm, type Orm } from './db/orm.js';

export interface Database {
  orm: Orm;
  /** The hot-path pool of the conversation store (prepared statements; see pg-conversation-store.ts). */
  pool: pg.Pool;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** An arbitrary constant: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_244_310_551;

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR; applies pending migrations. */
export async function openDatabase(config: Config, logger: Logger, options: { poolMax?: number; onEmbeddedExit?: () => void } = {}): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: resolve(config.DATA_DIR),
      logger: logger.child({ component: 'embedded-postgres' }),
      // Never a live HTTP server over a dead database: exit non-zero so a supervisor (systemd,
      // docker's restart policy) starts the whole process again, which recovers the cluster.
      onUnexpectedExit:
        options.onEmbeddedExit ??
        (() => {
          logger.error({}, 'embedded PostgreSQL died; exiting with status 1 so that a supervisor restarts this process');
          process.exit(1);
        }),
    });
    url = embedded.url;
  }
  try {
    const orm = await createOrm({ url, poolMax: 4 });
    await migrateWithLock(orm, url, logger).catch(async (error: unknown) => {
      await orm.close(true);
      throw error;
    });
    // Bounded waits: a stopped or frozen database answers 503 in seconds instead of holding every
    // request (and the pool) for as long as it lasts. query_timeout is the client's own clock, for
    // a server that does not answer at all; statement_timeout makes the server cancel its side.
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolMax ?? 20,
      connectionTimeoutMillis: config.DATABASE_CONNECT_TIMEOUT_MS,
      statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
      query_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS + 1000,
      keepAlive: true,
    });
    pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
    // pool.end() resolves before its clients' sockets close; a server shutting down right after
    // (the embedded one on stop) ends them with an error no pool listener is left to catch.
    pool.on('connect', (client) => client.on('error', (error) => logger.debug({ err: error }, 'database connection closed by the server')));
    return {
      orm,
      pool,
      url,
      embedded: Boolean(embedded),
      async close() {
        await pool.end();
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/** Several processes may start at once: one migrates while the others wait on the lock. */
async function migrateWithLock(orm: Orm, url: string, logger: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => logger.warn({ err: error }, 'migration lock connection failed'));
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await applyMigrations(orm);
    if (applied.length) logger.info({ migrations: applied }, 'database migrations applied');
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Makes Redis connections, or undefined without REDIS_URL. `worker` connections (BullMQ workers)
 * wait out an outage; `client` ones fail fast, so a request never hangs on Redis: the message is
 * already in the database and the recovery sweep enqueues it later. The `shared` one (rate limits,
 * reply signals: a few commands per request) is a `client` one that also sends every command of
 * one event-loop turn in one write (ioredis auto-pipelining), which saves a syscall per command.
 */
export type RedisConnector = (purpose: 'worker' | 'client' | 'shared') => Redis;

export function redisConnector(config: Config, logger: Logger): RedisConnector | undefined {
  const url = config.REDIS_URL;
  if (!url) return undefined;
  return (purpose) => {
    const redis = new Redis(url, {
      maxRetriesPerRequest: purpose === 'worker' ? null : 1,
      enableOfflineQueue: purpose === 'worker',
      enableAutoPipelining: purpose === 'shared',
      connectTimeout: 5000,
    });
    redis.on('error', (error) => logger.warn({ err: error, purpose }, 'redis connection error'));
    return redis;
  };
}
