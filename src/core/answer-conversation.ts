import { randomUUID } from 'node:crypto';
import { recordAndDeliver } from './deliver.js';
import { ConversationBusyError, LlmRequestError } from './errors.js';
import { requestHandoff } from './handoff.js';
import { answerBusy, isModelBusy } from './model-call-guard.js';
import type { ChatTurn, Completion, CoreDeps, JobContext, ReplyJob, Turn } from './ports.js';
import type { Conversation, StoredMessage } from './types.js';

export interface AnswerOptions {
  /** How long one run may hold the conversation's lease, ms: longer than a model call can take. */
  leaseMs: number;
  /** How soon a job that found the conversation busy runs again, ms. @defaultValue 250 */
  busyRetryMs?: number;
  /** Earlier messages loaded for the model (the composer trims them further to its budget). @defaultValue 30 */
  historyLimit?: number;
  /** After this long, a message the provider keeps rate-limiting gets the fallback instead, ms. @defaultValue 120000 */
  giveUpAfterMs?: number;
  /** Messages answered by one run before it lets other jobs in. @defaultValue 20 */
  maxPerRun?: number;
}

/**
 * The reply worker's job: answers the conversation's pending messages oldest first, one model call
 * at a time per conversation (a lease in the database, across all workers). A job finds the work
 * by conversation, not by its own message, so replies keep the order of acceptance whichever job
 * runs first. Throws to retry (the queue's attempts and backoff apply); on the final attempt, or
 * when retrying cannot help, it settles the message with an offline answer or the fallback text.
 */
export async function answerConversation(deps: CoreDeps, job: ReplyJob, context: JobContext, options: AnswerOptions): Promise<void> {
  const owner = `${context.jobId}/${context.attempt}/${randomUUID()}`;
  const historyLimit = options.historyLimit ?? 30;
  const run = await deps.store.beginRun(job.conversationId, owner, options.leaseMs, historyLimit);
  if (!run.leased) {
    // Missing: nothing will ever free a lease on it. Idle: nothing waits (an earlier run answered
    // this job's message; a message accepted later has a job of its own).
    if (!run.exists || run.idle) return;
    throw new ConversationBusyError(job.conversationId, options.busyRetryMs ?? 250);
  }
  let leaseHeld = true;
  try {
    if (run.conversation.state !== 'bot') return;
    // No state check per message: leaving `bot` parks every pending message in the same
    // transaction (ConversationStore.transition), so after a handoff there is none to find.
    for (let turn = run.next, answered = 0; turn; ) {
      await answerMessage(deps, run.conversation, turn, context, options);
      if (++answered >= (options.maxPerRun ?? 20)) return;
      turn = await deps.store.nextTurn(job.conversationId, historyLimit, owner);
      if (!turn) leaseHeld = false; // released by the same statement
    }
  } finally {
    if (leaseHeld) await deps.store.releaseLease(job.conversationId, owner);
  }
}

async function answerMessage(deps: CoreDeps, conversation: Conversation, turn: Turn, context: JobContext, options: AnswerOptions): Promise<void> {
  const { message } = turn;
  const log = deps.logger.child({ conversationId: conversation.id, channel: conversation.address.channel, jobId: context.jobId });
  if (message.handoff === 'customer_request' || deps.knowledge.wantsPerson(message.text)) {
    await requestHandoff(deps, conversation, message, 'customer_request');
    return;
  }
  if (!deps.model) return settleOffline(deps, conversation, message);

  const turns = await deps.knowledge.composePrompt({ question: message.text, history: turn.history.map(toChatTurn) });
  void deps.outboxes[conversation.address.channel]?.showTyping?.(conversation.address).catch(() => undefined);

  let completion: Completion;
  const started = performance.now();
  try {
    completion = await deps.model.complete(turns, { signal: context.signal });
    deps.metrics.modelCall('ok', (performance.now() - started) / 1000, completion.usage);
  } catch (error) {
    if (isModelBusy(error)) return answerBusy(deps, conversation, message);
    deps.metrics.modelCall('error', (performance.now() - started) / 1000);
    const age = deps.clock.now().getTime() - message.createdAt.getTime();
    const permanent = error instanceof LlmRequestError && !error.retryable;
    const starved = error instanceof LlmRequestError && error.status === 429 && age > (options.giveUpAfterMs ?? 120_000);
    if (context.signal.aborted || !(context.isFinalAttempt || permanent || starved)) throw error;
    log.error({ err: error, messageId: message.id, attempt: context.attempt }, 'model failed for good; answering from the knowledge base');
    return settleOffline(deps, conversation, message);
  }

  if (completion.status === 'content_filter') {
    // The provider refused; its text is not for the customer. The knowledge base may still help.
    log.warn({ messageId: message.id }, 'model reply withheld by the content filter');
    return settleOffline(deps, conversation, message);
  }
  if (completion.status === 'truncated') {
    log.warn({ messageId: message.id, outputTokens: completion.usage.outputTokens }, 'model reply cut at the token limit; delivered as is');
  }
  // The model's structured decision, or for a plain-text reply the phrase list as a safety net.
  // A useful answer is never thrown away: the customer gets it, then the handoff's notice.
  const handoffReason = completion.handoff ? 'model_decision' : deps.knowledge.isOutOfDepth(completion.text) ? 'out_of_depth' : null;
  if (completion.text.trim()) {
    await recordAndDeliver(deps, conversation, {
      inboundId: message.id,
      text: completion.text,
      author: 'GPT',
      kind: 'answer',
      status: 'answered',
      usage: completion.usage,
      handoff: handoffReason ?? undefined,
    });
  }
  if (handoffReason) {
    log.info({ messageId: message.id, reason: handoffReason, modelReason: completion.handoff?.reason }, 'the model wants a person to take over');
    await requestHandoff(deps, conversation, message, handoffReason);
  } else if (!completion.text.trim()) {
    return settleOffline(deps, conversation, message);
  }
}

/** Answers from the knowledge base alone, or with the fallback text: never silence. */
async function settleOffline(deps: CoreDeps, conversation: Conversation, message: StoredMessage): Promise<void> {
  const offline = await deps.knowledge.offlineAnswer(message.text);
  const kind = offline ? 'offline' : 'fallback';
  await recordAndDeliver(deps, conversation, {
    inboundId: message.id,
    text: offline ?? deps.knowledge.text('fallback'),
    author: 'GPT',
    kind,
    status: kind,
  });
}

function toChatTurn(message: StoredMessage): ChatTurn {
  return { role: message.author === 'CUSTOMER' ? 'user' : 'assistant', text: message.text };
}
