/**
 * `npm start` on a bare machine (issue 3), end to end: the real command as a child process with an
 * empty DATA_DIR and no DATABASE_URL/REDIS_URL (embedded PostgreSQL, in-process queue), the
 * loopback YandexGPT fake as the model, driven over HTTP. The child is killed with SIGKILL while a
 * reply is pending and started again on the same DATA_DIR: nothing is lost, nothing is doubled.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { freePort } from '../../../src/free-port.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YandexGptCompletionRequest } from '../../../src/llm/yandex-gpt-wire.js';
import {
  echoResponder,
  startFakeYandexGpt,
  type FakeYandexGpt,
  type FakeYandexGptResponder,
  type RecordedYandexGptRequest,
} from '../../fakes/fake-yandex-gpt.js';
import { waitFor } from '../../support/wait-for.js';
import { childEnv, killGroup, ready, startCommand, type RunningCommand } from '../../support/commands.js';

const REPLY_TIMEOUT_MS = 20_000;
const E2E_TIMEOUT_MS = 180_000;

interface Reply {
  message: string;
  date_create: string;
  user: string;
}

const commands: RunningCommand[] = [];
const dirs: string[] = [];
const run = (args: string[], env: NodeJS.ProcessEnv) => startCommand(commands, args, env);

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'supportbot-npm-start-'));
  dirs.push(dir);
  return dir;
}

function questionOf(body: YandexGptCompletionRequest | undefined): string {
  return [...(body?.messages ?? [])].reverse().find((m) => m.role === 'user')?.text ?? '';
}

describe('npm start with an empty DATA_DIR and no DATABASE_URL/REDIS_URL', () => {
  let fake: FakeYandexGpt;
  let dataDir: string;
  let baseUrl = '';
  let current: RunningCommand | undefined;
  const token = `e2e-visitor-${randomUUID()}`;
  const tag = `t${randomUUID().slice(0, 8)}`;
  const first = `Есть ли доставка в Казань? ${tag}`;
  const pending = `А сколько она стоит? ${tag}`;
  const later = `Спасибо, а самовывоз есть? ${tag}`;
  let hang = false;

  async function startApp(): Promise<RunningCommand> {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const command = run(
      ['start'],
      childEnv({
        DATA_DIR: dataDir,
        PORT: String(port),
        YANDEX_API_KEY: 'e2e-test-key',
        YANDEX_FOLDER_ID: 'b1ge2efolder',
        YANDEX_GPT_BASE_URL: fake.url,
      }),
    );
    await ready(command, baseUrl);
    return command;
  }

  async function send(text: string): Promise<void> {
    const res = await fetch(`${baseUrl}/api/v1/gpt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'chat-token': token },
      body: JSON.stringify({ message: text }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }

  async function poll(): Promise<Reply[]> {
    const res = await fetch(`${baseUrl}/api/v1/message`, { headers: { 'chat-token': token } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { messages: Reply[] }).messages;
  }

  /** Polls until `count` replies arrived in total, then once more to see that nothing follows. */
  async function collectReplies(count: number): Promise<string[]> {
    const got: Reply[] = [];
    await waitFor(
      async () => {
        got.push(...(await poll()));
        return got.length >= count;
      },
      REPLY_TIMEOUT_MS,
      { intervalMs: 50, what: `${count} replies` },
    );
    got.push(...(await poll()));
    return got.map((r) => r.message);
  }

  function requestsFor(question: string): RecordedYandexGptRequest[] {
    return fake.requests.filter((r) => questionOf(r.body) === question);
  }

  beforeAll(async () => {
    fake = await startFakeYandexGpt();
    const responder: FakeYandexGptResponder = (body, request) => (hang ? { hang: true } : echoResponder(body, request));
    fake.setResponder(responder);
    dataDir = await tempDir();
  });

  afterAll(async () => {
    await Promise.all(commands.map(killGroup));
    await fake?.close();
    await stopOrphanedPostgres(dataDir);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }, 60_000);

  it('boots and answers a visitor message with the model reply', { timeout: E2E_TIMEOUT_MS }, async () => {
    current = await startApp();

    await send(first);

    expect(await collectReplies(1)).toEqual([`Ответ: ${first}`]);
  });

  it('serves the embeddable widget from the production build', { timeout: E2E_TIMEOUT_MS }, async () => {
    const res = await fetch(`${baseUrl}/widget.js`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it(
    'killed with SIGKILL while a reply is pending and started again on the same DATA_DIR, it answers the pending message exactly once',
    { timeout: E2E_TIMEOUT_MS },
    async () => {
      expect(current, 'the first start must have succeeded').toBeDefined();
      hang = true;
      await send(pending);
      await waitFor(() => requestsFor(pending).length === 1, REPLY_TIMEOUT_MS, { what: 'the pending call reached the model' });
      await killGroup(current as RunningCommand);
      hang = false;

      current = await startApp();

      expect(await collectReplies(1)).toEqual([`Ответ: ${pending}`]);
      expect(requestsFor(pending)).toHaveLength(2);
    },
  );

  it('after the restart the earlier reply is not returned again and the model still sees the earlier history', { timeout: E2E_TIMEOUT_MS }, async () => {
    expect(current, 'the restart must have succeeded').toBeDefined();

    await send(later);

    expect(await collectReplies(1)).toEqual([`Ответ: ${later}`]);
    const [request, ...more] = requestsFor(later);
    expect(more).toEqual([]);
    expect(request?.body?.messages.filter((m) => m.role !== 'system')).toEqual([
      { role: 'user', text: first },
      { role: 'assistant', text: `Ответ: ${first}` },
      { role: 'user', text: pending },
      { role: 'assistant', text: `Ответ: ${pending}` },
      { role: 'user', text: later },
    ]);
    expect(requestsFor(pending)).toHaveLength(2);
  });

  it('a second npm start on the same DATA_DIR exits non-zero saying the directory is in use, and the first keeps serving', { timeout: E2E_TIMEOUT_MS }, async () => {
    expect(current, 'a running instance is needed').toBeDefined();

    const second = run(['start'], childEnv({ DATA_DIR: dataDir, PORT: String(await freePort()) }));
    const { code } = await second.exited;

    expect(code, second.output()).not.toBe(0);
    expect(second.output()).toMatch(/another instance is using DATA_DIR/);
    expect(second.output()).toContain(dataDir);
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
  });

  it('cli migrate while npm start holds DATA_DIR prints one clear line, no stack trace, and exits non-zero', { timeout: E2E_TIMEOUT_MS }, async () => {
    expect(current, 'a running instance is needed').toBeDefined();

    const migrate = run(['run', 'cli', '--', 'migrate'], childEnv({ DATA_DIR: dataDir }));
    const { code } = await migrate.exited;

    expect(code, migrate.output()).not.toBe(0);
    const lines = migrate.output().split('\n').filter((line) => /cannot migrate/.test(line));
    expect(lines, migrate.output()).toHaveLength(1);
    expect(lines[0]).toContain(dataDir);
    expect(migrate.output()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
  });

  it('exits non-zero when its embedded PostgreSQL dies, rather than serving over a dead database', { timeout: E2E_TIMEOUT_MS }, async () => {
    expect(current, 'a running instance is needed').toBeDefined();
    const pid = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

    process.kill(pid, 'SIGKILL');
    const { code, signal } = await (current as RunningCommand).exited;

    expect(signal, current?.output()).toBeNull();
    expect(code, current?.output()).not.toBe(0);
    expect(current?.output()).toMatch(/embedded PostgreSQL/);
  });
});

describe('npm run start:api without DATABASE_URL and REDIS_URL', () => {
  afterAll(async () => {
    await Promise.all(commands.map(killGroup));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('exits non-zero with a message naming DATABASE_URL and REDIS_URL, and creates no DATA_DIR', { timeout: E2E_TIMEOUT_MS }, async () => {
    const dataDir = path.join(await tempDir(), 'never-created');

    const api = run(['run', 'start:api'], childEnv({ DATA_DIR: dataDir, PORT: String(await freePort()) }));
    const { code } = await api.exited;

    expect(code, api.output()).not.toBe(0);
    expect(api.output()).toMatch(/DATABASE_URL/);
    expect(api.output()).toMatch(/REDIS_URL/);
    expect(existsSync(dataDir)).toBe(false);
  });
});

/**
 * A failed run may leave an embedded PostgreSQL behind (e.g. if it was not in the killed group);
 * stop whatever postmaster.pid names before the directory goes.
 */
async function stopOrphanedPostgres(dataDir: string | undefined): Promise<void> {
  if (!dataDir) return;
  const text = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const alive = () => {
    try {
      return process.kill(pid, 0);
    } catch {
      return false;
    }
  };
  // After a crash the pid may belong to another process by now: only a postgres is stopped.
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!alive() || !command.includes('postgres')) return;
  process.kill(pid, 'SIGQUIT');
  await waitFor(() => !alive(), 10_000, { intervalMs: 50, what: `postgres ${pid} stopped` }).catch(() => process.kill(pid, 'SIGKILL'));
}
