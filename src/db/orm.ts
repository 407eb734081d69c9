/** Builds the MikroORM instance for PostgreSQL with our entities and migrations. */
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export interface OrmOptions {
  /** postgres://… of the database. */
  url: string;
  /** Most connections this process opens. @defaultValue 20 */
  poolMax?: number;
}

export type Orm = MikroORM;

export async function createOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init({
    clientUrl: options.url,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', silent: true },
    pool: { min: 1, max: options.poolMax ?? 20 },
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
  });
}

/** Applies pending migrations; returns the names applied. */
export async function applyMigrations(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
