/**
 * The fixed texts the Telegram channel shows, by the channel's own names, and where each comes
 * from in `messages.yml`. Customers see only these and the core's replies.
 */

export type TelegramTextKey =
  /** The answer to /start. */
  | 'greeting'
  /** The answer to /help and to unknown commands. */
  | 'help'
  /** The answer to stickers, photos, voice, documents and other content the bot cannot read. */
  | 'unsupported'
  /** The answer to a customer who sends faster than RATE_LIMIT_TELEGRAM_PER_MINUTE. */
  | 'rate_limited'
  /** The reply-keyboard button that asks for a person. */
  | 'person_button'
  /** Descriptions in the bot's command menu (setMyCommands). */
  | 'command_start'
  | 'command_help'
  | 'command_operator';

export type TelegramTexts = (key: TelegramTextKey) => string;

/** Where each text lives in `messages.yml`. */
const FROM_MESSAGES: Record<TelegramTextKey, string> = {
  greeting: 'greeting',
  help: 'help',
  unsupported: 'telegram_unsupported',
  rate_limited: 'rate_limited',
  person_button: 'telegram_person_button',
  command_start: 'telegram_command_start',
  command_help: 'telegram_command_help',
  command_operator: 'telegram_command_operator',
};

/** The channel's texts from the knowledge base's `text` (hot-reloaded: read on every use). */
export function telegramTextsFrom(text: (key: string) => string): TelegramTexts {
  return (key) => text(FROM_MESSAGES[key]);
}
