/**
 * End to end: a visitor's question goes through the whole app to the (fake) YandexGPT, whose
 * recorded request must carry the matching offers of the catalog in its system prompt, and not
 * unrelated ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeYandexGpt, type FakeYandexGpt } from '../../fakes/fake-yandex-gpt.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let fake: FakeYandexGpt;
let app: TestApp;

beforeAll(async () => {
  fake = await startFakeYandexGpt();
  app = await startTestApp('postgres+redis', { YANDEX_API_KEY: 'test-key', YANDEX_FOLDER_ID: 'b1gtestfolder', YANDEX_GPT_BASE_URL: fake.url, PROMPTS_DIR: 'prompts' });
});

afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('a question about products', () => {
  it('reaches the model with the blue plotter films of the catalog in the system prompt, and not unrelated offers', async () => {
    const token = `grounded${Math.random().toString(36).slice(2, 14)}`;

    const response = await fetch(`${app.url}/api/v1/gpt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'chat-token': token },
      body: JSON.stringify({ message: 'синие пленки для плоттера' }),
    });

    expect(response.status).toBe(201);
    const [request] = await fake.waitForRequests(1, 15_000);
    const system = request!.body!.messages.find((m) => m.role === 'system')!.text;
    for (const id of ['oracal-641-g-051-126', 'oracal-641-g-050-126', 'oracal-641-g-049-126']) {
      expect(system).toContain(`https://www.vink.ru/catalog/${id}/`);
    }
    expect(system).not.toMatch(/Баннер|Чернила|принтер Mimaki|Вспененный ПВХ|Roll-up/);
    expect(system).not.toMatch(/\{\{\w+\}\}/);
    expect(request!.body!.messages.at(-1)).toEqual({ role: 'user', text: 'синие пленки для плоттера' });
  });
});
