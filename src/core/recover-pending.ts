import { replyJobId } from './jobs.js';
import type { CoreDeps } from './ports.js';

/**
 * Puts every customer's message still waiting for the bot, accepted more than `olderThanMs` ago,
 * back on the reply queue. Finished jobs with the same id are replaced, running ones left alone,
 * and the reply itself is written once whatever runs (a guarded insert), so this is safe to run
 * at any time: on start, and periodically. Returns how many messages it re-enqueued.
 */
export async function recoverPending(
  deps: Pick<CoreDeps, 'store' | 'replies' | 'logger' | 'clock'>,
  options: { olderThanMs: number; limit?: number },
): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - options.olderThanMs);
  const stale = await deps.store.findStalePending(before, options.limit ?? 1000);
  for (const { conversationId, messageId } of stale) {
    await deps.replies.requeue(replyJobId(messageId), { conversationId, messageId });
  }
  if (stale.length) deps.logger.info({ count: stale.length }, 'recovered pending messages onto the reply queue');
  return stale.length;
}
