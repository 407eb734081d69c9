/**
 * The widget's routes beside the original polling API: the conversation so far by cursor, the live
 * stream (Server-Sent Events read with fetch, so the chat-token stays in a header), and the
 * widget's texts and options. None of them marks anything fetched for GET /api/v1/message.
 */
import express, { type Request, type Router } from 'express';
import { InvalidInputError } from '../../src/core/errors.js';
import type { StoredMessage } from '../../src/core/types.js';
import { parseChatToken } from './inbound.js';
import type { WebRateLimits } from './rate-limits.js';
import { decodeCursor, encodeCursor, toHistoryItem, type StreamHub } from './stream-hub.js';

export interface LiveRoutesDeps {
  read(chatId: string, afterId: string | null, limit: number): Promise<StoredMessage[]>;
  hub: StreamHub;
  limits: WebRateLimits;
  text(key: string): string;
}

export interface LiveRoutesOptions {
  maxMessageChars: number;
}

/** The texts the widget shows, by key of messages.yml. */
export const WIDGET_TEXT_KEYS = [
  'greeting',
  'finished',
  'rate_limited',
  'widget_title',
  'widget_placeholder',
  'widget_send',
  'widget_open',
  'widget_close',
  'widget_person',
  'widget_person_message',
  'widget_typing',
  'widget_sending',
  'widget_send_failed',
  'widget_wait',
  'widget_offline',
  'widget_unread',
] as const;

const HISTORY_LIMIT_DEFAULT = 100;
const HISTORY_LIMIT_MAX = 200;

function readCursor(value: unknown, what: string): string | null {
  if (value === undefined || value === '') return null;
  const id = typeof value === 'string' ? decodeCursor(value) : undefined;
  if (id === undefined) throw new InvalidInputError('web.invalid_cursor', `${what} is not a cursor this server gave out`);
  return id;
}

function readLimit(value: unknown): number {
  if (value === undefined || value === '') return HISTORY_LIMIT_DEFAULT;
  const limit = typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= HISTORY_LIMIT_MAX)) {
    throw new InvalidInputError('web.invalid_limit', `limit must be a whole number from 1 to ${HISTORY_LIMIT_MAX}`);
  }
  return limit;
}

/**
 * @openapi
 * components:
 *   schemas:
 *     HistoryMessage:
 *       type: object
 *       required: [id, message, date_create, user]
 *       properties:
 *         id: { type: integer, description: 'the stored message id (POST /api/v1/gpt returns it for the visitor''s own messages)' }
 *         message: { type: string }
 *         date_create: { type: string, format: date-time, description: 'ISO 8601, UTC' }
 *         user: { type: string, enum: [CUSTOMER, GPT, OPERATOR] }
 * /api/v1/history:
 *   get:
 *     summary: The visitor's conversation so far, by cursor
 *     description: Oldest first, at most `limit` messages after `after`; page on with the returned `cursor` until fewer than `limit` come. Marks nothing as fetched for GET /api/v1/message.
 *     parameters:
 *       - { $ref: '#/components/parameters/ChatToken' }
 *       - { name: after, in: query, required: false, description: 'a cursor from an earlier answer or stream event; omitted: from the start', schema: { type: string } }
 *       - { name: limit, in: query, required: false, schema: { type: integer, minimum: 1, maximum: 200, default: 100 } }
 *     responses:
 *       200:
 *         description: The messages and the cursor after the last of them (the `after` given when none came)
 *         content:
 *           application/json:
 *             schema:
 *               type: object
 *               required: [messages, cursor]
 *               properties:
 *                 messages: { type: array, items: { $ref: '#/components/schemas/HistoryMessage' } }
 *                 cursor: { type: string }
 *       400: { description: Missing or malformed token, cursor or limit, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 *       429: { description: Too many requests from this address, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 * /api/v1/stream:
 *   get:
 *     summary: The visitor's messages live (Server-Sent Events)
 *     description: |
 *       Read it with fetch (the chat-token goes in a header). Each `message` event's data is one message in the history format and its `id` the cursor after it;
 *       send the last one back as `Last-Event-ID` (or `?after=`) on reconnect to resume with nothing lost or repeated. Without either, the stream starts
 *       with the whole conversation. `typing` events (data `{}`) mean the bot is writing; comment lines keep the stream open. Marks nothing as fetched for GET /api/v1/message.
 *     parameters:
 *       - { $ref: '#/components/parameters/ChatToken' }
 *       - { name: Last-Event-ID, in: header, required: false, schema: { type: string } }
 *       - { name: after, in: query, required: false, schema: { type: string } }
 *     responses:
 *       200: { description: An event stream, content: { text/event-stream: { schema: { type: string } } } }
 *       400: { description: Missing or malformed token or cursor, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 *       429: { description: Too many requests from this address, content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } } }
 * /api/v1/widget/config:
 *   get:
 *     summary: The widget's texts (from messages.yml) and options
 *     responses:
 *       200:
 *         description: Texts by key, and options
 *         content:
 *           application/json:
 *             schema:
 *               type: object
 *               required: [texts, options]
 *               properties:
 *                 texts: { type: object, additionalProperties: { type: string } }
 *                 options: { type: object, properties: { maxMessageChars: { type: integer }, pollIntervalMs: { type: integer } } }
 */
export function createLiveRoutes(deps: LiveRoutesDeps, options: LiveRoutesOptions): Router {
  const router = express.Router();
  const limitAddress = async (req: Request) => deps.limits.request(req.ip ?? 'unknown');

  router.get('/api/v1/history', async (req, res) => {
    await limitAddress(req);
    const token = parseChatToken(req.headers['chat-token']);
    const after = readCursor(req.query.after, 'after');
    const limit = readLimit(req.query.limit);
    const messages = await deps.read(token, after, limit);
    const last = messages[messages.length - 1];
    res.set('Cache-Control', 'no-store');
    res.json({ messages: messages.map(toHistoryItem), cursor: encodeCursor(last?.id ?? after ?? '0') });
  });

  router.get('/api/v1/stream', async (req, res) => {
    await limitAddress(req);
    const token = parseChatToken(req.headers['chat-token']);
    const lastEventId = req.headers['last-event-id'];
    const after = readCursor(typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : req.query.after, 'Last-Event-ID');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      // nginx buffers proxied responses unless told not to.
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.write('retry: 3000\n\n');
    req.socket.setNoDelay(true);
    deps.hub.open(token, res, after);
  });

  router.get('/api/v1/widget/config', (_req, res) => {
    const texts = Object.fromEntries(WIDGET_TEXT_KEYS.map((key) => [key, deps.text(key)]));
    // Short: managers' edits of messages.yml show without a deploy, and within a minute.
    res.set('Cache-Control', 'public, max-age=60');
    res.json({ texts, options: { maxMessageChars: options.maxMessageChars, pollIntervalMs: 3000 } });
  });
  return router;
}
