/**
 * The widget's routes (CONTRACT.md: history, stream, widget config, widget.js) over a real socket
 * against the whole app and the loopback YandexGPT fake. One suite, run with Redis (pub/sub) and
 * without (in-process events). Each test uses fresh visitor tokens.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoResponder, startFakeYandexGpt, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/wait-for.js';

interface HistoryBody {
  messages: Array<{ id: number; message: string; date_create: string; user: string }>;
  cursor: string;
}

const newToken = () => `visitor-${randomUUID()}`;

export function liveApiContract(label: string, overrides: Record<string, string | number | undefined>): void {
  describe(`widget API: ${label}`, () => {
    let gpt: FakeYandexGpt;
    let app: TestApp;
    const streams: SseClient[] = [];

    beforeAll(async () => {
      gpt = await startFakeYandexGpt();
      app = await startTestApp('postgres+redis', { YANDEX_API_KEY: 'test-key', YANDEX_FOLDER_ID: 'b1gtest', YANDEX_GPT_BASE_URL: gpt.url, ...overrides });
    });
    afterAll(async () => {
      for (const stream of streams) stream.close();
      await app?.stop();
      await gpt?.close();
    });

    const send = (token: string, body: unknown) =>
      fetch(`${app.url}/api/v1/gpt`, { method: 'POST', headers: { 'chat-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const history = async (token: string, query = ''): Promise<{ status: number; body: HistoryBody }> => {
      const response = await fetch(`${app.url}/api/v1/history${query}`, { headers: { 'chat-token': token } });
      return { status: response.status, body: (await response.json()) as HistoryBody };
    };
    const poll = async (token: string) =>
      ((await (await fetch(`${app.url}/api/v1/message`, { headers: { 'chat-token': token } })).json()) as { messages: Array<{ message: string }> }).messages;
    const stream = async (token: string, query = '', headers: Record<string, string> = {}) => {
      const client = await openSse(`${app.url}/api/v1/stream${query}`, token, headers);
      streams.push(client);
      return client;
    };
    const replyTo = (text: string) => `Ответ: ${text}`;

    it('lists the conversation oldest first with the visitor’s own messages, and pages by cursor', async () => {
      const token = newToken();
      await send(token, { message: 'первый' });
      await waitFor(async () => (await history(token)).body.messages.length === 2);
      await send(token, { message: 'второй' });
      await waitFor(async () => (await history(token)).body.messages.length === 4);

      const all = await history(token);
      const firstPage = await history(token, '?limit=3');
      const rest = await history(token, `?after=${firstPage.body.cursor}&limit=3`);
      const none = await history(token, `?after=${rest.body.cursor}`);

      expect(all.body.messages.map((m) => [m.user, m.message])).toEqual([
        ['CUSTOMER', 'первый'],
        ['GPT', replyTo('первый')],
        ['CUSTOMER', 'второй'],
        ['GPT', replyTo('второй')],
      ]);
      expect([...firstPage.body.messages, ...rest.body.messages]).toEqual(all.body.messages);
      expect(none.body).toEqual({ messages: [], cursor: rest.body.cursor });
    });

    it('reading the history or the stream marks nothing fetched: the original poll still gets the reply once', async () => {
      const token = newToken();
      const live = await stream(token);
      await send(token, { message: 'вопрос' });
      await live.next((e) => e.event === 'message' && e.data.includes(replyTo('вопрос')));
      await history(token);

      expect((await poll(token)).map((m) => m.message)).toEqual([replyTo('вопрос')]);
      expect(await poll(token)).toEqual([]);
    });

    it('streams the visitor’s message, "typing" while the model works, then the reply', async () => {
      const token = newToken();
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      gpt.setResponder(async (body, request) => (await released, echoResponder(body, request)));
      const live = await stream(token);
      await send(token, { message: 'про плёнку' });

      await live.next((e) => e.event === 'typing');
      release();
      await live.next((e) => e.event === 'message' && e.data.includes(replyTo('про плёнку')));
      gpt.setResponder(echoResponder);

      const kinds = live.events.map((e) => (e.event === 'message' ? (JSON.parse(e.data) as { user: string }).user : e.event));
      expect(kinds.filter((k) => k !== 'CUSTOMER')).toEqual(['typing', 'GPT']);
      expect(kinds.filter((k) => k === 'CUSTOMER')).toHaveLength(1);
    });

    it('a stream cut before the reply loses nothing: resuming with Last-Event-ID brings it once, and ?after= does the same', async () => {
      const token = newToken();
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      gpt.setResponder(async (body, request) => (await released, echoResponder(body, request)));
      const first = await stream(token);
      await send(token, { message: 'обрыв' });
      await first.next((e) => e.event === 'message');
      const cursor = first.lastId() as string;
      first.close();
      release();
      await waitFor(async () => (await history(token)).body.messages.length === 2);
      gpt.setResponder(echoResponder);

      const resumed = await stream(token, '', { 'last-event-id': cursor });
      const byQuery = await stream(token, `?after=${cursor}`);
      await resumed.next((e) => e.event === 'message');
      await byQuery.next((e) => e.event === 'message');

      expect(resumed.messages().map((m) => m.message)).toEqual([replyTo('обрыв')]);
      expect(byQuery.messages()).toEqual(resumed.messages());
    });

    it('replays the whole conversation to a stream opened without a cursor', async () => {
      const token = newToken();
      await send(token, { message: 'раньше' });
      await waitFor(async () => (await history(token)).body.messages.length === 2);

      const live = await stream(token);
      await live.next((e) => e.event === 'message' && e.data.includes('GPT'));

      expect(live.messages().map((m) => m.message)).toEqual(['раньше', replyTo('раньше')]);
      expect(live.lastId()).toBe((await history(token)).body.cursor);
    });

    it('delivers an operator’s message and «Чат окончен.» live to every open stream of the visitor', async () => {
      const token = newToken();
      await send(token, { message: 'позовите человека' });
      await waitFor(async () => (await history(token)).body.messages.length === 2);
      const [tabA, tabB] = [await stream(token, `?after=${(await history(token)).body.cursor}`), await stream(token, `?after=${(await history(token)).body.cursor}`)];
      const conversationId = (await app.deps.store.accept({ address: { channel: 'web', chatId: token }, externalId: randomUUID(), text: 'ещё', at: new Date() })).conversation.id;

      for (const [text, kind] of [['Здравствуйте, я Ольга', 'operator'], ['Чат окончен.', 'notice']] as const) {
        const stored = await app.deps.store.addOutbound(conversationId, text, 'OPERATOR', kind);
        await app.deps.outboxes.web?.deliver({ channel: 'web', chatId: token }, { kind: 'reply', messageId: stored.id, text, author: 'OPERATOR' });
      }
      for (const tab of [tabA, tabB]) await tab.next((e) => e.event === 'message' && e.data.includes('Чат окончен.'));

      for (const tab of [tabA, tabB]) {
        expect(tab.messages().map((m) => [m.user, m.message])).toEqual([
          ['CUSTOMER', 'ещё'],
          ['OPERATOR', 'Здравствуйте, я Ольга'],
          ['OPERATOR', 'Чат окончен.'],
        ]);
      }
    });

    it('sends a message with ask_for_person down the handoff path, whatever it says', async () => {
      const token = newToken();
      const requestsBefore = gpt.requests.length;

      const response = await send(token, { message: 'добрый день', ask_for_person: true });
      await waitFor(async () => (await history(token)).body.messages.length === 2);

      expect(response.status).toBe(201);
      expect((await history(token)).body.messages[1]?.message).toContain(app.deps.knowledge.text('no_operator'));
      expect(gpt.requests.length).toBe(requestsBefore);
    });

    it('refuses a malformed ask_for_person, cursor or limit with 400 and stores nothing', async () => {
      const token = newToken();

      const badPerson = await send(token, { message: 'привет', ask_for_person: 'да' });
      const badCursor = await history(token, '?after=not-ours');
      const badLimit = await history(token, '?limit=0');
      const badStreamCursor = await fetch(`${app.url}/api/v1/stream`, { headers: { 'chat-token': token, 'last-event-id': '12' } });
      const noToken = await fetch(`${app.url}/api/v1/history`);

      expect([badPerson.status, badCursor.status, badLimit.status, badStreamCursor.status, noToken.status]).toEqual([400, 400, 400, 400, 400]);
      expect((await history(token)).body.messages).toEqual([]);
    });

    it('serves the widget’s texts from messages.yml and the widget script', async () => {
      const config = (await (await fetch(`${app.url}/api/v1/widget/config`)).json()) as { texts: Record<string, string>; options: Record<string, number> };
      const script = await fetch(`${app.url}/widget.js`);

      expect(config.texts.widget_person).toBe(app.deps.knowledge.text('widget_person'));
      expect(config.texts.greeting).toBe(app.deps.knowledge.text('greeting'));
      expect(config.options.maxMessageChars).toBeGreaterThan(0);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toMatch(/^application\/javascript/);
      expect(await script.text()).toContain('attachShadow');
    });
  });
}
