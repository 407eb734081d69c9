/**
 * `handoff.yml`: phrases by which a customer asks for a person, and phrases in a model reply
 * that mean the bot is out of its depth. Matching ignores case, punctuation and word endings
 * ("позовите оператора!" matches "позвать оператор"); a customer phrase negated by a
 * "не"/"без" just before or a "не" just after ("не нужен оператор", "оператор не нужен") does
 * not count.
 */
import { KnowledgeInvalidError } from '../errors.js';
import { tokenizeGroups } from '../text/normalize.js';
import { stemWord } from '../text/stem.js';
import { parseYamlFile, yamlMapping } from './yaml-file.js';

/** The two handoff checks. */
export interface HandoffPhrases {
  /** Whether a customer's message asks for a person. */
  wantsPerson(text: string): boolean;
  /** Whether a model reply means the bot is out of its depth. */
  isOutOfDepth(text: string): boolean;
}

function stems(text: string): string[] {
  return tokenizeGroups(text).map((group) => stemWord(group[0]!));
}

function contains(words: string[], phrase: string[], skipNegated: boolean): boolean {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (!phrase.every((stem, j) => words[i + j] === stem)) continue;
    // "не нужен оператор", "без оператора", "оператор не нужен": not a request.
    const negated = [words[i - 1], words[i - 2]].some((w) => w === 'не' || w === 'без') || words[i + phrase.length] === 'не';
    if (skipNegated && negated) continue;
    return true;
  }
  return false;
}

/** Builds the matcher from lists of phrases. */
export function buildHandoffPhrases(customer: string[], reply: string[]): HandoffPhrases {
  const customerStems = customer.map(stems).filter((p) => p.length > 0);
  const replyStems = reply.map(stems).filter((p) => p.length > 0);
  return {
    wantsPerson: (text) => {
      const words = stems(text);
      return customerStems.some((p) => contains(words, p, true));
    },
    isOutOfDepth: (text) => {
      const words = stems(text);
      return replyStems.some((p) => contains(words, p, false));
    },
  };
}

function phraseList(values: Record<string, unknown>, key: string, file: string, line: number | undefined): string[] {
  const list = values[key];
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && p.trim() !== '')) {
    throw new KnowledgeInvalidError({ file, line }, `"${key}" must be a list of phrases, one "- фраза" a line`);
  }
  return list as string[];
}

/** Parses `handoff.yml` (`customer:` and `reply:` lists); throws `KnowledgeInvalidError` with the line. */
export function parseHandoff(text: string, file: string): HandoffPhrases {
  const yaml = parseYamlFile(text, file);
  const values = yamlMapping(yaml, file, 'customer: [оператор]');
  return buildHandoffPhrases(
    phraseList(values, 'customer', file, yaml.lineOfKey('customer')),
    phraseList(values, 'reply', file, yaml.lineOfKey('reply')),
  );
}
