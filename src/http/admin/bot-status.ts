/**
 * Each Telegram bot's state for the Status page: Telegram's own view (getWebhookInfo: the webhook
 * URL, updates waiting, the last delivery error — in polling mode the URL is empty and the count
 * is what the poller has yet to fetch) and the database's (texts not yet sent).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { BotStatus } from './status-routes.js';

/** What getWebhookInfo answers, as far as the page shows it (Bot API field names). */
export interface WebhookInfo {
  url?: string;
  pending_update_count: number;
  last_error_date?: number;
  last_error_message?: string;
}

/** One configured bot: its name in the delivery log, how it receives, and a getWebhookInfo call. */
export interface BotProbe {
  name: 'customers' | 'operators';
  mode: 'webhook' | 'polling';
  getWebhookInfo(signal: AbortSignal): Promise<WebhookInfo>;
}

/** How long the page waits for Telegram, ms. */
const PROBE_TIMEOUT_MS = 3000;

export function createBotStatus(bots: BotProbe[], orm: MikroORM): () => Promise<BotStatus[]> {
  return () =>
    Promise.all(
      bots.map(async (bot): Promise<BotStatus> => {
        const details: BotStatus['details'] = { receives: bot.mode === 'webhook' ? 'webhook' : 'long polling' };
        try {
          const info = await bot.getWebhookInfo(AbortSignal.timeout(PROBE_TIMEOUT_MS));
          details['webhook URL'] = info.url ? new URL(info.url).origin + new URL(info.url).pathname : '(none: polling)';
          details['updates waiting at Telegram'] = info.pending_update_count;
          details['last delivery error'] = info.last_error_date ? `${new Date(info.last_error_date * 1000).toISOString()}: ${info.last_error_message ?? ''}` : 'none';
        } catch (error) {
          details['Telegram'] = `unreachable: ${error instanceof Error ? error.message : String(error)}`;
        }
        const run = (sql: string) => orm.em.fork().getConnection().execute<Array<Record<string, unknown>>>(sql, [], 'all');
        if (bot.name === 'customers') {
          const [row] = await run(
            `select (select max(m.created_at) from message m join conversation c on c.id = m.conversation_id where c.channel = 'telegram' and m.author = 'CUSTOMER') as last_in,
                    (select count(*) from message m join conversation c on c.id = m.conversation_id where c.channel = 'telegram' and m.author <> 'CUSTOMER' and m.delivered_at is null)::int as unsent`,
          );
          details['last customer message'] = row?.last_in ? new Date(row.last_in as string).toISOString() : 'none yet';
          details['replies not yet sent'] = Number(row?.unsent ?? 0);
        } else {
          const [row] = await run(`select count(*)::int as unsent from delivery where bot = 'operators' and settled_at is null`);
          details['texts to operators not yet sent'] = Number(row?.unsent ?? 0);
        }
        return { name: bot.name === 'customers' ? "customers' bot" : "operators' bot", details };
      }),
    );
}
