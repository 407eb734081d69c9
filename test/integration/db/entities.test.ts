/** The MikroORM entities describe the migrated schema column for column (the admin panel reads through them). */
import { ReferenceKind } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createOrm, type Orm } from '../../../src/db/orm.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

describe('entities', () => {
  let db: ScratchDatabase;
  let orm: Orm;

  beforeAll(async () => {
    db = await createScratchDatabase('entities');
    orm = await createOrm({ url: db.url, poolMax: 1 });
    await applyMigrations(orm);
  });
  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });

  it('name every column of their tables, with the same nullability, and no column the table lacks', async () => {
    const metas = Object.values(orm.getMetadata().getAll()).filter((m) => !m.embeddable && m.tableName);
    expect(metas.map((m) => m.tableName).sort()).toEqual(['admin_user', 'conversation', 'delivery', 'handoff', 'message', 'operator']);
    for (const meta of metas) {
      const columns = await db.query<{ column_name: string; is_nullable: string }>(
        `select column_name, is_nullable from information_schema.columns where table_schema = 'public' and table_name = $1`,
        [meta.tableName],
      );
      const described = meta.props
        .filter((p) => p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE)
        .map((p) => ({ column: p.fieldNames[0], nullable: Boolean(p.nullable) }));
      expect(Object.fromEntries(described.map((d) => [d.column, d.nullable])), meta.tableName).toEqual(
        Object.fromEntries(columns.map((c) => [c.column_name, c.is_nullable === 'YES'])),
      );
    }
  });

  it('read rows the stores wrote, with bigint ids as strings', async () => {
    await db.query(`insert into conversation (channel, chat_id) values ('web', 'entities-test-token-01')`);
    const em = orm.em.fork();

    const found = await em.findOneOrFail('Conversation', { chatId: 'entities-test-token-01' });

    expect(typeof (found as { id: unknown }).id).toBe('string');
  });
});
