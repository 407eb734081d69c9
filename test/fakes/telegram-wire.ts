/**
 * Wire-level pieces of the fake Telegram Bot API: request parameters as the Bot API reads them,
 * and `sendMessage`'s checks (https://core.telegram.org/bots/api#sendmessage).
 */
import type { IncomingMessage } from 'node:http';
import type { UserFromGetMe } from 'grammy/types';
import { parseTelegramHtml } from './telegram-html.js';

export type Params = Record<string, unknown>;

/** What the fake answers: a result, or an error envelope (`retryAfter` in seconds, for 429). */
export type Answer = { result: unknown } | { error: number; description: string; retryAfter?: number };

/** The bot the fake plays (getMe). */
export const FAKE_BOT: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: 'Support',
  username: 'fake_support_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** A sendMessage the Bot API would accept: its text as sent and as shown; or the 400 it would answer. */
export function checkSendMessage(
  params: Params,
): { raw: string; text: string; parseMode?: string; replyMarkup?: unknown } | Extract<Answer, { error: number }> {
  if (!params.chat_id) return { error: 400, description: 'Bad Request: chat_id is empty' };
  const raw = typeof params.text === 'string' ? params.text : '';
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
  let text = raw;
  if (parseMode === 'HTML') {
    const parsed = parseTelegramHtml(raw);
    if (!parsed.ok) return { error: 400, description: parsed.description };
    text = parsed.text;
  } else if (parseMode) {
    return { error: 400, description: `Bad Request: the fake supports parse_mode HTML only, got ${parseMode}` };
  }
  if (!text.trim()) return { error: 400, description: 'Bad Request: message text is empty' };
  // The limit applies after entity parsing, in UTF-16 code units.
  if (text.length > 4096) return { error: 400, description: 'Bad Request: message is too long' };
  const replyMarkup = typeof params.reply_markup === 'string' ? (JSON.parse(params.reply_markup) as unknown) : params.reply_markup;
  return { raw, text, parseMode, replyMarkup };
}

/** Bot API parameters from a JSON or urlencoded body; JSON-looking form values are decoded, as Telegram does. */
export async function readParams(req: IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) return JSON.parse(raw) as Params;
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries([...new URLSearchParams(raw)].map(([key, value]) => [key, /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value]));
  }
  throw new Error(`unsupported content type ${type}`);
}
