/** Starts one role with the environment's configuration and shuts it down on signals or a crash. */
import { resolve } from 'node:path';
import { StartupError, startApp, type App, type Role } from '../app.js';
import { renderBanner } from '../banner.js';
import { ConfigError, loadConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { createLogger } from '../logger.js';
import { startHeartbeat } from './heartbeat.js';

/** `banner`: print the start-up banner (one process of a cluster does). @defaultValue true */
export async function runRole(role: Role, options: { banner?: boolean } = {}): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  let app: App | undefined;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(code || 1);
    }, 30_000);
    force.unref();
    await app?.stop();
    logger.flush();
    process.exit(code);
  };
  // `on`, not `once`: a cluster worker gets Ctrl-C from the terminal and again from its primary,
  // and a second signal must not kill it mid-shutdown (shutdown runs once).
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });

  try {
    app = await startApp(config, logger, role);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof StartupError || error instanceof AppError || code === 'EADDRINUSE' || code === 'EACCES') {
      console.error(`cannot start: ${(error as Error).message}`);
      logger.flush();
      process.exit(1);
    }
    throw error;
  }
  logger.info({ ...app.info }, 'started');
  // The worker serves no HTTP: its container health check reads this heartbeat instead.
  if (role === 'worker') startHeartbeat(app);
  if (options.banner !== false) process.stdout.write(`\n${renderBanner(app.info, resolve(config.PROMPTS_DIR))}\n\n`);
  if (stopping) await app.stop();
}
