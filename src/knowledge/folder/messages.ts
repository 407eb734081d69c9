/**
 * `messages.yml`: every text a customer sees that is not written by the model — the core's fixed
 * texts (`FixedTextKey`) and the words of offline answers. All keys are required, so a deleted
 * line is refused instead of showing a customer a blank message.
 */
import { KnowledgeInvalidError } from '../errors.js';
import { parseYamlFile, yamlMapping } from './yaml-file.js';
import type { FixedTextKey } from '../../core/ports.js';

/** The keys of offline answers and catalog lines, beside the core's fixed texts. */
export type KnowledgeTextKey = 'offline_offers' | 'offline_more' | 'in_stock' | 'on_order' | 'price_on_request';

/** The core's fixed texts, in `FixedTextKey` order. */
const CORE_TEXT_KEYS: readonly FixedTextKey[] = [
  'greeting',
  'help',
  'accepted',
  'connecting',
  'no_operator',
  'operator_joined',
  'handoff_expired',
  'finished',
  'fallback',
  'rate_limited',
  'busy',
];

/**
 * The channels' own texts (each channel names the keys it reads): the customers' Telegram bot,
 * the operators' bot, the web widget. Listed here because this is the file's schema: all are required.
 */
const CHANNEL_TEXT_KEYS = [
  'telegram_unsupported',
  'telegram_person_button',
  'telegram_command_start',
  'telegram_command_help',
  'telegram_command_operator',
  'widget_title',
  'widget_placeholder',
  'widget_send',
  'widget_open',
  'widget_close',
  'widget_person',
  'widget_person_message',
  'widget_typing',
  'widget_sending',
  'widget_send_failed',
  'widget_wait',
  'widget_offline',
  'widget_unread',
  'operators_registered',
  'operators_pending',
  'operators_disabled',
  'operators_on_duty',
  'operators_off_duty',
  'operators_invite',
  'operators_invite_button',
  'operators_taken_by_you',
  'operators_taken_by',
  'operators_invite_closed',
  'operators_busy',
  'operators_not_on_duty',
  'operators_transcript',
  'operators_customer',
  'operators_bot',
  'operators_operator',
  'operators_no_chat',
  'operators_finished',
  'operators_returned',
  'operators_taken_by_you_short',
  'operators_already_taken',
  'operators_text_only',
  'operators_reason_customer_request',
  'operators_reason_out_of_depth',
  'operators_reason_model_decision',
  'operators_command_start',
  'operators_command_stop',
  'operators_command_finish',
] as const;

/** Every key of the core and the channels. */
export const FIXED_TEXT_KEYS: readonly string[] = [...CORE_TEXT_KEYS, ...CHANNEL_TEXT_KEYS];

/** Every key of `messages.yml`. */
export type MessageKey = FixedTextKey | (typeof CHANNEL_TEXT_KEYS)[number] | KnowledgeTextKey;
const KNOWLEDGE_KEYS: readonly KnowledgeTextKey[] = ['offline_offers', 'offline_more', 'in_stock', 'on_order', 'price_on_request'];

/** The web widget stops polling on exactly this text (CONTRACT.md), so it may not be reworded. */
export const FINISHED_TEXT = 'Чат окончен.';

/** The texts of `messages.yml`, every key present. */
export type Messages = Readonly<Record<MessageKey, string>>;

/** Parses and checks `messages.yml`; throws `KnowledgeInvalidError` with the line of the problem. */
export function parseMessages(text: string, file: string): Messages {
  const yaml = parseYamlFile(text, file);
  const values = yamlMapping(yaml, file, 'greeting: "Здравствуйте!"');
  const messages: Partial<Record<string, string>> = {};
  for (const key of [...FIXED_TEXT_KEYS, ...KNOWLEDGE_KEYS]) {
    const value = values[key];
    if (value === undefined || value === null) {
      throw new KnowledgeInvalidError({ file }, `the text "${key}" is missing (every one of ${[...FIXED_TEXT_KEYS, ...KNOWLEDGE_KEYS].join(', ')} is needed)`);
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey(key) }, `the text "${key}" must be non-empty text`);
    }
    messages[key] = value.trim();
  }
  if (messages.finished !== FINISHED_TEXT) {
    throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey('finished') }, `"finished" must be exactly "${FINISHED_TEXT}": the web chat stops on this text`);
  }
  return messages as Messages;
}
