/** Prometheus metrics of one app instance (its own registry: two apps can share a test process). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CoreMetrics } from '../core/ports.js';
import type { QueueDepth } from '../queue/job-backend.js';

export interface AppMetrics {
  registry: Registry;
  core: CoreMetrics;
  /** Times every request by its route pattern (not its URL: tokens and ids stay out of labels). */
  httpMiddleware: RequestHandler;
  /** Times one request under a route label (the fast lane's requests, which skip the middleware). */
  timeHttp(req: IncomingMessage, res: ServerResponse, route: string): void;
  /** Counts a Telegram update recorded as failed and skipped. */
  telegramUpdateSkipped(): void;
  /** Queue depth is read when scraped. */
  watchQueue(name: string, depth: () => Promise<QueueDepth>): void;
  /** Conversations waiting for a person, read when scraped. */
  watchWaiting(count: () => Promise<number>): void;
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const model = new Histogram({
    name: 'llm_request_duration_seconds',
    help: 'YandexGPT completion latency',
    labelNames: ['outcome'],
    buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [registry],
  });
  const tokens = new Counter({ name: 'llm_tokens_total', help: 'Tokens used, by direction', labelNames: ['direction'], registers: [registry] });
  const modelErrors = new Counter({ name: 'llm_errors_total', help: 'Failed model calls', registers: [registry] });
  const replies = new Counter({ name: 'replies_total', help: 'Replies stored, by kind', labelNames: ['kind'], registers: [registry] });
  const skippedUpdates = new Counter({
    name: 'telegram_updates_failed_total',
    help: 'Telegram updates that failed repeatedly, were recorded in telegram_failed_update and skipped',
    registers: [registry],
  });
  const handoffs = new Counter({
    name: 'handoffs_total',
    help: 'Handoff events by reason and outcome (requested, unavailable, accepted, finished, expired, released)',
    labelNames: ['reason', 'outcome'],
    registers: [registry],
  });
  const acceptSeconds = new Histogram({
    name: 'handoff_accept_seconds',
    help: 'Time from a request for a person to an operator taking it',
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800],
    registers: [registry],
  });
  const observe = (method: string, route: string, status: number, started: number) =>
    http.observe({ method, route, status: String(status) }, (performance.now() - started) / 1000);
  const queues = new Map<string, () => Promise<QueueDepth>>();
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs in a queue, by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const [name, depth] of queues) {
        const counts = await depth().catch(() => undefined);
        if (!counts) continue;
        for (const [state, value] of Object.entries(counts)) this.set({ queue: name, state }, value);
      }
    },
  });

  let waitingCount: (() => Promise<number>) | undefined;
  new Gauge({
    name: 'conversations_waiting_operator',
    help: 'Requests for a person nobody has taken yet',
    registers: [registry],
    async collect() {
      const value = await waitingCount?.().catch(() => undefined);
      if (value !== undefined) this.set(value);
    },
  });
  return {
    registry,
    core: {
      modelCall(outcome, seconds, usage) {
        model.observe({ outcome }, seconds);
        if (outcome === 'error') modelErrors.inc();
        if (usage) {
          tokens.inc({ direction: 'input' }, usage.inputTokens);
          tokens.inc({ direction: 'output' }, usage.outputTokens);
        }
      },
      reply(kind) {
        replies.inc({ kind });
      },
      handoff(reason, outcome) {
        handoffs.inc({ reason, outcome });
      },
      handoffAccepted(seconds) {
        acceptSeconds.observe(seconds);
      },
    },
    httpMiddleware(req, res, next) {
      const started = performance.now();
      res.on('finish', () => {
        const route = req.route?.path;
        const label = Array.isArray(route) ? String(route[0]) : typeof route === 'string' ? route : 'unmatched';
        observe(req.method, `${req.baseUrl}${label}`, res.statusCode, started);
      });
      next();
    },
    timeHttp(req, res, route) {
      const started = performance.now();
      res.on('finish', () => observe(req.method ?? 'GET', route, res.statusCode, started));
    },
    telegramUpdateSkipped() {
      skippedUpdates.inc();
    },
    watchQueue(name, depth) {
      queues.set(name, depth);
    },
    watchWaiting(count) {
      waitingCount = count;
    },
  };
}
