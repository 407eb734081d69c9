/**
 * Integration setup: one fresh PostgreSQL database per run (dropped afterwards) on the server in
 * TEST_DATABASE_URL (default: the machine's 127.0.0.1:5432), a per-run BullMQ key prefix, and a
 * refusal to run when a configured external root URL is not loopback.
 */
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  for (const name of ['YANDEX_GPT_BASE_URL', 'TELEGRAM_API_ROOT']) {
    const value = process.env[name];
    if (value && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(value)) {
      throw new Error(`${name} points at ${value}; tests may only reach loopback`);
    }
  }
  // Tests that run `npm start` as a child each trigger its prestart build when sources changed;
  // building once here keeps two such files from compiling into dist/ at the same time.
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const database = `supportbot_test_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  project.provide('databaseUrl', url.toString());
  project.provide('redisUrl', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  project.provide('runId', runId);

  const { migrateDatabase } = await import('../../src/db/migrate.js');
  await migrateDatabase(url.toString());

  return async () => {
    await deleteRedisKeys(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', `test-${runId}`);
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  };
}

/** BullMQ queues, reply signals and rate limits of this run's apps: every test prefix starts with `test-<runId>`. */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    runId: string;
  }
}
