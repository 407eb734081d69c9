/**
 * The manager-editable colour file (`colors.yml`): colour families and the words that name them
 * (shades, material words such as «опал», English names used in offer names), and which families
 * are close enough for a shade to count in part. A visitor's colour word finds offers of its
 * family; absent the file, the built-in list is used.
 */
import { KnowledgeInvalidError } from '../errors.js';
import { DEFAULT_COLOR_FAMILIES, DEFAULT_COLOR_NEIGHBOURS, type PaletteSpec } from '../query/colors.js';
import { parseYamlFile, yamlMapping } from './yaml-file.js';

const EXAMPLE = 'families: { blue: [синий, голубой, navy] }';

/** The built-in colour data. */
export const DEFAULT_PALETTE_SPEC: PaletteSpec = { families: DEFAULT_COLOR_FAMILIES, neighbours: DEFAULT_COLOR_NEIGHBOURS };

/** Parses `colors.yml`; throws `KnowledgeInvalidError` with the line of the first problem. */
export function parseColors(text: string, file: string): PaletteSpec {
  const yaml = parseYamlFile(text, file);
  const data = yamlMapping(yaml, file, EXAMPLE);
  const families = data.families;
  if (!families || typeof families !== 'object' || Array.isArray(families)) {
    throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey('families') ?? 1 }, `expected "families:" with a list of words for each family, like ${EXAMPLE}`);
  }
  const spec: PaletteSpec = { families: {}, neighbours: [] };
  for (const [family, words] of Object.entries(families as Record<string, unknown>)) {
    if (!Array.isArray(words) || words.length === 0 || !words.every((w) => typeof w === 'string' && w.trim())) {
      throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey('families') }, `family "${family}" must be a list of words, like [синий, голубой, navy]`);
    }
    spec.families[family] = words as string[];
  }
  if (Object.keys(spec.families).length > 31) throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey('families') }, 'at most 31 colour families');
  const neighbours = data.neighbours ?? [];
  if (!Array.isArray(neighbours)) throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey('neighbours') }, 'expected "neighbours:" as a list of pairs, like - [red, pink]');
  for (const pair of neighbours) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((f) => typeof f === 'string' && f in spec.families)) {
      throw new KnowledgeInvalidError({ file, line: yaml.lineOfKey('neighbours') }, `each neighbour pair must name two families listed above, like [red, pink]; got ${JSON.stringify(pair)}`);
    }
    spec.neighbours.push([pair[0] as string, pair[1] as string]);
  }
  return spec;
}
