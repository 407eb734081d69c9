/** The Conversations list (filters, text search, CSV export) and the transcript of one conversation. */
import { Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import { conversationFilterSchema, exportConversations, listConversations, loadTranscript, type ConversationFilter } from './conversation-queries.js';
import { renderPage } from './render.js';

/** The most rows one CSV export holds. */
export const CSV_ROW_LIMIT = 50_000;

function parseFilter(query: unknown): { filter?: ConversationFilter; error?: string } {
  const parsed = conversationFilterSchema.safeParse(query);
  if (parsed.success) return { filter: parsed.data };
  return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** A query string of the filters, for links to other pages and the export. */
function filterQuery(filter: ConversationFilter, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['channel', 'state', 'from', 'to', 'person', 'q'] as const) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createConversationRoutes(deps: { orm: MikroORM }): Router {
  const router = Router();

  router.get('/conversations', async (req, res) => {
    const { filter, error } = parseFilter(req.query);
    if (!filter) return void res.status(400).type('text').send(`Invalid filter: ${error}`);
    const { rows, more } = await listConversations(deps.orm.em.fork(), filter);
    renderPage(req, res, 'conversations', {
      filter,
      rows,
      page: filter.page,
      prev: filter.page > 1 ? `/admin/conversations${filterQuery(filter, filter.page - 1)}` : null,
      next: more ? `/admin/conversations${filterQuery(filter, filter.page + 1)}` : null,
      csv: `/admin/conversations.csv${filterQuery(filter)}`,
    });
  });

  router.get('/conversations.csv', async (req, res) => {
    const { filter, error } = parseFilter(req.query);
    if (!filter) return void res.status(400).type('text').send(`Invalid filter: ${error}`);
    const rows = await exportConversations(deps.orm.em.fork(), filter, CSV_ROW_LIMIT);
    const csv = stringify(
      rows.map((r) => [r.id, r.channel, r.who, r.state, r.createdAt.toISOString(), r.lastMessageAt?.toISOString() ?? '', r.messages, r.neededPerson ? 'yes' : 'no']),
      { header: true, columns: ['id', 'channel', 'customer', 'state', 'created_at', 'last_message_at', 'messages', 'needed_person'] },
    );
    res.type('text/csv; charset=utf-8').attachment('conversations.csv').send(`\uFEFF${csv}`);
  });

  router.get('/conversations/:id', async (req, res) => {
    if (!/^\d{1,18}$/.test(req.params.id)) return void res.status(400).type('text').send('conversation id must be a number');
    const transcript = await loadTranscript(deps.orm.em.fork(), req.params.id);
    if (!transcript) return void res.status(404).type('text').send(`no conversation ${req.params.id}`);
    renderPage(req, res, 'transcript', transcript);
  });
  return router;
}
