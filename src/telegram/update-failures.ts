/**
 * No single update may stop a bot. The poller re-reads an update whose handling failed, and in
 * webhook mode Telegram re-sends it; both ask this tracker what to do after each failure. Past
 * `maxFailures` the update is recorded (kept for inspection), logged, counted and skipped.
 *
 * Skipped only once the record is written: while the database is unreachable every update fails
 * and so does the record, and that is an outage to wait out (the update is read again later),
 * not a poison update to drop — so no customer's message is lost to a database restart.
 */
import type { Update } from 'grammy/types';
import type { Logger } from '../core/ports.js';

export type FailureVerdict = 'retry' | 'skip';

/** A failed update as kept for inspection (src/db/failed-updates.ts). */
export interface FailedUpdate {
  /** Which bot: a short hash of its token, never the token. */
  bot: string;
  updateId: number;
  payload: Update;
  error: string;
  failures: number;
}

export interface UpdateFailures {
  /** Counts a failure of `update`; `skip` once it has failed `maxFailures` times and was recorded. */
  failed(update: Update, error: unknown): Promise<FailureVerdict>;
  /** Forgets the failures of an update that went through. */
  succeeded(update: Update): void;
}

export interface UpdateFailuresDeps {
  /** Keeps the failed update; rejects when it could not (the update is then retried). */
  record(failed: { updateId: number; payload: Update; error: string; failures: number }): Promise<void>;
  /** Counts a skipped update (a metric). */
  skipped?(): void;
  logger: Logger;
}

export interface UpdateFailuresOptions {
  /** Failures of one update before it is recorded and skipped. @defaultValue 5 */
  maxFailures?: number;
}

/** Updates tracked at once: the oldest are forgotten past this, so the map cannot grow without end. */
const MAX_TRACKED = 1000;

export function createUpdateFailures(deps: UpdateFailuresDeps, options: UpdateFailuresOptions = {}): UpdateFailures {
  const maxFailures = options.maxFailures ?? 5;
  const counts = new Map<number, number>();
  return {
    async failed(update, error) {
      const failures = (counts.get(update.update_id) ?? 0) + 1;
      counts.delete(update.update_id);
      counts.set(update.update_id, failures);
      if (counts.size > MAX_TRACKED) counts.delete(counts.keys().next().value as number);
      if (failures < maxFailures) return 'retry';
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      try {
        await deps.record({ updateId: update.update_id, payload: update, error: reason.slice(0, 2000), failures });
      } catch (recordError) {
        deps.logger.warn({ err: recordError, updateId: update.update_id, failures }, 'telegram update: failed again and could not be recorded; retrying');
        return 'retry';
      }
      counts.delete(update.update_id);
      deps.skipped?.();
      deps.logger.error({ err: error, updateId: update.update_id, failures }, 'telegram update: failed repeatedly; recorded in telegram_failed_update and skipped');
      return 'skip';
    },
    succeeded(update) {
      counts.delete(update.update_id);
    },
  };
}
