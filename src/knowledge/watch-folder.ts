/**
 * Watches the prompts folder and calls back once per burst of changes: editors write a file in
 * several steps (temp file, rename), and a reload per step would only re-read half an edit.
 */
import { watch } from 'chokidar';
import type { Logger } from '../core/ports.js';

/** Quiet time after the last change before the folder is reloaded, ms. */
const DEBOUNCE_MS = 300;

/** A running watch of the folder. */
export interface FolderWatch {
  /** Resolves once the watcher is listening. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Calls `onChange` (never concurrently with itself) after changes in `dir`. */
export function watchFolder(dir: string, onChange: () => Promise<void>, logger: Logger): FolderWatch {
  const watcher = watch(dir, {
    ignoreInitial: true,
    depth: 0,
    awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
  });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = onChange()
      .catch((error: unknown) => logger.error({ err: error }, 'prompts folder reload failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };

  watcher.on('all', (event, path) => {
    logger.debug({ event, path }, 'prompts folder changed');
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  watcher.on('error', (error) => logger.warn({ err: error }, 'prompts folder watcher error'));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
