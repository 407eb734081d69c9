/**
 * A loopback stand-in for the Telegram Bot API (https://core.telegram.org/bots/api), serving any
 * number of bots on one API root, told apart by token as Telegram does (an unknown token answers
 * 401 Unauthorized). It speaks the real wire format — `POST|GET /bot<token>/<method>` with JSON,
 * form or query parameters, answers `{ok, result}` or `{ok: false, error_code, description,
 * parameters}` — and keeps the semantics clients rely on: `getUpdates` long-polls, confirms by
 * `offset`, honours `allowed_updates` and answers a rival poller with 409; `setWebhook` switches to
 * pushing updates to the URL with the secret header (re-sending until a 2xx); `sendMessage` and
 * the edits check the length, HTML entities and inline keyboards; callback queries must be
 * answered once. Tests inject updates, script 429/403 failures and read every call back.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeBot, writeAnswer, type FakeBot, type ServerSide } from './fake-telegram-bot.js';
import type { FakeTelegram, RecordedCall } from './fake-telegram-types.js';
import { botIdentity, FAKE_BOT, readParams } from './telegram-wire.js';

export type { Params } from './telegram-wire.js';
export type * from './fake-telegram-types.js';

const DEFAULT_TOKEN = '7000000001:FAKE-token_for_tests';

/**
 * Starts the fake on 127.0.0.1 with an OS-assigned port, with one bot (FAKE_BOT, `token`); more
 * bots join the same server with `addBot`. `webhookRetryMs`: pause before re-sending an update
 * the webhook did not take (default 200).
 */
export async function startFakeTelegram(options: { webhookRetryMs?: number } = {}): Promise<FakeTelegram> {
  const bots = new Map<string, FakeBot>();
  const unrouted: RecordedCall[] = [];
  let closed = false;
  let stopping: Promise<void> | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/bot(\d+:[\w-]+)\/(\w+)$/.exec(url.pathname);
    const params = { ...Object.fromEntries(url.searchParams), ...(await readParams(req)) };
    const record: RecordedCall = { method: match?.[2] ?? url.pathname, params, at: Date.now() };
    const target = bots.get(match?.[1] ?? '');
    if (target) return target.handle(record, res);
    // A path that is no bot method at all is kept with the first bot's calls, as before bots were many.
    if (!match) {
      defaultBot.view.calls.push(record);
      return writeAnswer(res, record, { error: 404, description: 'Not Found' });
    }
    unrouted.push(record);
    writeAnswer(res, record, { error: 401, description: 'Unauthorized' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeAnswer(res, { method: 'invalid', params: {}, at: Date.now() }, { error: 400, description: `Bad Request: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const side: ServerSide = {
    url: `http://127.0.0.1:${port}`,
    webhookRetryMs: options.webhookRetryMs ?? 200,
    unrouted,
    isClosed: () => closed,
    addBot(botOptions = {}) {
      const taken = new Set([...bots.values()].map((b) => b.view.bot.id));
      let id = botOptions.id ?? FAKE_BOT.id + 1;
      while (botOptions.id === undefined && taken.has(id)) id += 1;
      if (taken.has(id)) throw new Error(`fake Telegram: a bot with id ${id} exists already`);
      const added = createFakeBot(botIdentity(id, botOptions.username ?? `fake_bot_${id}`, botOptions.firstName), `${id}:FAKE-token_${id}`, side);
      bots.set(added.view.token, added);
      return added.view;
    },
    close() {
      stopping ??= (async () => {
        closed = true;
        for (const bot of bots.values()) bot.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
      })();
      return stopping;
    },
  };
  const defaultBot = createFakeBot(FAKE_BOT, DEFAULT_TOKEN, side);
  bots.set(DEFAULT_TOKEN, defaultBot);
  return defaultBot.view;
}
