/**
 * A bot's webhook route: Telegram pushes updates here in webhook mode. The secret
 * header is checked before the body is read; a request without it gets 401 and changes nothing.
 * The answer comes as soon as the update is stored and enqueued; a failure answers 5xx so that
 * Telegram sends the update again (storage deduplicates it), until `onFailure` says to skip it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Update } from 'grammy/types';
import type { Logger } from '../core/ports.js';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface WebhookDeps {
  /** Runs one update through the bot; rejects when it could not be stored. */
  handle(update: Update): Promise<void>;
  /** Asked when an update failed: `skip` answers 200 so that Telegram stops re-sending it; unset: 5xx. */
  onFailure?(update: Update, error: unknown): Promise<'retry' | 'skip'>;
  onSuccess?(update: Update): void;
  /** False until the bot knows who it is (getMe at start): updates are refused with 503 meanwhile. */
  ready(): boolean;
  logger: Logger;
}

export interface WebhookOptions {
  /** The route, e.g. `/telegram/customer/webhook`. */
  path: string;
  /** TELEGRAM_WEBHOOK_SECRET: what Telegram echoes in X-Telegram-Bot-Api-Secret-Token. */
  secret: string;
  /** Largest accepted update, bytes. @defaultValue 1048576 */
  maxBodyBytes?: number;
}

export function createWebhookRouter(deps: WebhookDeps, options: WebhookOptions): Router {
  const router = express.Router();
  const expected = digest(options.secret);
  const json = express.json({ limit: options.maxBodyBytes ?? 1_048_576, type: () => true });

  router.post(options.path, (req, res, next) => {
    const given = req.headers[SECRET_HEADER];
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first wrong byte.
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
      deps.logger.warn({ ip: req.ip }, 'telegram webhook: request without the right secret refused');
      res.status(401).json({ error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' });
      return;
    }
    json(req, res, next);
  });

  router.post(options.path, async (req, res) => {
    const update = req.body as Partial<Update> | undefined;
    if (typeof update !== 'object' || update === null || !Number.isInteger(update.update_id)) {
      res.status(400).json({ error: 'body must be a Telegram Update object with an integer update_id' });
      return;
    }
    if (!deps.ready()) {
      res.status(503).json({ error: 'the bot is starting; try again' });
      return;
    }
    try {
      await deps.handle(update as Update);
      deps.onSuccess?.(update as Update);
    } catch (error) {
      if ((await deps.onFailure?.(update as Update, error).catch(() => 'retry' as const)) !== 'skip') throw error;
    }
    res.status(200).json({});
  });
  return router;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
