/**
 * One-shot validation of a prompts folder for the command line: every file checked as the
 * running system would, and the model request composed for a sample question.
 */
import { KnowledgeInvalidError } from './errors.js';
import { fetchCatalogFeed } from './catalog/feed.js';
import { composePrompt } from './compose-prompt.js';
import { loadPromptsFolder } from './load-folder.js';
import type { ChatTurn } from '../core/ports.js';
import type { KnowledgeSnapshot } from './snapshot.js';

/** Options of `checkPromptsDir`; the defaults are those of the running system. */
export interface CheckOptions {
  /** A question to compose the prompt for. */
  question?: string;
  /** Take the catalog from this feed, as CATALOG_URL would. */
  catalogUrl?: string;
  fetch?: typeof fetch;
  now?: Date;
  maxTokens?: number;
  contextTokens?: number;
}

/** The folder is valid (with what the prompt would be), or the first problem found. */
export type CheckResult =
  | { ok: true; snapshot: KnowledgeSnapshot; summary: { offers: number; faq: number }; prompt?: ChatTurn[] }
  | { ok: false; problem: string };

/** Validates the folder; a problem is returned (file, line, reason), not thrown. */
export async function checkPromptsDir(promptsDir: string, options: CheckOptions = {}): Promise<CheckResult> {
  try {
    const feed = options.catalogUrl
      ? await fetchCatalogFeed(options.catalogUrl, { fetch: options.fetch ?? globalThis.fetch, timeoutMs: 120_000 })
      : undefined;
    const snapshot = await loadPromptsFolder(promptsDir, { external: feed && { source: feed.source, key: feed.key } });
    const prompt = options.question === undefined
      ? undefined
      : await composePrompt(snapshot, { question: options.question, history: [] }, {
        now: options.now ?? new Date(),
        maxTokens: options.maxTokens ?? 2000,
        contextTokens: options.contextTokens ?? 32_000,
      });
    return { ok: true, snapshot, summary: { offers: snapshot.catalog.size, faq: snapshot.faq.entries.length }, prompt };
  } catch (error) {
    if (error instanceof KnowledgeInvalidError) return { ok: false, problem: error.message };
    if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).startsWith('knowledge.')) {
      return { ok: false, problem: error.message };
    }
    throw error;
  }
}
