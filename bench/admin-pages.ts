/**
 * The admin panel's page load times over a large database: seeds BENCH_ADMIN_MESSAGES messages
 * (default 100,000; bench/admin-seed.sql) into a scratch database on the PostgreSQL at
 * BENCH_DATABASE_URL (default 127.0.0.1:5432), starts the app in this process against it, logs in
 * and fetches each page 1 + 5 times over HTTP. Prints the first (cold) time and the median of the
 * rest. Figures, not pass/fail: `npm run bench:admin`.
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { AdminClient, seedAdmin } from '../test/support/admin-client.js';

const messages = Number(process.env.BENCH_ADMIN_MESSAGES ?? 100_000);
const server = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const name = `supportbot_admin_bench_${Date.now().toString(36)}`;
const url = new URL(server);
url.pathname = `/${name}`;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  await client.query(sql);
  await client.end();
}

await admin(`create database ${name}`);
const logger = createLogger({ level: 'warn' });
const app = await startApp(
  loadConfig({ DATABASE_URL: url.toString(), HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', PROMPTS_DIR: 'prompts', SESSION_SECRET: 'bench-session-secret-0123456789' }),
  logger,
  'all',
);
try {
  const seeded = performance.now();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query((await readFile(new URL('./admin-seed.sql', import.meta.url), 'utf8')).replace(/\$1::int/g, String(Math.ceil(messages / 10))));
  const counts = (await client.query('select (select count(*) from message) as messages, (select count(*) from conversation) as conversations')).rows[0];
  const someConversation = (await client.query('select id from conversation order by id desc limit 1')).rows[0].id;
  await client.end();
  console.log(`seeded ${counts.messages} messages in ${counts.conversations} conversations in ${Math.round(performance.now() - seeded)} ms`);
  await seedAdmin(url.toString(), 'bench', 'bench password');

  const http = new AdminClient(app.info.url ?? '');
  await http.login('bench', 'bench password');
  const pages = [
    '/admin/conversations',
    '/admin/conversations?page=50',
    '/admin/conversations?q=%D0%B4%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B0',
    '/admin/conversations?person=yes&channel=telegram',
    `/admin/conversations/${someConversation}`,
    '/admin/conversations.csv',
    '/admin/analytics',
    '/admin/analytics?days=7',
    '/admin/analytics/unanswered.csv',
    '/admin/operators',
    '/admin/status',
    '/admin/queues',
  ];
  console.log('page | status | bytes | first ms | median of 5 ms');
  for (const page of pages) {
    const times: number[] = [];
    let last = { status: 0, body: '' };
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      last = await http.get(page);
      times.push(performance.now() - started);
    }
    const warm = times.slice(1).sort((a, b) => a - b);
    console.log(`${page} | ${last.status} | ${last.body.length} | ${times[0]!.toFixed(0)} | ${warm[2]!.toFixed(0)}`);
  }
} finally {
  await app.stop();
  await admin(`drop database if exists ${name} with (force)`);
}
