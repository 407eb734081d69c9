/** Where Telegram updates that kept failing are kept for inspection (table telegram_failed_update). */
import type pg from 'pg';
import { withoutNul } from '../core/customer-text.js';

export interface FailedUpdate {
  /** Which bot: a short hash of its token, never the token. */
  bot: string;
  updateId: number;
  /** The update as Telegram sent it. */
  payload: unknown;
  error: string;
  failures: number;
}

/** Records a failed update once (a second record of the same update is ignored); rejects when the database does. */
export type FailedUpdateRecorder = (failed: FailedUpdate) => Promise<void>;

export function createPgFailedUpdates(pool: pg.Pool): FailedUpdateRecorder {
  return async (failed) => {
    await pool.query(
      `insert into telegram_failed_update (bot, update_id, payload, error, failures) values ($1, $2, $3, $4, $5)
       on conflict (bot, update_id) do nothing`,
      // JSON.stringify escapes U+0000 as the six characters \u0000, which text holds.
      [failed.bot, failed.updateId, JSON.stringify(failed.payload), withoutNul(failed.error), failed.failures],
    );
  };
}
