/**
 * A demo chat page at `/` (also `/widget`), speaking the original front end's protocol against
 * this server, so someone trying the bot after `npm start` has something to talk to. Its texts
 * come from messages.yml on every request, so edits show without a restart.
 */
import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';

const template = readFileSync(new URL('./widget.html', import.meta.url), 'utf8');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
/** JSON inside a <script>: `<` escaped so a text cannot close the script element. */
const scriptJson = (text: string) => JSON.stringify(text).replace(/</g, '\\u003c');

export function createWidgetRoutes(text: (key: string) => string, maxMessageChars: number): Router {
  const router = express.Router();
  router.get(['/', '/widget', '/widget/'], (_req, res) => {
    const values: Record<string, string> = {
      widget_title: escapeHtml(text('widget_title')),
      widget_placeholder: escapeHtml(text('widget_placeholder')),
      widget_send: escapeHtml(text('widget_send')),
      greeting: escapeHtml(text('greeting')),
      max_chars: String(maxMessageChars),
      finished_json: scriptJson(text('finished')),
      fallback_json: scriptJson(text('fallback')),
    };
    res.type('html').send(template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole));
  });
  return router;
}
