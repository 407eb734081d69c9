/**
 * The Status page: queue depths, the model's answers, errors and latency over the last hour
 * (from the stored replies, so every process's work counts), the same since this process
 * started (from its Prometheus registry), the catalog's last load, and each bot's state.
 */
import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Registry } from 'prom-client';
import type { CatalogStatus } from '../../knowledge/index.js';
import type { QueueDepth } from '../../queue/job-backend.js';
import { renderPage } from './render.js';

/** A queue the panel shows. */
export interface WatchedQueue {
  name: string;
  depth(): Promise<QueueDepth>;
}

/** One bot's state as its channel reports it; `details` are shown as label/value rows. */
export interface BotStatus {
  name: string;
  details: Record<string, string | number | boolean | null>;
}

export interface StatusSources {
  queues: WatchedQueue[];
  catalog(): CatalogStatus;
  registry: Registry;
  /** Each configured bot's state (Telegram getWebhookInfo or the poller's state). */
  bots(): Promise<BotStatus[]>;
  /** What the model is: `yandexgpt-lite/latest`, or offline. */
  model: string;
}

/** Queue depths, or the error that kept one from answering. */
export async function readQueues(queues: WatchedQueue[]): Promise<Array<{ name: string; depth?: QueueDepth; error?: string }>> {
  return Promise.all(
    queues.map(async (q) => {
      try {
        return { name: q.name, depth: await q.depth() };
      } catch (error) {
        return { name: q.name, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

async function modelLastHour(orm: MikroORM): Promise<Record<string, number | null>> {
  const rows = await orm.em.fork().getConnection().execute<Array<Record<string, unknown>>>(
    `select count(*) filter (where r.kind = 'answer')::int as answers,
            count(*) filter (where r.kind = 'fallback')::int as fallbacks,
            count(*) filter (where r.kind = 'offline')::int as offline,
            percentile_cont(0.5) within group (order by extract(epoch from r.created_at - q.created_at)) filter (where r.kind = 'answer') as p50,
            percentile_cont(0.9) within group (order by extract(epoch from r.created_at - q.created_at)) filter (where r.kind = 'answer') as p90
     from message r join message q on q.id = r.reply_to_id
     where r.reply_to_id is not null and r.author = 'GPT' and r.created_at >= now() - interval '1 hour'`,
    [],
    'all',
  );
  const r = rows[0] ?? {};
  const answers = Number(r.answers ?? 0);
  const fallbacks = Number(r.fallbacks ?? 0);
  return {
    answers,
    fallbacks,
    offline: Number(r.offline ?? 0),
    errorRate: answers + fallbacks ? Math.round((fallbacks / (answers + fallbacks)) * 1000) / 10 : null,
    p50: r.p50 === null || r.p50 === undefined ? null : Math.round(Number(r.p50) * 100) / 100,
    p90: r.p90 === null || r.p90 === undefined ? null : Math.round(Number(r.p90) * 100) / 100,
  };
}

/** Model calls made by this process since it started, from the Prometheus histogram. */
async function modelSinceStart(registry: Registry): Promise<Array<{ outcome: string; calls: number; meanSeconds: number | null }>> {
  const metric = registry.getSingleMetric('llm_request_duration_seconds');
  if (!metric) return [];
  const values = (await metric.get()).values;
  const outcomes = new Map<string, { calls: number; sum: number }>();
  for (const v of values) {
    const outcome = String(v.labels.outcome ?? '');
    const entry = outcomes.get(outcome) ?? { calls: 0, sum: 0 };
    // Histogram values carry their series name (`…_count`, `…_sum`), not declared in MetricValue.
    const series = (v as { metricName?: string }).metricName ?? '';
    if (series.endsWith('_count')) entry.calls = v.value;
    if (series.endsWith('_sum')) entry.sum = v.value;
    outcomes.set(outcome, entry);
  }
  return [...outcomes].map(([outcome, e]) => ({ outcome, calls: e.calls, meanSeconds: e.calls ? Math.round((e.sum / e.calls) * 100) / 100 : null }));
}

export function createStatusRoutes(deps: { orm: MikroORM; sources: StatusSources }): Router {
  const router = Router();
  router.get('/status', async (req, res) => {
    const [queues, lastHour, sinceStart, bots] = await Promise.all([
      readQueues(deps.sources.queues),
      modelLastHour(deps.orm),
      modelSinceStart(deps.sources.registry),
      deps.sources.bots().catch((error: unknown) => [{ name: 'bots', details: { error: error instanceof Error ? error.message : String(error) } }]),
    ]);
    renderPage(req, res, 'status', { queues, lastHour, sinceStart, bots, catalog: deps.sources.catalog(), model: deps.sources.model });
  });
  return router;
}
