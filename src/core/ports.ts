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
  Handoff,
  HandoffReason,
  InboundMessage,
  InboundStatus,
  Operator,
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
  /**
   * The model's own decision that a person should take over, when it answered in the structured
   * form (answer + decision); absent for a plain-text answer, which the phrase list judges instead.
   */
  handoff?: { reason: string };
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

/** Keys of the core's fixed texts in `prompts/messages.yml`; customers see only these and model output. */
export type FixedTextKey =
  | 'greeting'
  | 'help'
  | 'accepted'
  | 'connecting'
  | 'no_operator'
  | 'operator_joined'
  | 'handoff_expired'
  | 'finished'
  | 'fallback'
  | 'rate_limited'
  | 'busy';

/**
 * What the bot knows: the prompts folder (system prompt, catalog, FAQ, handoff phrases, fixed
 * texts), hot-reloaded. Every method reads the last good version, so none of them fails.
 */
export interface KnowledgeBase {
  /** The model request for `question`: the rendered system prompt, then history trimmed to the budget, then the question. */
  composePrompt(input: { question: string; history: ChatTurn[] }): Promise<ChatTurn[]>;
  /** An honest answer from the FAQ and catalog alone, or null when nothing matches well enough. */
  offlineAnswer(question: string): Promise<string | null>;
  /** A fixed text from `messages.yml`: the core's (`FixedTextKey`) or a channel's own key. */
  text(key: FixedTextKey | (string & {})): string;
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

/** A customer's message waiting for the bot, and what the model reads before it. */
export interface Turn {
  message: StoredMessage;
  history: StoredMessage[];
}

/**
 * How a reply run starts. Not leased: the conversation is missing, another run holds it, or
 * (`idle`) no message of it waits for the bot, in which case no lease is taken at all.
 */
export type RunStart = { leased: false; exists: boolean; idle?: true } | { leased: true; conversation: Conversation; next: Turn | null };

/**
 * The conversation database: the source of truth. Every write that must happen once is a
 * single atomic statement, so a re-run job or a concurrent poll cannot duplicate it.
 */
export interface ConversationStore {
  /**
   * Stores a customer's message, creating the conversation on first contact. Idempotent on
   * (address, externalId). `askForPerson` records on the message that the customer asked for a
   * person by a command or button, so the reply worker hands off when it reaches it, in order.
   */
  accept(message: InboundMessage, options?: { askForPerson?: boolean }): Promise<AcceptedMessage>;
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
  /** Up to `limit` messages before message `beforeId` in the current episode (since the last operator chat ended), oldest first. */
  history(conversationId: string, beforeId: string, limit: number): Promise<StoredMessage[]>;
  /**
   * A reply run's start in one round trip: takes the lease as `acquireLease` does and, when taken,
   * returns the conversation and its next turn (as `nextTurn`). Not taken: whether the
   * conversation exists at all (a job for a missing one has nothing to wait for), and `idle` when
   * nothing is pending: then no lease is taken, as there is nothing to run (a job for a message an
   * earlier run already answered ends in one statement instead of a lease and its release).
   */
  beginRun(conversationId: string, owner: string, ttlMs: number, historyLimit: number): Promise<RunStart>;
  /**
   * The oldest pending customer's message with up to `historyLimit` messages before it (as
   * `nextPending` then `history`); when there is none, the run is over and `owner`'s lease is
   * released in the same statement.
   */
  nextTurn(conversationId: string, historyLimit: number, owner: string): Promise<Turn | null>;
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
  /**
   * The conversation at `address`, customers' messages, replies and notices alike: those with an id
   * above `afterId` (all of them when null), oldest first, at most `limit`. Reads only: nothing is
   * marked delivered. Within a conversation ids become visible in id order (every insert holds the
   * conversation's row lock), so a reader holding the last id it saw as a cursor misses nothing.
   */
  messagesSince(address: ConversationAddress, afterId: string | null, limit: number): Promise<StoredMessage[]>;
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

/** How an operator identifies themselves to the operators' bot. */
export interface OperatorIdentity {
  telegramUserId: string;
  chatId: string;
  name?: string;
  username?: string;
}

/** What a request for a person wrote, in one transaction with the conversation's state change. */
export interface HandoffRequestResult {
  handoff: Handoff;
  /** False when the conversation already had an open request: this one joined it. */
  created: boolean;
  /** The notice to the customer (connecting / nobody on duty), written as the reply to the trigger message when it was still unanswered. */
  notice: StoredMessage;
}

/** A handoff the store moved, with the notice it wrote for the customer, if any. */
export interface HandoffChange {
  handoff: Handoff;
  notice?: StoredMessage;
}

/**
 * The operators' desk in the database: operators and handoffs. Every transition is one guarded
 * statement or one transaction together with the conversation's state, so a race (two operators
 * pressing one invite, an accept against an expiry) has exactly one winner.
 */
export interface HandoffStore {
  /** Registers a Telegram user who wrote /start to the operators' bot as `pending`, or refreshes a known one's name. */
  registerOperator(identity: OperatorIdentity): Promise<{ operator: Operator; created: boolean }>;
  findOperator(telegramUserId: string): Promise<Operator | null>;
  getOperator(id: string): Promise<Operator | null>;
  listOperators(): Promise<Operator[]>;
  /** Approves or disables; disabling also takes the operator off duty. Null for an unknown user. */
  setOperatorStatus(telegramUserId: string, status: 'approved' | 'disabled'): Promise<Operator | null>;
  /** Only an approved operator goes on duty. Returns the operator as stored, or null when unknown. */
  setOnDuty(telegramUserId: string, onDuty: boolean): Promise<Operator | null>;
  onDutyOperators(): Promise<Operator[]>;
  getHandoff(id: string): Promise<Handoff | null>;
  /** Requests not yet taken (`requested`, `offered`), oldest first. */
  waitingHandoffs(limit: number): Promise<Handoff[]>;
  /** The handoff the operator is in charge of, if any. */
  activeHandoff(operatorId: string): Promise<Handoff | null>;
  /** The open handoff of a conversation (requested, offered or accepted), if any. */
  openHandoff(conversationId: string): Promise<Handoff | null>;
  /**
   * Opens a request for the conversation (or joins its open one), answers `triggerId` with the
   * notice (or adds the notice as a message of its own when the trigger was already answered)
   * and, when `wait`, moves the conversation from `bot` to `waiting_operator`, parking its
   * pending messages for the operator. One transaction.
   */
  request(input: { conversationId: string; triggerId: string; reason: HandoffReason; wait: boolean; notice: Omit<NewReply, 'inboundId' | 'kind'> }): Promise<HandoffRequestResult>;
  /** Marks a `requested` handoff `offered` (invites went out). */
  markOffered(handoffId: string): Promise<void>;
  /**
   * First press wins: moves the handoff to `accepted` by the operator if it is still waiting, the
   * operator is approved, on duty and in charge of no other conversation; the conversation goes
   * `with_operator` and the notice is written. `taken`: someone else has it or it is closed;
   * `busy`: the operator already has a conversation; `off_duty`: not approved or not on duty.
   */
  accept(handoffId: string, operatorId: string, noticeText: string): Promise<{ outcome: 'accepted'; change: HandoffChange } | { outcome: 'taken' | 'busy' | 'off_duty'; handoff: Handoff | null }>;
  /** Stores an operator's text for the customer of their active handoff; null when they have none. */
  relayFromOperator(operatorId: string, text: string): Promise<{ handoff: Handoff; message: StoredMessage } | null>;
  /** Ends the operator's active handoff: `finished`, the conversation back to `bot` with a new episode, the notice written. */
  finish(operatorId: string, noticeText: string): Promise<HandoffChange | null>;
  /** Puts the operator's active handoff back to `offered` (they left): the conversation waits again. */
  release(operatorId: string, noticeText: string): Promise<HandoffChange | null>;
  /**
   * Expires requests waiting since before `requestedBefore`: the conversation returns to `bot`,
   * messages parked for the operator become pending again (their ids returned), the notice is written.
   */
  expire(requestedBefore: Date, noticeText: string, limit: number): Promise<Array<HandoffChange & { repended: string[] }>>;
  /** The conversation's current episode for an operator who takes it, oldest first, at most `limit` (the latest). */
  transcript(conversationId: string, limit: number): Promise<StoredMessage[]>;
  /** Conversations waiting for a person now. */
  countWaiting(): Promise<number>;
}

/**
 * The operators' side of a handoff: tells operators what the core decided. Called after the
 * transaction commits, never before; each call only queues texts (durably) for the operators'
 * bot, so a Telegram outage delays it but loses nothing.
 */
export interface OperatorDesk {
  /** False when the operators' bot is not configured: nobody can be on duty. */
  readonly enabled: boolean;
  /** Invites `operators` to take the handoff. */
  invite(handoff: Handoff, conversation: Conversation, operators: Operator[]): Promise<void>;
  /** The operator took it: their invite and the others' are updated; they get the transcript. */
  accepted(handoff: Handoff, operator: Operator, conversation: Conversation, transcript: StoredMessage[]): Promise<void>;
  /** The handoff ended or went back to the queue: invites are updated, the operator (if any) is told. */
  closed(handoff: Handoff, conversation: Conversation, outcome: 'finished' | 'expired' | 'released', operator?: Operator): Promise<void>;
  /** A customer's message for the operator in charge. */
  relay(operator: Operator, conversation: Conversation, message: StoredMessage): Promise<void>;
}

/** What the core reports for metrics; the HTTP layer turns it into Prometheus series. */
export interface CoreMetrics {
  /** One model call: how it ended, how long it took, and its token usage when it succeeded. */
  modelCall(outcome: 'ok' | 'error', seconds: number, usage?: CompletionUsage): void;
  /** One reply stored, by kind. */
  reply(kind: ReplyKind): void;
  /** A handoff event: requested (with or without anybody on duty), accepted, finished, expired, released. */
  handoff(reason: string, outcome: 'requested' | 'unavailable' | 'accepted' | 'finished' | 'expired' | 'released'): void;
  /** Time from a request to its accept, seconds. */
  handoffAccepted(seconds: number): void;
}

/** Everything the core's use cases need, chosen by the composition root. */
export interface CoreDeps {
  store: ConversationStore;
  replies: JobQueue<ReplyJob>;
  /** Null when no credentials are configured: the bot answers from the knowledge base. */
  model: LanguageModel | null;
  knowledge: KnowledgeBase;
  outboxes: Partial<Record<ChannelId, ChannelOutbox>>;
  handoffs: HandoffStore;
  desk: OperatorDesk;
  logger: Logger;
  clock: Clock;
  metrics: CoreMetrics;
}

/** A text to queue for one chat of a bot (invites, transcripts, relays) or an edit of one sent before. */
export interface NewDelivery {
  /** Which bot sends it (`operators`); each bot's sender reads only its own. */
  bot: string;
  chatId: string;
  text: string;
  /** The channel's own markup (an inline keyboard), stored as JSON. */
  markup?: unknown;
  /** A second delivery with the same bot and key is ignored: re-running a step queues nothing twice. */
  dedupKey?: string;
  /** The handoff this belongs to (its invites are edited when it is taken or closed). */
  handoffId?: string;
  /** Edits the message sent for that delivery instead of sending a new one. */
  editOf?: string;
}

export interface Delivery extends NewDelivery {
  id: string;
  createdAt: Date;
  /** The message id the chat gave the sent message (for later edits). */
  sentMessageId?: string;
  /** For an edit: the message id of the delivery it edits, once that was sent. */
  editTarget?: string;
}

/**
 * The delivery log of texts a bot sends outside a conversation's own messages: written durably
 * first, then sent in order per chat, once, by the bot's sender; a resend sweep picks up what a
 * crash or an outage left unsent.
 */
export interface DeliveryStore {
  /** Queues texts; returns the ones actually added (a repeated dedup key adds nothing). */
  add(items: NewDelivery[]): Promise<Delivery[]>;
  /** A chat's unsettled deliveries, oldest first. */
  pending(bot: string, chatId: string, limit: number): Promise<Delivery[]>;
  /** Records the outcome of one delivery. */
  settle(id: string, outcome: 'sent' | 'rejected' | 'blocked', sentMessageId?: string): Promise<void>;
  /** Settles every unsettled delivery of a chat (the user blocked the bot). */
  settleChat(bot: string, chatId: string, outcome: 'blocked'): Promise<void>;
  /** Chats with deliveries unsettled since before `createdBefore`: the resend sweep's work list. */
  staleChats(bot: string, createdBefore: Date, limit: number): Promise<Array<{ chatId: string; firstId: string }>>;
  /** The invites of a handoff (deliveries with markup, not edits), to update when it is taken or closed. */
  invitesOf(handoffId: string): Promise<Delivery[]>;
}
