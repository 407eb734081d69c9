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

/** Every key of `messages.yml`. */
export type MessageKey = FixedTextKey | KnowledgeTextKey;

/** The core's fixed texts, in `FixedTextKey` order. */
export const FIXED_TEXT_KEYS: readonly FixedTextKey[] = [
  'greeting',
  'help',
  'accepted',
  'connecting',
  'no_operator',
  'finished',
  'fallback',
  'rate_limited',
  'telegram_unsupported',
  'telegram_person_button',
  'telegram_command_start',
  'telegram_command_help',
  'telegram_command_operator',
  'widget_title',
  'widget_placeholder',
  'widget_send',
];
const KNOWLEDGE_KEYS: readonly KnowledgeTextKey[] = ['offline_offers', 'offline_more', 'in_stock', 'on_order', 'price_on_request'];

/** The web widget stops polling on exactly this text (CONTRACT.md), so it may not be reworded. */
export const FINISHED_TEXT = 'Чат окончен.';

/** The texts of `messages.yml`, every key present. */
export type Messages = Readonly<Record<MessageKey, string>>;

/** Parses and checks `messages.yml`; throws `KnowledgeInvalidError` with the line of the problem. */
export function parseMessages(text: string, file: string): Messages {
  const yaml = parseYamlFile(text, file);
  const values = yamlMapping(yaml, file, 'greeting: "Здравствуйте!"');
  const messages: Partial<Record<MessageKey, string>> = {};
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
