/**
 * CoreDeps built from the in-memory doubles, for unit tests of the core's use cases. The doubles
 * stay reachable by name so a test can script the model and inspect what was stored and sent.
 */
import type { CoreDeps, JobContext, ReplyJob } from '../../src/core/ports.js';
import type { InboundMessage, StoredMessage } from '../../src/core/types.js';
import { FakeClock } from './fake-clock.js';
import { FakeLanguageModel } from './fake-language-model.js';
import { FakeOperatorDesk } from './fake-operator-desk.js';
import { InMemoryConversationStore } from './in-memory-conversation-store.js';
import { InMemoryHandoffStore } from './in-memory-handoff-store.js';
import { InMemoryKnowledge, type InMemoryKnowledgeOptions } from './in-memory-knowledge.js';
import { InMemoryReplyQueue } from './in-memory-reply-queue.js';
import { noopMetrics, silentLogger } from './noop-metrics.js';
import { RecordingOutbox } from './recording-outbox.js';

export interface InMemoryCore {
  deps: CoreDeps;
  store: InMemoryConversationStore;
  replies: InMemoryReplyQueue;
  model: FakeLanguageModel;
  knowledge: InMemoryKnowledge;
  web: RecordingOutbox;
  desk: FakeOperatorDesk;
  handoffs: InMemoryHandoffStore;
  clock: FakeClock;
}

export function createInMemoryCore(options: { knowledge?: InMemoryKnowledgeOptions; withoutModel?: boolean } = {}): InMemoryCore {
  const clock = new FakeClock();
  const store = new InMemoryConversationStore({ clock });
  const replies = new InMemoryReplyQueue();
  const model = new FakeLanguageModel();
  const knowledge = new InMemoryKnowledge(options.knowledge);
  const web = new RecordingOutbox('web');
  const desk = new FakeOperatorDesk();
  const handoffs = new InMemoryHandoffStore(store);
  const deps: CoreDeps = {
    store,
    replies,
    model: options.withoutModel ? null : model,
    knowledge,
    outboxes: { web },
    // Only what a request for a person uses is in memory (see InMemoryHandoffStore).
    handoffs: handoffs as unknown as CoreDeps['handoffs'],
    desk,
    logger: silentLogger,
    clock,
    metrics: noopMetrics,
  };
  return { deps, store, replies, model, knowledge, web, desk, handoffs, clock };
}

let counter = 0;

/** A web visitor's message with a fresh external id; `chatId` picks the visitor. */
export function webMessage(text: string, chatId = 'visitor-1', at = new Date('2026-11-26T10:00:00Z')): InboundMessage {
  counter += 1;
  return { address: { channel: 'web', chatId }, externalId: `ext-${counter}`, text, at };
}

/** The reply job of a stored customer's message, as receiveMessage enqueues it. */
export function replyJobOf(message: StoredMessage): ReplyJob {
  return { conversationId: message.conversationId, messageId: message.id };
}

/** A run's context: the first of several attempts unless told otherwise. */
export function jobContext(overrides: Partial<JobContext> = {}): JobContext {
  return { jobId: 'reply-test', attempt: 1, isFinalAttempt: false, signal: new AbortController().signal, ...overrides };
}
