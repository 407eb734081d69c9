/**
 * `prompts check [--question "<text>"]`: validates every file of PROMPTS_DIR as the running
 * system would and prints the system prompt that would be sent for the question.
 */
import { checkPromptsDir } from '../knowledge/index.js';

/** The parsed command-line arguments. */
export interface PromptsCheckArgs {
  question?: string;
}

/** Where the folder is and where lines go. */
export interface PromptsCheckDeps {
  promptsDir: string;
  out: (line: string) => void;
  /** Validate the catalog of this feed instead of the folder's (CATALOG_URL). */
  catalogUrl?: string;
  /** The answer budget, tokens (YANDEX_GPT_MAX_TOKENS). @defaultValue 2000 */
  maxTokens?: number;
}

/** Exit code 0 when the folder is valid, 1 when it is not (the problem is printed). */
export async function runPromptsCheck(args: PromptsCheckArgs, deps: PromptsCheckDeps): Promise<number> {
  const question = args.question ?? 'Здравствуйте! Какие у вас есть пленки?';
  const result = await checkPromptsDir(deps.promptsDir, { question, catalogUrl: deps.catalogUrl, maxTokens: deps.maxTokens });
  if (!result.ok) {
    deps.out(`INVALID ${result.problem}`);
    return 1;
  }
  deps.out(`OK ${deps.promptsDir}: ${result.summary.offers} offers, ${result.summary.faq} FAQ entries`);
  deps.out(`question: ${question}`);
  for (const turn of result.prompt ?? []) {
    deps.out(`--- ${turn.role} (${turn.text.length} chars) ---`);
    deps.out(turn.text);
  }
  return 0;
}
