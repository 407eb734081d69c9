/**
 * LLM_CALLS_PER_MINUTE: past the global ceiling on model calls, a customer gets an honest "busy"
 * text (`messages.yml`, key `busy`) as the message's outcome, rather than a queue that grows
 * without end. The ceiling is counted by the model adapter (`src/llm/call-budget.ts`), which
 * throws ModelBusyError instead of calling; the reply path settles the message here.
 */
import { recordAndDeliver } from './deliver.js';
import { AppError } from './errors.js';
import type { CoreDeps } from './ports.js';
import type { Conversation, StoredMessage } from './types.js';

/** The model was not called: the ceiling on model calls a minute is reached. Final, never retried. */
export class ModelBusyError extends AppError {
  constructor() {
    super('llm.busy', 'YandexGPT completion: LLM_CALLS_PER_MINUTE reached; not called');
  }
}

export function isModelBusy(error: unknown): boolean {
  return error instanceof ModelBusyError || (error as { code?: unknown } | null)?.code === 'llm.busy';
}

/** Settles `message` with the `busy` text. */
export async function answerBusy(deps: CoreDeps, conversation: Conversation, message: StoredMessage): Promise<void> {
  deps.logger.warn({ conversationId: conversation.id, messageId: message.id }, 'model call ceiling reached; answered with the busy text');
  await recordAndDeliver(deps, conversation, {
    inboundId: message.id,
    text: deps.knowledge.text('busy'),
    author: 'GPT',
    kind: 'fallback',
    status: 'fallback',
  });
}
