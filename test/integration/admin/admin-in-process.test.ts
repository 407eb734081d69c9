/** Without REDIS_URL the queue dashboard is a page of the in-process queues' counts, behind the same login. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, seedAdmin } from '../../support/admin-client.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

describe('admin panel without Redis', () => {
  let db: ScratchDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createScratchDatabase('admin_in_process');
    app = await startTestApp('postgres+redis', { DATABASE_URL: db.url, REDIS_URL: undefined, SESSION_SECRET: 'test-session-secret-0123456789abcdef' });
    await seedAdmin(db.url, 'alice', 'correct horse battery');
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('sends /admin/queues to the login form, then shows the in-process queues with their counts', async () => {
    const client = new AdminClient(app.url);
    expect((await client.get('/admin/queues')).status).toBe(303);

    await client.login('alice', 'correct horse battery');
    const page = await client.get('/admin/queues');

    expect(page.status).toBe(200);
    expect(page.body).toContain('Queues (in-process)');
    expect(page.body).toMatch(/<tr><td>replies<\/td>\s*<td>0<\/td><td>0<\/td><td>0<\/td><td>0<\/td>/);
  });
});
