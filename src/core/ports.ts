/**
 * The interfaces the conversation core needs from the outside world. Channels and the
 * infrastructure folders implement them; only `src/app.ts` picks the implementations.
 */
import type {
  ChannelId,
  CompletionUsage,
  Conversation,
  ConversationAddress,
  ConversationState,
  InboundMessage,
  InboundStatus,
  OutboundMessage,
  ReplyKind,
  StoredMessage,
} from './types.js';

/** Structured logging, pino-compatible: an object of fields first, then the message. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: object): Logger;
}

export interface Clock {
  now(): Date;
}

/** One turn of a chat as sent to a language model. */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  text: string;
}

/**
 * How a completion ended: `final` complete; `truncated` cut at the token limit (the text is
 * still usable); `content_filter` the provider refused to answer (the text must not be shown).
 */
export type CompletionStatus = 'final' | 'truncated' | 'content_filter';

export interface Completion {
  text: string;
  status: CompletionStatus;
  usage: CompletionUsage;
}

/**
 * A chat language model (YandexGPT in production). One call is one generation; it does not retry
 * by itself: retries belong to the reply queue, so a waiting retry holds no concurrency slot.
 * Fails with `LlmRequestError` (the provider answered with an error status) or
 * `LlmUnreachableError` (network failure or timeout).
 */
export interface LanguageModel {
  complete(turns: ChatTurn[], options?: { signal?: AbortSignal }): Promise<Completion>;
}

/** Keys of the fixed texts in `prompts/messages.yml`; customers see only these and model output. */
export type FixedTextKey =
  | 'greeting'
  | 'help'
  | 'accepted'
  | 'connecting'
  | 'no_operator'
  | 'finished'
  | 'fallback'
  | 'rate_limited'
  | 'telegram_unsupported'
  | 'telegram_person_button'
  | 'telegram_command_start'
  | 'telegram_command_help'
  | 'telegram_command_operator'
  | 'widget_title'
  | 'widget_placeholder'
  | 'widget_send';

/**
 * What the bot knows: the prompts folder (system prompt, catalog, FAQ, handoff phrases, fixed
 * texts), hot-reloaded. Every method reads the last good version, so none of them fails.
 */
export interface KnowledgeBase {
  /** The model request for `question`: the rendered system prompt, then history trimmed to the budget, then the question. */
  composePrompt(input: { question: string; history: ChatTurn[] }): ChatTurn[];
  /** An honest answer from the FAQ and catalog alone, or null when nothing matches well enough. */
  offlineAnswer(question: string): string | null;
  /** A fixed text from `messages.yml`. */
  text(key: FixedTextKey): string;
  /** Whether the customer asks for a person (`handoff.yml`, customer phrases). */
  wantsPerson(customerText: string): boolean;
  /** Whether a model reply means the bot is out of its depth (`handoff.yml`, reply phrases). */
  isOutOfDepth(modelReply: string): boolean;
}

/** The result of accepting an inbound message. */
export interface AcceptedMessage {
  conversation: Conversation;
  message: StoredMessage;
  /** True when this channel message id was accepted before; nothing new was stored. */
  duplicate: boolean;
}

/** A reply to one customer's message, written together with that message's new status. */
export interface NewReply {
  inboundId: string;
  text: string;
  author: 'GPT' | 'OPERATOR';
  kind: ReplyKind;
  /** The status the customer's message moves to. */
  status: Exclude<InboundStatus, 'pending'>;
  usage?: CompletionUsage;
  /** Why a handoff was decided for this message (`customer_request`, `out_of_depth`), if one was. */
  handoff?: string;
}

/**
 * The conversation database: the source of truth. Every write that must happen once is a
 * single atomic statement, so a re-run job or a concurrent poll cannot duplicate it.
 */
export interface ConversationStore {
  /** Stores a customer's message, creating the conversation on first contact. Idempotent on (address, externalId). */
  accept(message: InboundMessage): Promise<AcceptedMessage>;
  getConversation(id: string): Promise<Conversation | null>;
  /**
   * Takes the conversation's reply lease for `ttlMs` (or extends it for the same owner); false when
   * another owner holds a live lease. One lease per conversation means one model call at a time.
   */
  acquireLease(conversationId: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(conversationId: string, owner: string): Promise<void>;
  /** Drops every lease; for a single-process start, where no other owner can be alive. */
  releaseAllLeases(): Promise<void>;
  /** The oldest customer's message of the conversation still waiting for the bot. */
  nextPending(conversationId: string): Promise<StoredMessage | null>;
  /** Up to `limit` messages before message `beforeId`, oldest first. */
  history(conversationId: string, beforeId: string, limit: number): Promise<StoredMessage[]>;
  /** Writes the reply if the customer's message is still pending; null when it was already answered. */
  recordReply(reply: NewReply): Promise<StoredMessage | null>;
  /** A message to the customer that answers no particular message (an operator's text, a notice). */
  addOutbound(conversationId: string, text: string, author: 'GPT' | 'OPERATOR', kind: 'notice' | 'operator'): Promise<StoredMessage>;
  /**
   * Moves the conversation to `to` if it is in one of `from`; leaving `bot` also moves its pending
   * messages to `operator`, in the same transaction. False when the state was not one of `from`.
   */
  transition(conversationId: string, from: ConversationState[], to: ConversationState): Promise<boolean>;
  /** Atomically marks every reply not yet fetched at this address as delivered and returns them, oldest first. */
  claimUndelivered(address: ConversationAddress): Promise<StoredMessage[]>;
  /** Marks one reply delivered (push channels, after the send succeeded). */
  markDelivered(messageId: string): Promise<void>;
  /** Customers' messages still pending that were accepted before `acceptedBefore`: the recovery sweep's work list. */
  findStalePending(acceptedBefore: Date, limit: number): Promise<Array<{ conversationId: string; messageId: string }>>;
  /**
   * Replies on `channel` not yet marked delivered, oldest first, at most `limit`: what a push
   * channel still has to send. `createdBefore` leaves out replies whose send may still be under
   * way (the resend sweep); `chatId` narrows the list to one address (the sender, which knows
   * where it sends, not the conversation's id).
   */
  findUndelivered(channel: ChannelId, filter: { createdBefore?: Date; chatId?: string }, limit: number): Promise<UndeliveredReply[]>;
  /**
   * The customer blocked the bot on a push channel: records it on the conversation (their next
   * message clears the mark) and settles its undelivered replies, which can never arrive.
   */
  markBlocked(address: ConversationAddress): Promise<void>;
}

/** A reply still to be sent, with where it goes. */
export interface UndeliveredReply {
  address: ConversationAddress;
  message: StoredMessage;
}

/** The reply job: ids only; the database holds everything else. */
export interface ReplyJob {
  conversationId: string;
  messageId: string;
}

/** A durable job queue. Job ids are idempotency keys: adding an id that is waiting or running does nothing. */
export interface JobQueue<T> {
  enqueue(jobId: string, data: T): Promise<void>;
  /** Like `enqueue`, but also replaces a finished (completed or failed) job with the same id: for recovery. */
  requeue(jobId: string, data: T): Promise<void>;
}

/** What a job processor is told about the run in progress. */
export interface JobContext {
  jobId: string;
  /** 1 on the first run; counts runs that failed, not postponements. */
  attempt: number;
  /** No retry will follow a failure of this run: the processor must settle the outcome itself. */
  isFinalAttempt: boolean;
  /** Aborted when the process shuts down and the run should stop soon. */
  signal: AbortSignal;
}

/** Delivers messages to customers on one channel. */
export interface ChannelOutbox {
  channel: ChannelId;
  /** Hands the message to the channel; a pull channel (web) only signals that something is waiting. */
  deliver(to: ConversationAddress, message: OutboundMessage): Promise<void>;
  /** Best-effort "typing…" while the model works; failures are ignored by the caller. */
  showTyping?(to: ConversationAddress): Promise<void>;
}

/** Human operators. Until the operators' bot is configured, nobody is on duty. */
export interface OperatorDesk {
  /** Asks operators on duty to take the conversation: `queued` when invites went out, `unavailable` when nobody is on duty. */
  requestHandoff(conversation: Conversation, reason: string): Promise<'queued' | 'unavailable'>;
  /** Passes a customer's message to the operator who has the conversation (or keeps it for when one takes it). */
  forwardToOperator(conversation: Conversation, message: StoredMessage): Promise<void>;
}

/** What the core reports for metrics; the HTTP layer turns it into Prometheus series. */
export interface CoreMetrics {
  /** One model call: how it ended, how long it took, and its token usage when it succeeded. */
  modelCall(outcome: 'ok' | 'error', seconds: number, usage?: CompletionUsage): void;
  /** One reply stored, by kind. */
  reply(kind: ReplyKind): void;
}

/** Everything the core's use cases need, chosen by the composition root. */
export interface CoreDeps {
  store: ConversationStore;
  replies: JobQueue<ReplyJob>;
  /** Null when no credentials are configured: the bot answers from the knowledge base. */
  model: LanguageModel | null;
  knowledge: KnowledgeBase;
  outboxes: Partial<Record<ChannelId, ChannelOutbox>>;
  desk: OperatorDesk;
  logger: Logger;
  clock: Clock;
  metrics: CoreMetrics;
}
