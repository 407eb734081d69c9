/**
 * Long polling with one poller per bot token across every process: Telegram answers a second
 * `getUpdates` with 409 and drops the first. The poller holds a lease (Redis when configured),
 * renews it while polling and stops at once when it loses it; the others wait to take over.
 *
 * Our own loop rather than `bot.start()`: an update is confirmed (the offset moves past it) only
 * after it was stored, so a database or queue outage re-reads it, with backoff, until it passes
 * instead of losing it (the handler itself contains payloads it cannot read, see bot.ts).
 */
import { randomUUID } from 'node:crypto';
import { GrammyError, type Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../core/ports.js';
import { loggableError } from './errors.js';
import type { Locks } from './locks.js';

export interface PollerDeps {
  api: Pick<Api, 'getUpdates' | 'deleteWebhook'>;
  handle(update: Update): Promise<void>;
  /**
   * Asked after each failure of an update: `skip` confirms it (moves past it) so that one update
   * never holds up the others; unset: always read again.
   */
  onFailure?(update: Update, error: unknown): Promise<'retry' | 'skip'>;
  onSuccess?(update: Update): void;
  /** The lease that makes this the only poller; undefined in a single process without Redis. */
  locks?: Locks;
  logger: Logger;
}

export interface PollerOptions {
  /** The lease's key: one per bot token (a hash of it, never the token). */
  lockKey: string;
  /** Lease length, ms: how long a crashed poller blocks the others; renewed every third of it. @defaultValue 30000 */
  lockMs?: number;
  /** How often a standing-by process tries to take the lease, ms: the pause after a clean stop. @defaultValue 2000 */
  standbyMs?: number;
  /** getUpdates long-poll timeout, seconds. @defaultValue 30 */
  timeoutSeconds?: number;
  /** The update types the bot acts on. @defaultValue ['message'] */
  allowedUpdates?: Array<'message' | 'callback_query' | 'my_chat_member'>;
}

export interface Poller {
  /** Stops polling, confirms what was handled, lets go of the lease. */
  stop(): Promise<void>;
}

/** grammY's Node typings name the `abort-controller` polyfill's signal; the runtime takes the native one. */
function grammySignal(signal: AbortSignal): Parameters<Api['getUpdates']>[1] {
  return signal as unknown as Parameters<Api['getUpdates']>[1];
}

export function startPolling(deps: PollerDeps, options: PollerOptions): Poller {
  const lockMs = options.lockMs ?? 30_000;
  const owner = randomUUID();
  const log = deps.logger.child({ component: 'telegram-poller' });
  let stopped = false;
  let offset = 0;
  let current: AbortController | undefined;
  const wake = new AbortController();

  // The wake listener is removed when the timer fires: a standby poller sleeps every 2 s for
  // hours, and listeners left on the long-lived signal would pile up.
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const onWake = () => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (wake.signal.removeEventListener('abort', onWake), resolve()), ms);
      wake.signal.addEventListener('abort', onWake, { once: true });
    });

  async function holdLease(): Promise<boolean> {
    if (!deps.locks) return true;
    return deps.locks.acquire(options.lockKey, owner, lockMs).catch((error: unknown) => {
      log.warn({ err: error }, 'telegram poller: lease store unreachable');
      return false;
    });
  }

  async function run(): Promise<void> {
    let announced = false;
    while (!stopped) {
      if (!(await holdLease())) {
        if (!announced) log.info({}, 'telegram poller: another process polls this bot; standing by');
        announced = true;
        await sleep(options.standbyMs ?? 2000);
        continue;
      }
      announced = false;
      const abort = new AbortController();
      current = abort;
      const renewal = setInterval(() => {
        const renewed = deps.locks ? deps.locks.renew(options.lockKey, owner, lockMs) : Promise.resolve(true);
        void renewed.catch(() => false).then((held) => {
          if (held) return;
          log.warn({}, 'telegram poller: lease lost; stopping so that two pollers never run');
          abort.abort();
        });
      }, lockMs / 3);
      try {
        log.info({}, 'telegram poller: polling');
        await deps.api.deleteWebhook({}, grammySignal(abort.signal));
        await poll(abort.signal);
      } catch (error) {
        if (!abort.signal.aborted) {
          log.warn({ err: loggableError(error) }, 'telegram poller: setup failed; retrying');
          await sleep(5000);
        }
      } finally {
        clearInterval(renewal);
        current = undefined;
      }
    }
  }

  async function poll(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let pause = 1000;
    while (!stopped && !signal.aborted) {
      let updates: Update[];
      try {
        updates = await deps.api.getUpdates({ offset, timeout: options.timeoutSeconds ?? 30, allowed_updates: options.allowedUpdates ?? ['message'] }, grammySignal(signal));
        pause = 1000;
      } catch (error) {
        if (signal.aborted) return;
        const conflict = error instanceof GrammyError && error.error_code === 409;
        log[conflict ? 'error' : 'warn']({ err: loggableError(error) }, conflict ? 'telegram poller: Telegram reports another poller or a webhook' : 'telegram poller: getUpdates failed; retrying');
        await sleep(pause);
        pause = Math.min(pause * 2, 60_000);
        continue;
      }
      for (const update of updates) {
        try {
          await deps.handle(update);
          deps.onSuccess?.(update);
          failures = 0;
        } catch (error) {
          failures += 1;
          if ((await deps.onFailure?.(update, error).catch(() => 'retry' as const)) === 'skip') {
            offset = update.update_id + 1;
            failures = 0;
            continue;
          }
          // Not confirmed: the next getUpdates returns it again. Loud once it has lasted a while.
          log[failures >= 5 ? 'error' : 'warn']({ err: error, updateId: update.update_id, failures }, 'telegram poller: update not stored; reading it again');
          await sleep(Math.min(500 * 2 ** failures, 30_000));
          break;
        }
        offset = update.update_id + 1;
      }
    }
  }

  const running = run().catch((error: unknown) => log.error({ err: error }, 'telegram poller crashed'));

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      wake.abort();
      current?.abort();
      await running;
      // Confirm what was handled, so the next poller does not read it again (grammY's stop does
      // the same) — only while the lease is still ours: the call would cut another poller's request.
      const ours = deps.locks ? await deps.locks.renew(options.lockKey, owner, lockMs).catch(() => false) : true;
      if (ours && offset > 0) await deps.api.getUpdates({ offset, limit: 1, timeout: 0 }).catch(() => undefined);
      await deps.locks?.release(options.lockKey, owner).catch(() => undefined);
    },
  };
}
