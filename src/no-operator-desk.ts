import type { Logger, OperatorDesk } from './core/ports.js';

/**
 * The desk while the operators' bot is not configured: nobody is ever on duty, so a handoff
 * tells the customer so and the bot keeps the conversation.
 */
export function createNoOperatorDesk(logger: Logger): OperatorDesk {
  return {
    async requestHandoff() {
      return 'unavailable';
    },
    async forwardToOperator(conversation, message) {
      // Only reachable if a conversation was left with an operator by an earlier configuration.
      logger.warn({ conversationId: conversation.id, messageId: message.id }, 'forward to operator: operators bot is not configured');
    },
  };
}
