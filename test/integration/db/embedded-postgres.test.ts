import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/core/ports.js';
import {
  DataDirLockedError,
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../../src/db/embedded-postgres.js';

const modulePath = fileURLToPath(new URL('../../../src/db/embedded-postgres.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

const running: EmbeddedPostgres[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];
const servers: Server[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(children.splice(0).map(stopChild));
  await Promise.all(running.splice(0).map((db) => db.stop()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

async function emptyDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'supportbot-embedded-pg-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string, port?: number): Promise<EmbeddedPostgres> {
  const db = await startEmbeddedPostgres({ dataDir, logger: silentLogger, port });
  running.push(db);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A separate Node process that starts the embedded server on `dataDir`, prints its url and waits to be killed. */
async function startInChildProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const script = `
    const { startEmbeddedPostgres } = await import(process.env.MODULE_PATH);
    const logger = { debug() {}, info() {}, warn() {}, error(f, m) { console.error(m, f); }, child: () => logger };
    const db = await startEmbeddedPostgres({ dataDir: process.env.TEST_DATA_DIR, logger });
    console.log(db.url);
    process.once('SIGTERM', () => db.stop().then(() => process.exit(0)));
    setInterval(() => {}, 60_000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot,
    env: { ...process.env, MODULE_PATH: modulePath, TEST_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(stdout.trim());
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing a url: ${stderr}`)));
  });
  return { child, url };
}

/** Lets a child that is still running stop its server, so no orphan outlives the test. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** Alive and not a zombie: an orphan's parent here may be an init that never reaps it. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
  }
}

const postmasterPid = async (dataDir: string): Promise<number> =>
  Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

describe('startEmbeddedPostgres', () => {
  it('starts in an empty directory and answers select 1 on 127.0.0.1', async () => {
    const dataDir = await emptyDataDir();

    const db = await start(dataDir);

    const url = new URL(db.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe('/supportbot');
    expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  // Under root, postgres runs as user `postgres`; a DATA_DIR inside a private folder (mktemp -d) must still work.
  it.runIf(process.getuid?.() === 0)('starts under root in a DATA_DIR inside a folder only root may enter', async () => {
    const privateDir = await emptyDataDir();
    await chmod(privateDir, 0o700);

    const pgServer = await start(path.join(privateDir, 'data'));

    expect(await query<{ one: number }>(pgServer.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect((await stat(privateDir)).mode & 0o777).toBe(0o701);
  });

  it('keeps the data across a stop and the next start', async () => {
    const dataDir = await emptyDataDir();
    const first = await start(dataDir);
    await query(first.url, "create table notes (text text); insert into notes values ('привет')");
    await first.stop();

    const second = await start(dataDir);

    expect(await query(second.url, 'select text from notes')).toEqual([{ text: 'привет' }]);
  });

  it('stop is idempotent and releases the lock', async () => {
    const dataDir = await emptyDataDir();
    const db = await start(dataDir);

    await Promise.all([db.stop(), db.stop()]);
    await db.stop();

    expect(existsSync(path.join(dataDir, 'supportbot.lock'))).toBe(false);
  });

  it('refuses a second start on a directory in use, naming the holder, and leaves the first running', async () => {
    const dataDir = await emptyDataDir();
    const first = await start(dataDir);

    const second = startEmbeddedPostgres({ dataDir, logger: silentLogger });

    await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
    await expect(second).rejects.toThrow(`another instance is using DATA_DIR=${dataDir} (pid ${process.pid})`);
    await expect(second).rejects.toMatchObject({ code: 'embedded_pg.data_dir_locked' });
    expect(await query(first.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('refuses a second process while the first one runs', async () => {
    const dataDir = await emptyDataDir();
    const { child } = await startInChildProcess(dataDir);

    await expect(startEmbeddedPostgres({ dataDir, logger: silentLogger })).rejects.toThrow(`(pid ${child.pid})`);
  });

  it('after the starting process is SIGKILLed, the next start takes over its lock and stops the orphaned server', async () => {
    const dataDir = await emptyDataDir();
    const { child, url } = await startInChildProcess(dataDir);
    await query(url, 'create table survived (id int); insert into survived values (1)');
    const orphan = await postmasterPid(dataDir);
    await killHard(child);
    expect(isAlive(orphan)).toBe(true);

    const db = await start(dataDir);

    expect(isAlive(orphan)).toBe(false);
    expect(await query(db.url, 'select id from survived')).toEqual([{ id: 1 }]);
    expect((await readFile(path.join(dataDir, 'supportbot.lock'), 'utf8')).split('\n')[0]).toBe(String(process.pid));
  });

  it('a postmaster.pid left by a server killed with SIGKILL does not stop the next start', async () => {
    const dataDir = await emptyDataDir();
    const { child, url } = await startInChildProcess(dataDir);
    await query(url, 'create table survived (id int); insert into survived values (1)');
    const server = await postmasterPid(dataDir);
    await killHard(child);
    process.kill(server, 'SIGKILL');
    await waitUntil(() => !isAlive(server));

    const db = await start(dataDir);

    expect(await query(db.url, 'select id from survived')).toEqual([{ id: 1 }]);
  });

  it('takes over a lock whose pid now belongs to a later process, as after a container restart', async () => {
    const dataDir = await emptyDataDir();
    await writeFile(path.join(dataDir, 'supportbot.lock'), `${process.pid}\n1\n`);

    const db = await start(dataDir);

    expect(await query(db.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it("sends PostgreSQL's own log to the logger at debug and nothing to stdout", async () => {
    const dataDir = await emptyDataDir();
    const debugLines: string[] = [];
    const logger: Logger = { ...silentLogger, debug: (fields) => debugLines.push(JSON.stringify(fields)), child: () => logger };
    const stdout = vi.spyOn(process.stdout, 'write');

    running.push(await startEmbeddedPostgres({ dataDir, logger }));

    expect(stdout).not.toHaveBeenCalled();
    expect(debugLines.some((line) => line.includes('database system is ready to accept connections'))).toBe(true);
  });

  it('moves to another port when the one of the previous run is taken', async () => {
    const dataDir = await emptyDataDir();
    const first = await start(dataDir);
    const previousPort = Number(new URL(first.url).port);
    await first.stop();
    servers.push(await listenOn(previousPort));

    const second = await start(dataDir);

    expect(Number(new URL(second.url).port)).not.toBe(previousPort);
    expect(await query(second.url, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('fails with embedded_pg.port_in_use when the given port is taken', async () => {
    const dataDir = await emptyDataDir();
    const taken = await listenOn(0);
    servers.push(taken);
    const port = (taken.address() as { port: number }).port;

    const attempt = startEmbeddedPostgres({ dataDir, logger: silentLogger, port });

    await expect(attempt).rejects.toBeInstanceOf(EmbeddedPostgresError);
    await expect(attempt).rejects.toMatchObject({ code: 'embedded_pg.port_in_use' });
    expect(existsSync(path.join(dataDir, 'supportbot.lock'))).toBe(false);
  });
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}
