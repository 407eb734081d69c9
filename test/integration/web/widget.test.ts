/** The demo shop page at / embeds the widget exactly as a customer's site would; /widget.js is served. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/test-app.js';

describe('demo shop page and widget script', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('postgres+redis');
  });
  afterAll(() => app.stop());

  it('is served at / and /widget as HTML that embeds the widget with one script tag', async () => {
    for (const path of ['/', '/widget', '/widget/']) {
      const response = await fetch(`${app.url}${path}`);
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script src="/widget.js" async>']);
    }
  });

  it('serves /widget.js as JavaScript that any site may load', async () => {
    const response = await fetch(`${app.url}/widget.js`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await response.text()).length).toBeGreaterThan(1000);
  });
});
