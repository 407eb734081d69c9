/**
 * Wire-level pieces of the fake Telegram Bot API: request parameters as the Bot API reads them,
 * bot identities, the checks of `sendMessage`/`editMessageText` (https://core.telegram.org/bots/api#sendmessage)
 * and inline keyboards, and `allowed_updates` (https://core.telegram.org/bots/api#getupdates).
 */
import type { IncomingMessage } from 'node:http';
import type { MessageEntity, Update, UserFromGetMe } from 'grammy/types';
import { parseTelegramHtml } from './telegram-html.js';

export type Params = Record<string, unknown>;

/** What the fake answers: a result, or an error envelope (`retryAfter` in seconds, for 429). */
export type Answer = { result: unknown } | { error: number; description: string; retryAfter?: number };
export type Refusal = Extract<Answer, { error: number }>;

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

/** A further bot's getMe: like FAKE_BOT, with its own id (the token's digits) and username. */
export function botIdentity(id: number, username: string, firstName = 'Bot'): UserFromGetMe {
  return { ...FAKE_BOT, id, username, first_name: firstName };
}

export const BAD_CALLBACK_QUERY = 'Bad Request: query is too old and response timeout expired or query ID is invalid';
export const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
export const EDIT_NOT_FOUND = 'Bad Request: message to edit not found';

/** A message text the Bot API would accept: as sent, as shown and its entities; or the 400 it would answer. */
export function checkText(params: Params): { raw: string; text: string; parseMode?: string; entities: MessageEntity[] } | Refusal {
  const raw = typeof params.text === 'string' ? params.text : '';
  const parseMode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
  let text = raw;
  let entities: MessageEntity[] = [];
  if (parseMode === 'HTML') {
    const parsed = parseTelegramHtml(raw);
    if (!parsed.ok) return { error: 400, description: parsed.description };
    ({ text, entities } = parsed);
  } else if (parseMode) {
    return { error: 400, description: `Bad Request: the fake supports parse_mode HTML only, got ${parseMode}` };
  }
  if (!text.trim()) return { error: 400, description: 'Bad Request: message text is empty' };
  // The limit applies after entity parsing, in UTF-16 code units.
  if (text.length > 4096) return { error: 400, description: 'Bad Request: message is too long' };
  return { raw, text, parseMode, entities };
}

/**
 * `reply_markup` parsed (form bodies carry it as JSON text), with an inline keyboard checked as
 * Telegram does: rows of buttons, each with a `text` and a `callback_data` of 1-64 bytes (or a `url`).
 */
export function checkReplyMarkup(value: unknown): { replyMarkup?: unknown } | Refusal {
  let markup: unknown;
  try {
    markup = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  } catch {
    return { error: 400, description: "Bad Request: can't parse reply keyboard markup JSON object" };
  }
  if (markup === undefined || markup === null || typeof markup !== 'object' || !('inline_keyboard' in markup)) return { replyMarkup: markup ?? undefined };
  const rows = (markup as { inline_keyboard: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row))) {
    return { error: 400, description: `Bad Request: can't parse reply keyboard markup JSON object: Field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays` };
  }
  for (const button of (rows as unknown[][]).flat()) {
    const { text, callback_data: data, url } = (button ?? {}) as { text?: unknown; callback_data?: unknown; url?: unknown };
    if (typeof text !== 'string') return { error: 400, description: `Bad Request: can't parse inline keyboard button: Field "text" must be of type String` };
    if (data === undefined && typeof url === 'string') continue;
    if (data === undefined) return { error: 400, description: "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard" };
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : 0;
    if (bytes < 1 || bytes > 64) return { error: 400, description: 'Bad Request: BUTTON_DATA_INVALID' };
  }
  return { replyMarkup: markup };
}

/** A sendMessage the Bot API would accept; or the 400 it would answer. */
export function checkSendMessage(
  params: Params,
): { raw: string; text: string; parseMode?: string; entities: MessageEntity[]; replyMarkup?: unknown } | Refusal {
  if (!params.chat_id) return { error: 400, description: 'Bad Request: chat_id is empty' };
  const text = checkText(params);
  if ('error' in text) return text;
  const markup = checkReplyMarkup(params.reply_markup);
  if ('error' in markup) return markup;
  return { ...text, ...markup };
}

/** Update kinds a bot gets when `allowed_updates` is empty or was never set. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/** The kind of an update: its one field besides `update_id`. */
export function updateType(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? '';
}

/**
 * `allowed_updates` as a filter, or undefined when the parameter is absent (Telegram keeps the
 * previous setting then). An empty list means every kind but the ones Telegram sends only on request.
 */
export function readAllowedUpdates(value: unknown): ((update: Update) => boolean) | undefined {
  if (value === undefined) return undefined;
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  const allowed = new Set(Array.isArray(list) ? list.map(String) : []);
  return allowed.size ? (update) => allowed.has(updateType(update)) : (update) => !NOT_BY_DEFAULT.has(updateType(update));
}

export const ALL_DEFAULT_UPDATES = readAllowedUpdates([]) as (update: Update) => boolean;

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
