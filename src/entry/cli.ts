/** The command line (CONTRACT.md): `npm run cli -- <command>`. Commands live in src/cli/. */
import { Command } from 'commander';
import { runCreateAdmin } from '../cli/create-admin.js';
import { runMigrate } from '../cli/migrate.js';
import { runOperators } from '../cli/operators.js';
import { runPromptsCheck } from '../cli/prompts-check.js';
import { runCatalogSearch } from '../cli/catalog-search.js';
import { ConfigError, loadConfig } from '../config.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

function config() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

const program = new Command().name('cli').description('support bot command line').showHelpAfterError();

program
  .command('migrate')
  .description('applies pending database migrations')
  .action(async () => {
    process.exitCode = await runMigrate(config(), out, (line) => process.stderr.write(`${line}\n`));
  });

const operators = program.command('operators').description("the operators who registered through the operators' bot");
operators
  .command('list')
  .description('lists operators: Telegram user id, status, on duty, name')
  .action(async () => {
    process.exitCode = await runOperators({ kind: 'list' }, config(), out);
  });
operators
  .command('approve')
  .description('lets a registered operator go on duty (they send /start again)')
  .argument('<telegramUserId>', 'as shown by operators list')
  .action(async (telegramUserId: string) => {
    process.exitCode = await runOperators({ kind: 'approve', telegramUserId }, config(), out);
  });
operators
  .command('disable')
  .description('takes an operator off duty for good; a conversation they had goes back to the queue')
  .argument('<telegramUserId>', 'as shown by operators list')
  .action(async (telegramUserId: string) => {
    process.exitCode = await runOperators({ kind: 'disable', telegramUserId }, config(), out);
  });

program
  .command('create-admin')
  .description('creates an admin user of the panel at /admin (asks for the password when none is given)')
  .requiredOption('--username <u>', 'the name to log in with')
  .option('--password <p>', 'the password; omit it to be asked (keeps it out of the shell history)')
  .action(async (options: { username: string; password?: string }) => {
    process.exitCode = await runCreateAdmin(options, config(), { out, err: (line) => process.stderr.write(`${line}\n`) });
  });

const prompts = program.command('prompts').description('the prompts folder managers edit');
prompts
  .command('check')
  .description('validates every file in PROMPTS_DIR and prints the system prompt that would be sent')
  .option('--question <text>', 'the visitor question to compose the prompt for')
  .action(async (options: { question?: string }) => {
    process.exitCode = await runPromptsCheck(options, { promptsDir: config().PROMPTS_DIR, out });
  });

const catalog = program.command('catalog').description('the product catalog');
catalog
  .command('search')
  .description('searches the catalog (the one in PROMPTS_DIR unless --catalog names another)')
  .argument('<query>', 'what a visitor would ask')
  .option('--catalog <file>', 'a YML or CSV catalog file')
  .option('--limit <n>', 'how many offers', '10')
  .option('--json', 'print only a JSON array of {"id","score","name"}')
  .action(async (query: string, options: { catalog?: string; limit: string; json?: boolean }) => {
    process.exitCode = await runCatalogSearch({ query, ...options }, { promptsDir: config().PROMPTS_DIR, out });
  });

await program.parseAsync(process.argv);
