/**
 * The embeddable widget at `/widget.js`, and the demo shop page at `/` (also `/widget`), which
 * embeds it exactly as a customer's site would: one script tag. The page is the "customer's site",
 * so its own words are the demo shop's, not the bot's; every text the widget shows comes from
 * messages.yml through /api/v1/widget/config.
 */
import { readFileSync } from 'node:fs';
import express, { type Router } from 'express';
import { buildWidget } from './widget/build.js';

const shopPage = readFileSync(new URL('./demo-shop.html', import.meta.url), 'utf8');

export function createWidgetRoutes(): Router {
  const router = express.Router();
  // Built once, at start-up (about 50 ms); a compile error shows as a 500 on /widget.js.
  const script = buildWidget();
  script.catch(() => undefined);

  router.get('/widget.js', async (_req, res) => {
    const code = await script;
    res.set('Cache-Control', 'public, max-age=300');
    // Any site may load it; the chat API's own CORS setting decides which sites may talk to it.
    res.set('Cross-Origin-Resource-Policy', 'cross-origin');
    res.type('application/javascript').send(code);
  });
  router.get(['/', '/widget', '/widget/'], (_req, res) => {
    res.type('html').send(shopPage);
  });
  return router;
}
