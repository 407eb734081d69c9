/**
 * The fixed texts the Telegram channel shows, by the channel's own names, and where each comes
 * from in `messages.yml`. Customers see only these and the core's replies.
 */
import type { FixedTextKey } from '../../src/core/ports.js';

export type TelegramTextKey =
  /** The answer to /start. */
  | 'greeting'
  /** The answer to /help and to unknown commands. */
  | 'help'
  /** The answer to stickers, photos, voice, documents and other content the bot cannot read. */
  | 'unsupported'
  /** The reply-keyboard button that asks for a person. */
  | 'person_button'
  /** Descriptions in the bot's command menu (setMyCommands). */
  | 'command_start'
  | 'command_help'
  | 'command_operator';

export type TelegramTexts = (key: TelegramTextKey) => string;

/**
 * Where each text comes from today. `unsupported` borrows the help text until messages.yml has
 * a key of its own.
 * TODO(issue 4): give `unsupported` its own key (`telegram_unsupported`), and move the labels
 * below into messages.yml (`telegram_person_button`, `telegram_command_start`,
 * `telegram_command_help`, `telegram_command_operator`).
 */
const FROM_MESSAGES: Partial<Record<TelegramTextKey, FixedTextKey>> = {
  greeting: 'greeting',
  help: 'help',
  unsupported: 'help',
};

/** Interim labels until messages.yml carries them (see the TODO above). */
const INTERIM_LABELS: Record<Exclude<TelegramTextKey, 'greeting' | 'help' | 'unsupported'>, string> = {
  person_button: 'Позвать оператора',
  command_start: 'Начать разговор',
  command_help: 'Что умеет бот',
  command_operator: 'Связаться с оператором',
};

/** The channel's texts from the knowledge base's `text` (hot-reloaded: read on every use). */
export function telegramTextsFrom(text: (key: FixedTextKey) => string): TelegramTexts {
  return (key) => {
    const source = FROM_MESSAGES[key];
    if (source) return text(source);
    return INTERIM_LABELS[key as keyof typeof INTERIM_LABELS];
  };
}
