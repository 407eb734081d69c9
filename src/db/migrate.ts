import { applyMigrations, createOrm } from './orm.js';

/** Connects, applies pending migrations and disconnects; for the CLI and test setup. */
export async function migrateDatabase(url: string): Promise<string[]> {
  const orm = await createOrm({ url, poolMax: 2 });
  try {
    return await applyMigrations(orm);
  } finally {
    await orm.close(true);
  }
}
