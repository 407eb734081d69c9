/**
 * The structured reply: YandexGPT is asked (request field `jsonSchema`, see
 * https://yandex.cloud/en/docs/ai-studio/concepts/generation/structured-output) for an answer plus
 * its own decision whether a person should take over. A reply that is not in that form (an older
 * model, a fake) is plain text, judged by the phrase list in handoff.yml instead.
 */

/** The JSON schema sent as `jsonSchema.schema`. */
export const STRUCTURED_REPLY_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string', description: 'The reply to the customer, in the language of the conversation.' },
    handoff: {
      type: 'boolean',
      description: 'True when a human operator should take over: the customer asks for a person, or the request needs one (orders, complaints, invoices, anything the instructions say you must not do yourself).',
    },
    reason: { type: 'string', description: 'Why a person is needed, in a few words; empty when handoff is false.' },
  },
  required: ['answer', 'handoff'],
} as const;

export interface StructuredReply {
  text: string;
  /** Present when the model decided a person should take over. */
  handoff?: { reason: string };
}

/**
 * Reads a reply: the structured form when it is one, plain text otherwise. A structured reply cut
 * at the token limit is not valid JSON; its answer is recovered rather than showing JSON to a customer.
 */
export function readStructuredReply(text: string): StructuredReply {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return { text };
  const parsed = parseObject(trimmed) ?? parseObject(`${trimmed}"}`) ?? parseObject(`${trimmed}}`);
  if (!parsed || typeof parsed.answer !== 'string') return { text };
  const reply: StructuredReply = { text: parsed.answer };
  if (parsed.handoff === true) reply.handoff = { reason: typeof parsed.reason === 'string' ? parsed.reason.slice(0, 200) : '' };
  return reply;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
