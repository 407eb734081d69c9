/**
 * /admin/queues: bull-board (read-only) over the BullMQ queues when Redis is configured; on the
 * embedded defaults, a page with the in-process queues' counts. Read-only because bull-board's
 * own buttons post JSON outside our CSRF-protected forms, and retrying or removing jobs by hand
 * is not something the panel should do around the core.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Router } from 'express';
import { renderPage } from './render.js';
import { readQueues, type WatchedQueue } from './status-routes.js';

/** BullMQ's queues, for bull-board. */
export interface BullQueuesSource {
  names: string[];
  prefix: string;
  connect: () => Redis;
}

export function createQueueRoutes(deps: { queues: WatchedQueue[]; bull?: BullQueuesSource }): { router: Router; close(): Promise<void> } {
  const router = Router();
  if (!deps.bull) {
    router.get('/queues', async (req, res) => {
      renderPage(req, res, 'queues', { queues: await readQueues(deps.queues) });
    });
    return { router, close: async () => undefined };
  }
  const { names, prefix, connect } = deps.bull;
  const queues = names.map((name) => {
    const queue = new Queue(name, { connection: connect(), prefix });
    queue.on('error', () => undefined); // the connection logs its errors (redisConnector)
    return queue;
  });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/admin/queues');
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Support bot queues' } },
  });
  router.use('/queues', serverAdapter.getRouter() as Router);
  return {
    router,
    async close() {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
