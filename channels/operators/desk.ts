/**
 * The OperatorDesk over the operators' bot: every text for an operator — invites, edits of
 * invites, transcripts, customers' messages, answers to commands — is written to the delivery log
 * first and then flushed by the bot's sender, in order per operator's chat, once.
 */
import type { DeliveryStore, NewDelivery, OperatorDesk } from '../../src/core/ports.js';
import type { Delivery } from '../../src/core/ports.js';
import type { DeliverySource, TelegramTransport } from '../../src/telegram/transport.js';
import { TAKE_PREFIX } from './inbound.js';
import { customerLabel, operatorLabel, reasonText, transcriptText, type OperatorTexts } from './texts.js';

/** The bot's name in the delivery log. */
export const OPERATORS_BOT = 'operators';

export interface OperatorOutbox {
  /** Queues texts for operators' chats and flushes each chat. */
  send(items: Array<Omit<NewDelivery, 'bot'>>): Promise<void>;
}

export function createOperatorOutbox(deliveries: DeliveryStore, transport: Pick<TelegramTransport, 'flush'>): OperatorOutbox {
  return {
    async send(items) {
      const added = await deliveries.add(items.map((item) => ({ ...item, bot: OPERATORS_BOT })));
      const firstPerChat = new Map<string, Delivery>();
      for (const delivery of added) if (!firstPerChat.has(delivery.chatId)) firstPerChat.set(delivery.chatId, delivery);
      for (const delivery of firstPerChat.values()) await transport.flush(delivery.chatId, delivery.id);
    },
  };
}

export function createTelegramOperatorDesk(deps: { outbox: OperatorOutbox; deliveries: DeliveryStore; texts: OperatorTexts }): OperatorDesk {
  const { outbox, deliveries, texts } = deps;
  /** Edits every invite of the handoff once per `event`; `textFor` picks each operator's new text. */
  const editInvites = async (handoffId: string, event: string, textFor: (invite: Delivery) => string) => {
    const invites = await deliveries.invitesOf(handoffId);
    await outbox.send(
      invites.map((invite) => ({ chatId: invite.chatId, text: textFor(invite), editOf: invite.id, handoffId, dedupKey: `edit-${invite.id}-${event}` })),
    );
  };
  return {
    enabled: true,
    async invite(handoff, conversation, operators) {
      const text = texts('invite', { customer: customerLabel(conversation), reason: reasonText(texts, handoff) });
      const markup = { inline_keyboard: [[{ text: texts('invite_button'), callback_data: `${TAKE_PREFIX}${handoff.id}` }]] };
      await outbox.send(
        operators.map((operator) => ({ chatId: operator.chatId, text, markup, handoffId: handoff.id, dedupKey: `invite-${handoff.id}-${handoff.round}-${operator.id}` })),
      );
    },
    async accepted(handoff, operator, conversation, transcript) {
      const customer = customerLabel(conversation);
      await editInvites(handoff.id, `accepted-${handoff.round}`, (invite) =>
        invite.chatId === operator.chatId ? texts('taken_by_you', { customer }) : texts('taken_by', { customer, operator: operatorLabel(operator) }),
      );
      const round = `${handoff.id}-${handoff.round}`;
      await outbox.send([{ chatId: operator.chatId, text: transcriptText(texts, conversation, transcript), dedupKey: `transcript-${round}` }]);
    },
    async closed(handoff, conversation, outcome, operator) {
      const customer = customerLabel(conversation);
      await editInvites(handoff.id, `${outcome}-${handoff.round}`, () => texts('invite_closed', { customer }));
      if (operator && outcome !== 'expired') {
        const key = outcome === 'finished' ? 'finished' : 'returned';
        await outbox.send([{ chatId: operator.chatId, text: texts(key, { customer }), dedupKey: `${key}-${handoff.id}-${handoff.round}` }]);
      }
    },
    async relay(operator, conversation, message) {
      await outbox.send([{ chatId: operator.chatId, text: `${customerLabel(conversation)}: ${message.text}`, dedupKey: `relay-${message.id}` }]);
    },
  };
}

/** The operators' texts from the delivery log; a blocked bot takes the operator off duty. */
export function operatorDeliverySource(deliveries: DeliveryStore, onBlocked: (chatId: string) => Promise<void>): DeliverySource {
  return {
    async pending(chatId, limit) {
      const items = await deliveries.pending(OPERATORS_BOT, chatId, limit);
      return items.map((d) => ({
        id: d.id,
        text: d.text,
        ...(d.markup ? { markup: d.markup as never } : {}),
        ...(d.editOf ? { edit: { messageId: d.editTarget } } : {}),
      }));
    },
    async settle(_chatId, id, outcome, sentMessageId) {
      await deliveries.settle(id, outcome, sentMessageId);
    },
    async blocked(chatId) {
      await deliveries.settleChat(OPERATORS_BOT, chatId, 'blocked');
      await onBlocked(chatId);
    },
    stale: (before, limit) => deliveries.staleChats(OPERATORS_BOT, before, limit),
  };
}
