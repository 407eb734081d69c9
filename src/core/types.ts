/** The channels a conversation can live on. A new channel adds its id here and a folder in channels/. */
export type ChannelId = 'web' | 'telegram';

/** Where a reply goes; stored, so a worker can answer after the request is gone. */
export interface ConversationAddress {
  channel: ChannelId;
  /** The web visitor's chat-token, or the Telegram chat id. */
  chatId: string;
}

/** Who wrote, as far as the channel knows (Telegram name and username; nothing for web visitors). */
export interface SenderInfo {
  name?: string;
  username?: string;
}

/** The one shape every channel turns its native payload into. */
export interface InboundMessage {
  address: ConversationAddress;
  /** The channel's id for this message (Telegram update id, a generated id on the web); duplicates are dropped. */
  externalId: string;
  text: string;
  at: Date;
  sender?: SenderInfo;
}

/** Authors as the web widget knows them; `CUSTOMER` is the visitor or Telegram user. */
export type Author = 'CUSTOMER' | 'GPT' | 'OPERATOR';

/** What a reply is: the model's answer, an offline answer from the knowledge base, a fallback text, or a fixed notice. */
export type ReplyKind = 'answer' | 'offline' | 'fallback' | 'notice' | 'operator';

/** A message to send to the customer. */
export type OutboundMessage =
  | { kind: 'reply'; messageId: string; text: string; author: Exclude<Author, 'CUSTOMER'> }
  | { kind: 'finished'; messageId: string; text: string };

/**
 * With whom the conversation is: the bot answers only in `bot`; a handoff moves it to
 * `waiting_operator` and then `with_operator`. Both the router and the reply worker check it.
 */
export type ConversationState = 'bot' | 'waiting_operator' | 'with_operator';

export interface Conversation {
  id: string;
  address: ConversationAddress;
  state: ConversationState;
  sender?: SenderInfo;
  createdAt: Date;
}

/**
 * What became of a customer's message: `pending` waits for the bot; `answered` got the model's
 * answer, `offline` an answer from the knowledge base, `fallback` the fallback text; `operator`
 * went to a person (or waits for one).
 */
export type InboundStatus = 'pending' | 'answered' | 'offline' | 'fallback' | 'operator';

export interface StoredMessage {
  id: string;
  conversationId: string;
  author: Author;
  text: string;
  createdAt: Date;
  /** For customers' messages only. */
  status?: InboundStatus;
  /** For replies: the customer's message this answers. */
  replyToId?: string;
  /** For customers' messages: why a handoff was wanted for it (`customer_request` when asked for by a command or button). */
  handoff?: string;
}

/** Token counts and model version of one completion, stored with the reply. */
export interface CompletionUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  modelVersion: string;
}

/**
 * A request for a person, as a state machine: `requested` (nobody invited yet, or nobody on duty),
 * `offered` (invites went out), `accepted` (an operator is in charge), then `finished` (the
 * operator ended it) or `expired` (nobody took it within HANDOFF_TIMEOUT_MINUTES). An operator who
 * leaves (off duty, disabled, blocked the bot) puts an accepted handoff back to `offered`.
 */
export type HandoffState = 'requested' | 'offered' | 'accepted' | 'finished' | 'expired';

/** Why a person was asked for. */
export type HandoffReason = 'customer_request' | 'out_of_depth' | 'model_decision';

export interface Handoff {
  id: string;
  conversationId: string;
  state: HandoffState;
  reason: HandoffReason;
  operatorId?: string;
  /** Bumped each time the operator in charge leaves: invites are sent anew per round. */
  round: number;
  requestedAt: Date;
  acceptedAt?: Date;
  closedAt?: Date;
}

/** `pending` registered by /start and waits for approval; `approved` may go on duty; `disabled` may not. */
export type OperatorStatus = 'pending' | 'approved' | 'disabled';

/** A person who answers customers through the operators' bot. */
export interface Operator {
  id: string;
  telegramUserId: string;
  /** The private chat with the operators' bot. */
  chatId: string;
  name?: string;
  username?: string;
  status: OperatorStatus;
  onDuty: boolean;
  createdAt: Date;
}
