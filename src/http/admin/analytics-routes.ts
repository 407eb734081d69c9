/** The Analytics page (charts drawn in the browser by Chart.js) and its CSV export of unanswered questions. */
import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Clock } from '../../core/ports.js';
import { loadAnalytics, loadUnanswered, UNANSWERED_LIMIT } from './analytics-queries.js';
import { groupQuestions } from './group-questions.js';
import { jsonForScript, renderPage } from './render.js';

export interface AnalyticsRouteOptions {
  /** Price of 1,000 tokens, for the estimated cost. */
  pricePer1000Tokens: number;
  /** The currency `pricePer1000Tokens` is in, as shown. */
  currency: string;
}

const periodSchema = z.object({ days: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(366).default(30)) });

/** Start of the UTC day `days - 1` days before today. */
function sinceOf(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * 86_400_000);
}

export function createAnalyticsRoutes(deps: { orm: MikroORM; clock: Clock }, options: AnalyticsRouteOptions): Router {
  const router = Router();

  router.get('/analytics', async (req, res) => {
    const period = periodSchema.safeParse(req.query);
    if (!period.success) return void res.status(400).type('text').send('days must be a whole number from 1 to 366');
    const now = deps.clock.now();
    const since = sinceOf(now, period.data.days);
    const em = deps.orm.em.fork();
    const [analytics, unanswered] = await Promise.all([
      loadAnalytics(em, { since, pricePer1000Tokens: options.pricePer1000Tokens }, now),
      loadUnanswered(em.fork(), since),
    ]);
    const groups = groupQuestions(unanswered);
    renderPage(req, res, 'analytics', {
      days: period.data.days,
      analytics,
      chartData: jsonForScript({ ...analytics, currency: options.currency }),
      groups: groups.slice(0, 200),
      groupCount: groups.length,
      questionCount: unanswered.length,
      capped: unanswered.length >= UNANSWERED_LIMIT,
      currency: options.currency,
    });
  });

  router.get('/analytics/unanswered.csv', async (req, res) => {
    const period = periodSchema.safeParse(req.query);
    if (!period.success) return void res.status(400).type('text').send('days must be a whole number from 1 to 366');
    const groups = groupQuestions(await loadUnanswered(deps.orm.em.fork(), sinceOf(deps.clock.now(), period.data.days)));
    const csv = stringify(
      groups.map((g) => [g.count, g.example, Object.entries(g.reasons).map(([k, v]) => `${k}=${v}`).join(' '), g.lastAt.toISOString(), g.wordings.join(' | '), g.conversationIds.join(' ')]),
      { header: true, columns: ['count', 'question', 'reasons', 'last_asked_at', 'wordings', 'conversations'] },
    );
    res.type('text/csv; charset=utf-8').attachment('unanswered-questions.csv').send(`\uFEFF${csv}`);
  });
  return router;
}
