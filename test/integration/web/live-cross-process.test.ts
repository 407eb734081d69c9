/**
 * Scaled out: the visitor's stream is held by an api process and the reply is written by a worker
 * process (two apps sharing PostgreSQL and a Redis prefix); Redis pub/sub carries the event between them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeYandexGpt, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/scratch-database.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';

describe('widget stream across processes', () => {
  let gpt: FakeYandexGpt;
  let scratch: ScratchDatabase;
  let api: TestApp;
  let worker: TestApp;
  let live: SseClient | undefined;

  beforeAll(async () => {
    gpt = await startFakeYandexGpt();
    scratch = await createScratchDatabase('live');
    const shared = {
      DATABASE_URL: scratch.url,
      BULLMQ_PREFIX: `test-${inject('runId')}-live-${randomUUID().slice(0, 6)}`,
      YANDEX_API_KEY: 'test-key',
      YANDEX_FOLDER_ID: 'b1gtest',
      YANDEX_GPT_BASE_URL: gpt.url,
    };
    api = await startTestApp('postgres+redis', shared, { role: 'api' });
    worker = await startTestApp('postgres+redis', shared, { role: 'worker' });
  });
  afterAll(async () => {
    live?.close();
    await api?.stop();
    await worker?.stop();
    await scratch?.drop();
    await gpt?.close();
  });

  it('a reply written by the worker reaches the stream the api process holds, with typing before it', async () => {
    const token = `visitor-${randomUUID()}`;
    live = await openSse(`${api.url}/api/v1/stream`, token);

    const posted = await fetch(`${api.url}/api/v1/gpt`, {
      method: 'POST',
      headers: { 'chat-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'через воркер' }),
    });
    await live.next((e) => e.event === 'message' && e.data.includes('"GPT"'));

    expect(posted.status).toBe(201);
    expect(live.messages().map((m) => [m.user, m.message])).toEqual([
      ['CUSTOMER', 'через воркер'],
      ['GPT', 'Ответ: через воркер'],
    ]);
    const typingAt = live.events.findIndex((e) => e.event === 'typing');
    expect(typingAt).toBeGreaterThanOrEqual(0);
    expect(typingAt).toBeLessThan(live.events.findIndex((e) => e.data.includes('"GPT"')));
  });

  it('stopping the api process ends its open streams instead of waiting for them', async () => {
    const open = await openSse(`${api.url}/api/v1/stream`, `visitor-${randomUUID()}`);

    await api.stop();

    await waitFor(() => open.ended(), 5000, { what: 'the stream ended by the server' });
    expect(open.status).toBe(200);
  });
});
