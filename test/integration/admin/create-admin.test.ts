/** `npm run cli -- create-admin` as an operator runs it: a real process against a real database. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrm, applyMigrations } from '../../../src/db/orm.js';
import { verifyAdminLogin } from '../../../src/http/admin/admin-users.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI entry with `args`, writing `input` to its stdin (piped, not a terminal). */
function cli(url: string, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/cli.ts', ...args], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('create-admin', () => {
  let db: ScratchDatabase;

  beforeAll(async () => {
    db = await createScratchDatabase('create_admin');
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function canLogIn(username: string, password: string): Promise<boolean> {
    const orm = await createOrm({ url: db.url, poolMax: 1 });
    try {
      await applyMigrations(orm);
      return (await verifyAdminLogin(orm.em.fork(), username, password)) !== null;
    } finally {
      await orm.close(true);
    }
  }

  it('creates an admin who can then log in with that password, and stores only its hash', async () => {
    const run = await cli(db.url, ['create-admin', '--username', 'alice', '--password', 'correct horse battery']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('admin user "alice" created');
    expect(await canLogIn('alice', 'correct horse battery')).toBe(true);
    expect(await canLogIn('alice', 'wrong password')).toBe(false);
    const rows = await db.query<{ password_hash: string }>(`select password_hash from admin_user where username = 'alice'`);
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a name that is taken, exits 1 and leaves the first password in place', async () => {
    const run = await cli(db.url, ['create-admin', '--username', 'alice', '--password', 'another password']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('admin user "alice" already exists');
    expect(await db.query(`select 1 from admin_user where username = 'alice'`)).toHaveLength(1);
    expect(await canLogIn('alice', 'correct horse battery')).toBe(true);
  });

  it('asks for the password when none is given, reading it from piped input', async () => {
    const run = await cli(db.url, ['create-admin', '--username', 'bob'], 'piped secret 42\n');

    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Password:');
    expect(run.stdout).not.toContain('piped secret 42');
    expect(await canLogIn('bob', 'piped secret 42')).toBe(true);
  });

  it('refuses a password shorter than 8 characters and creates nobody', async () => {
    const run = await cli(db.url, ['create-admin', '--username', 'carol', '--password', 'short']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('password must be 8-1024 characters');
    expect(await db.query(`select 1 from admin_user where username = 'carol'`)).toHaveLength(0);
  });
});
