/** YAML parsing that reports problems with the file and line a manager can find. */
import { LineCounter, isMap, isNode, parseDocument, type Document } from 'yaml';
import { KnowledgeInvalidError } from '../errors.js';

/** A parsed YAML file and a way to find the line of any top-level key. */
export interface YamlFile {
  doc: Document.Parsed;
  lineOfKey(key: string): number | undefined;
}

/** Parses YAML; throws `KnowledgeInvalidError` naming the line of the first syntax error. */
export function parseYamlFile(text: string, file: string): YamlFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    throw new KnowledgeInvalidError({ file, line: error.linePos?.[0].line }, `broken YAML: ${error.message.split('\n')[0]}`);
  }
  return {
    doc,
    lineOfKey(key) {
      if (!isMap(doc.contents)) return undefined;
      const pair = doc.contents.items.find((p) => isNode(p.key) && String((p.key as { value?: unknown }).value) === key);
      const node = pair?.value ?? pair?.key;
      return isNode(node) && node.range ? lines.linePos(node.range[0]).line : undefined;
    },
  };
}

/** The top-level mapping of a YAML file as a plain object; throws when the file is not a mapping. */
export function yamlMapping(yaml: YamlFile, file: string, example: string): Record<string, unknown> {
  if (!isMap(yaml.doc.contents)) throw new KnowledgeInvalidError({ file, line: 1 }, `expected "key: value" lines, like ${example}`);
  return yaml.doc.toJS() as Record<string, unknown>;
}
