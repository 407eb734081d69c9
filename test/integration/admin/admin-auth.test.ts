/** The panel's gate: login, its limit, CSRF, session expiry and logout, over a real socket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, seedAdmin } from '../../support/admin-client.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const SECRET = 'test-session-secret-0123456789abcdef';
const PASSWORD = 'correct horse battery';

/** Every route of the panel that must not answer without a session (method, path). */
const PROTECTED: Array<[string, string]> = [
  ['GET', '/admin'],
  ['GET', '/admin/'],
  ['GET', '/admin/conversations'],
  ['GET', '/admin/conversations?q=x'],
  ['GET', '/admin/conversations/1'],
  ['GET', '/admin/conversations.csv'],
  ['GET', '/admin/analytics'],
  ['GET', '/admin/analytics/unanswered.csv'],
  ['GET', '/admin/status'],
  ['GET', '/admin/operators'],
  ['GET', '/admin/queues'],
  ['GET', '/admin/queues/api/queues'],
  ['GET', '/admin/assets/analytics.js'],
  ['GET', '/admin/assets/chart.umd.min.js'],
  ['GET', '/admin/no-such-page'],
  ['POST', '/admin/logout'],
  ['POST', '/admin/operators/12345/approve'],
  ['POST', '/admin/operators/12345/disable'],
];

describe('admin panel login', () => {
  let db: ScratchDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createScratchDatabase('admin_auth');
    app = await startTestApp('postgres+redis', { DATABASE_URL: db.url, SESSION_SECRET: SECRET });
    await seedAdmin(db.url, 'alice', PASSWORD);
    // Conversation 1 exists, so its transcript is a page with data.
    const sent = await fetch(`${app.url}/api/v1/gpt`, {
      method: 'POST',
      headers: { 'chat-token': 'admin-auth-visitor-0001', 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Здравствуйте' }),
    });
    expect(sent.status).toBe(201);
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('sends every admin route to the login form without a session, with no data in the answer', async () => {
    const client = new AdminClient(app.url);
    for (const [method, path] of PROTECTED) {
      const response = await client.request(method, path, method === 'POST' ? { _csrf: 'x' } : undefined);
      expect.soft(response.status, `${method} ${path}`).toBeOneOf([303, 403]);
      if (response.status === 303) expect.soft(response.location, `${method} ${path}`).toMatch(/^\/admin\/login/);
      expect.soft(response.body.length, `${method} ${path}`).toBeLessThan(200);
    }
  });

  it('lets a logged-in admin open every page', async () => {
    const client = new AdminClient(app.url);
    const login = await client.login('alice', PASSWORD);
    expect(login.status).toBe(303);
    expect(login.location).toBe('/admin/');

    for (const [, path] of PROTECTED.filter(([m, p]) => m === 'GET' && !p.includes('no-such-page'))) {
      const response = await client.get(path);
      expect.soft(response.status, path).toBe(path === '/admin' || path === '/admin/' ? 303 : 200);
    }
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, scoped to /admin, and Secure behind an HTTPS proxy', async () => {
    const client = new AdminClient(app.url);

    const page = await client.get('/admin/login', { 'x-forwarded-proto': 'https' });

    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^admin\.sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain('Secure');
  });

  it('refuses a login form posted without its CSRF token and logs nobody in', async () => {
    const client = new AdminClient(app.url);
    await client.get('/admin/login');

    const response = await client.request('POST', '/admin/login', { username: 'alice', password: PASSWORD });

    expect(response.status).toBe(403);
    expect((await client.get('/admin/conversations')).status).toBe(303);
  });

  it('refuses a logout posted with a wrong CSRF token and keeps the session', async () => {
    const client = new AdminClient(app.url);
    await client.login('alice', PASSWORD);

    const response = await client.request('POST', '/admin/logout', { _csrf: 'forged' });

    expect(response.status).toBe(403);
    expect((await client.get('/admin/conversations')).status).toBe(200);
  });

  it('after 5 failed attempts refuses even the right password from that address (429)', async () => {
    const client = new AdminClient(app.url);
    for (let i = 0; i < 5; i++) expect((await client.login('alice', `wrong-${i}`)).status).toBe(401);

    const blocked = await client.login('alice', PASSWORD);
    const other = await new AdminClient(app.url).login('alice', PASSWORD);

    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(other.status).toBe(303);
  });

  it('sends an admin whose session expired back to the login form', async () => {
    const client = new AdminClient(app.url);
    await client.login('alice', PASSWORD);
    expect((await client.get('/admin/status')).status).toBe(200);

    const sid = decodeURIComponent(client.cookie!.split('=')[1]!).slice(2).split('.')[0];
    await db.query(`update admin_session set expire = now() - interval '1 second' where sid = $1`, [sid]);

    const response = await client.get('/admin/status');
    expect(response.status).toBe(303);
    expect(response.location).toBe('/admin/login?next=%2Fadmin%2Fstatus');
  });

  it('ends the session on logout: the old cookie opens nothing', async () => {
    const client = new AdminClient(app.url);
    await client.login('alice', PASSWORD);
    const cookie = client.cookie;
    await client.get('/admin/status');

    const logout = await client.post('/admin/logout', {});
    client.cookie = cookie;

    expect(logout.status).toBe(303);
    expect((await client.get('/admin/status')).status).toBe(303);
  });

  it('keeps a login valid on another api process that never saw it, as after a restart (sessions live in PostgreSQL)', async () => {
    const client = new AdminClient(app.url);
    await client.login('alice', PASSWORD);
    const other = await startTestApp('postgres+redis', { DATABASE_URL: db.url, SESSION_SECRET: SECRET }, { role: 'api' });
    try {
      const there = new AdminClient(other.url, client.address);
      there.cookie = client.cookie;

      expect((await there.get('/admin/status')).status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});
