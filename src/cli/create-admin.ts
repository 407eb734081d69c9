import { read } from 'read';
import type { Config } from '../config.js';
import { AdminUserError, createAdminUser } from '../http/admin/admin-users.js';
import { openDatabase } from '../infrastructure.js';
import { createLogger } from '../logger.js';

export interface CreateAdminArgs {
  username: string;
  password?: string;
}

/** Asks for the password twice without echoing it (on a terminal), or reads one line from piped input. */
async function askPassword(): Promise<string> {
  const first = await read({ prompt: 'Password: ', silent: true, replace: '*', output: process.stderr });
  if (!process.stdin.isTTY) return first;
  const again = await read({ prompt: 'Repeat password: ', silent: true, replace: '*', output: process.stderr });
  if (again !== first) throw new AdminUserError('admin.invalid', 'the passwords do not match');
  return first;
}

/**
 * `create-admin --username <u> [--password <p>]`: creates an admin user of the panel at /admin.
 * Exits 1 when the name is taken or the name or password does not qualify.
 */
export async function runCreateAdmin(args: CreateAdminArgs, config: Config, io: { out: (line: string) => void; err: (line: string) => void }): Promise<number> {
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  let password: string;
  try {
    password = args.password ?? (await askPassword());
  } catch (error) {
    io.err(`create-admin: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const database = await openDatabase(config, logger, { poolMax: 1 });
  try {
    const user = await createAdminUser(database.orm.em.fork(), args.username, password);
    io.out(`admin user "${user.username}" created; log in at /admin/`);
    return 0;
  } catch (error) {
    if (!(error instanceof AdminUserError)) throw error;
    io.err(`create-admin: ${error.message}`);
    return 1;
  } finally {
    await database.close();
  }
}
