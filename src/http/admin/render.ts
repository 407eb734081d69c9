/**
 * Server-rendered pages (eta templates in ./views, escaped by default). Every admin page gets a
 * strict Content-Security-Policy: scripts only from /admin/assets, so data shown in a page (a
 * customer's message) cannot run as code even if escaping were missed.
 */
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';
import { Eta } from 'eta';

const eta = new Eta({ views: fileURLToPath(new URL('./views', import.meta.url)), cache: true });

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers every admin response gets: no caching of data, no framing, no MIME sniffing. */
export function setAdminHeaders(res: Response): void {
  res.set('Cache-Control', 'no-store');
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('X-Frame-Options', 'DENY');
  res.set('Referrer-Policy', 'same-origin');
}

/** Renders `view` inside the layout with the logged-in user, the CSRF token and the active menu item. */
export function renderPage(req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200): void {
  res.set('Content-Security-Policy', CSP);
  const html = eta.render(view, {
    ...data,
    admin: req.session.admin,
    csrfToken: req.csrfToken?.() ?? '',
    path: req.baseUrl + req.path,
  });
  res.status(status).type('html').send(html);
}

/** JSON for an inline `<script type="application/json">`: `<` escaped so no text can close the tag. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
