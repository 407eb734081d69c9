/**
 * `catalog search [--catalog <file>] [--limit <n>] [--json] "<query>"`: searches the catalog of
 * PROMPTS_DIR, or the file `--catalog` names, with the folder's synonyms. With `--json` only a
 * JSON array of {"id", "score", "name"} is printed, best first.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildCatalogIndex,
  buildSynonyms,
  decodeCatalog,
  KnowledgeInvalidError,
  loadPromptsFolder,
  parseCatalog,
  parseSynonyms,
  PROMPT_FILES,
  rankOffers,
} from '../knowledge/index.js';

/** The parsed command-line arguments. */
export interface CatalogSearchArgs {
  query: string;
  catalog?: string;
  /** As typed on the command line. @defaultValue '10' */
  limit?: string | number;
  json?: boolean;
}

/** Where the folder is and where lines go. */
export interface CatalogSearchDeps {
  promptsDir: string;
  out: (line: string) => void;
}

async function folderSynonyms(promptsDir: string): Promise<ReturnType<typeof buildSynonyms>> {
  const file = join(promptsDir, PROMPT_FILES.synonyms);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? buildSynonyms([]) : parseSynonyms(text, file);
}

/** Exit code 0 after printing results (possibly none), 1 for invalid input or catalog. */
export async function runCatalogSearch(args: CatalogSearchArgs, deps: CatalogSearchDeps): Promise<number> {
  const limit = Number(args.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 1) {
    deps.out(`--limit must be a positive integer, got ${args.limit}`);
    return 1;
  }
  if (!args.query.trim()) {
    deps.out('the query is empty');
    return 1;
  }
  try {
    let ranked;
    if (args.catalog) {
      const catalog = await parseCatalog(decodeCatalog(await readFile(args.catalog)), args.catalog);
      ranked = rankOffers(await buildCatalogIndex(catalog), await folderSynonyms(deps.promptsDir), args.query, limit);
    } else {
      const snapshot = await loadPromptsFolder(deps.promptsDir);
      ranked = await snapshot.catalog.rank(snapshot.synonyms, args.query, limit);
    }
    const rows = ranked.map(({ offer, score }) => ({ id: offer.id, score: Math.round(score * 10_000) / 10_000, name: offer.name }));
    if (args.json) {
      deps.out(JSON.stringify(rows));
      return 0;
    }
    if (rows.length === 0) deps.out('nothing found');
    ranked.forEach(({ offer, score }, i) => {
      const price = offer.price === null ? 'price on request' : `${offer.price} ${offer.currency}`;
      deps.out(`${String(i + 1).padStart(2)}. ${score.toFixed(3)}  ${offer.id}  ${offer.name} — ${price}, ${offer.available ? 'in stock' : 'to order'}`);
    });
    return 0;
  } catch (error) {
    if (error instanceof KnowledgeInvalidError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      deps.out(`cannot search: ${(error as Error).message}`);
      return 1;
    }
    throw error;
  }
}
