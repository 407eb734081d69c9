/**
 * The Operators page: who registered, who is approved or disabled, who is on duty and which
 * conversations they have open; approve and disable run the core's use cases (the same the
 * `operators approve|disable` commands run), never a write to the table.
 */
import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { approveOperator, stopOperator } from '../../core/desk.js';
import type { CoreDeps } from '../../core/ports.js';
import { HandoffEntity, OperatorEntity } from '../../db/entities.js';
import { describeCustomer } from './conversation-queries.js';
import { renderPage } from './render.js';

const ORDER = { pending: 0, approved: 1, disabled: 2 } as const;

export function createOperatorRoutes(deps: { orm: MikroORM; core: CoreDeps }): Router {
  const router = Router();

  router.get('/operators', async (req, res) => {
    const em = deps.orm.em.fork();
    const [operators, open] = await Promise.all([
      em.find(OperatorEntity, {}, { orderBy: { createdAt: 'asc' } }),
      em.find(HandoffEntity, { state: { $in: ['requested', 'offered', 'accepted'] } }, { populate: ['conversation'], orderBy: { requestedAt: 'asc' } }),
    ]);
    const byOperator = new Map<string, Array<{ conversationId: string; who: string; since: Date; reason: string }>>();
    const waiting: Array<{ conversationId: string; who: string; since: Date; reason: string; state: string }> = [];
    for (const h of open) {
      const item = { conversationId: h.conversation.id, who: describeCustomer(h.conversation), since: h.acceptedAt ?? h.requestedAt, reason: h.reason };
      if (h.state === 'accepted' && h.operator) {
        const list = byOperator.get(h.operator.id) ?? [];
        list.push(item);
        byOperator.set(h.operator.id, list);
      } else waiting.push({ ...item, state: h.state });
    }
    const rows = operators
      .sort((a, b) => ORDER[a.status] - ORDER[b.status])
      .map((o) => ({
        telegramUserId: o.telegramUserId,
        name: [o.name, o.username ? `@${o.username}` : null].filter(Boolean).join(' ') || '—',
        status: o.status,
        onDuty: o.onDuty,
        since: o.createdAt,
        open: byOperator.get(o.id) ?? [],
      }));
    const done = typeof req.query.done === 'string' && /^(approved|disabled|unknown):\d{1,20}$/.test(req.query.done) ? req.query.done.split(':') : null;
    renderPage(req, res, 'operators', { rows, waiting, done });
  });

  const act = (action: 'approve' | 'disable') =>
    router.post(`/operators/:telegramUserId/${action}`, async (req, res) => {
      const id = req.params.telegramUserId;
      if (!/^\d{1,20}$/.test(id)) return void res.status(400).type('text').send('telegram user id must be digits');
      const operator = action === 'approve' ? await approveOperator(deps.core, id) : await stopOperator(deps.core, id, 'disabled');
      deps.core.logger.info({ telegramUserId: id, admin: req.session.admin?.username, action }, 'operator changed in the admin panel');
      res.redirect(303, `/admin/operators?done=${operator ? (action === 'approve' ? 'approved' : 'disabled') : 'unknown'}:${id}`);
    });
  act('approve');
  act('disable');
  return router;
}
