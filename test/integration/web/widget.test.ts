/** The demo chat page: served at / with the texts of messages.yml, escaped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

describe('demo chat page', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('postgres+redis');
  });
  afterAll(() => app.stop());

  it('is served at / and /widget as HTML with the widget texts of messages.yml', async () => {
    for (const path of ['/', '/widget']) {
      const response = await fetch(`${app.url}${path}`);
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html).toContain(`<title>${app.deps.knowledge.text('widget_title')}</title>`);
      expect(html).toContain(`placeholder="${app.deps.knowledge.text('widget_placeholder')}"`);
      expect(html).toContain(JSON.stringify(app.deps.knowledge.text('finished')));
      expect(html).not.toMatch(/\{\{\w+\}\}/);
    }
  });

  it('talks to the chat API on the same server', async () => {
    const html = await (await fetch(app.url)).text();

    expect(html).toContain("fetch('api/v1/gpt'");
    expect(html).toContain("fetch('api/v1/message'");
  });
});
