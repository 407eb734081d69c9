/**
 * `operators list | approve <telegramUserId> | disable <telegramUserId>`: the operators who
 * registered through the operators' bot. Approve and disable run the core's use cases, as the
 * admin panel does; what they tell operators and customers is written to the database and sent by
 * the running system (its operators' bot looks for unsent texts every few seconds).
 */
import { resolve } from 'node:path';
import { createOperatorOutbox, createTelegramOperatorDesk } from '../../channels/operators/desk.js';
import { operatorTextsFrom } from '../../channels/operators/texts.js';
import type { Config } from '../config.js';
import { approveOperator, stopOperator } from '../core/desk.js';
import type { CoreDeps } from '../core/ports.js';
import type { Operator } from '../core/types.js';
import { createPgConversationStore } from '../db/pg-conversation-store.js';
import { createPgDeliveryStore } from '../db/pg-delivery-store.js';
import { createPgHandoffStore } from '../db/pg-handoff-store.js';
import { openDatabase } from '../infrastructure.js';
import { createPromptsKnowledge } from '../knowledge/index.js';
import { createLogger } from '../logger.js';

export type OperatorsAction = { kind: 'list' } | { kind: 'approve' | 'disable'; telegramUserId: string };

/** Exit code 0 on success, 1 for an unknown operator, 2 for a malformed id. */
export async function runOperators(action: OperatorsAction, config: Config, out: (line: string) => void): Promise<number> {
  if (action.kind !== 'list' && !/^\d{1,20}$/.test(action.telegramUserId)) {
    out(`"${action.telegramUserId}" is not a Telegram user id (digits, as shown by "operators list")`);
    return 2;
  }
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL });
  const database = await openDatabase(config, logger, { poolMax: 2 });
  try {
    const handoffs = createPgHandoffStore(database.pool);
    if (action.kind === 'list') {
      const operators = await handoffs.listOperators();
      if (operators.length === 0) out('no operators yet: they register by sending /start to the operators\' bot');
      for (const operator of operators) out(describe(operator));
      return 0;
    }
    const deps = await deskDeps(config, database.pool, logger);
    const operator = await (action.kind === 'approve'
      ? approveOperator(deps, action.telegramUserId)
      : stopOperator(deps, action.telegramUserId, 'disabled')
    ).finally(() => deps.knowledge.close());
    if (!operator) {
      out(`no operator with Telegram user id ${action.telegramUserId}: they must send /start to the operators' bot first`);
      return 1;
    }
    out(describe(operator));
    return 0;
  } finally {
    await database.close();
  }
}

function describe(operator: Operator): string {
  const name = [operator.name, operator.username ? `@${operator.username}` : undefined].filter(Boolean).join(' ');
  return `${operator.telegramUserId}\t${operator.status}${operator.onDuty ? ', on duty' : ''}\t${name}`;
}

/** The core's dependencies as far as approving and disabling reach: no queues, no bots running here. */
async function deskDeps(
  config: Config,
  pool: Parameters<typeof createPgConversationStore>[0],
  logger: ReturnType<typeof createLogger>,
): Promise<CoreDeps & { knowledge: { close(): Promise<void> } }> {
  const knowledge = await createPromptsKnowledge({ promptsDir: resolve(config.PROMPTS_DIR), logger, maxTokens: config.YANDEX_GPT_MAX_TOKENS, watch: false });
  const deliveries = createPgDeliveryStore(pool);
  // Texts for operators are only written: the running operators' bot sends them.
  const outbox = createOperatorOutbox(deliveries, { flush: async () => undefined });
  return {
    store: createPgConversationStore(pool),
    handoffs: createPgHandoffStore(pool),
    desk: createTelegramOperatorDesk({ outbox, deliveries, texts: operatorTextsFrom((key) => knowledge.text(key)) }),
    knowledge,
    replies: { enqueue: async () => undefined, requeue: async () => undefined },
    model: null,
    outboxes: {},
    logger,
    clock: { now: () => new Date() },
    metrics: { modelCall() {}, reply() {}, handoff() {}, handoffAccepted() {} },
  };
}
