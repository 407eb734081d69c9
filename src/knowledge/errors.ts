import { AppError } from '../core/errors.js';

/** Where in the prompts folder a problem is: the file and, when known, the line and offer. */
export interface KnowledgeProblemLocation {
  file: string;
  line?: number;
  offerId?: string;
}

/**
 * A file of the prompts folder (or the catalog feed) does not validate. The message starts with
 * `file:line` so a manager can find the spot; at start this stops the process, after a hot edit
 * the edit is refused and the last good version stays in use.
 */
export class KnowledgeInvalidError extends AppError {
  readonly file: string;
  readonly line?: number;
  readonly offerId?: string;
  /** The problem without its location, to rebuild the error where it crossed a thread. */
  readonly reason: string;

  constructor(location: KnowledgeProblemLocation, reason: string, cause?: unknown) {
    const where = `${location.file}${location.line ? `:${location.line}` : ''}`;
    const offer = location.offerId ? ` offer "${location.offerId}":` : '';
    super('knowledge.invalid', `${where}:${offer} ${reason}`, { cause });
    this.file = location.file;
    this.line = location.line;
    this.offerId = location.offerId;
    this.reason = reason;
  }
}

/** The catalog feed at CATALOG_URL could not be fetched (network failure or an error status). */
export class CatalogFetchError extends AppError {
  constructor(url: string, detail: string, cause?: unknown) {
    super('knowledge.catalog_fetch_failed', `Catalog feed fetch ${url}: ${detail}`, { cause });
  }
}
