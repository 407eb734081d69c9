/** The web widget's requests → the core's inbound message, validated as CONTRACT.md says. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { cleanCustomerText, isBlankText } from '../../src/core/customer-text.js';
import { InvalidInputError } from '../../src/core/errors.js';
import type { InboundMessage } from '../../src/core/types.js';

const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** The visitor's chat-token from the header, or a 400. */
export function parseChatToken(header: string | string[] | undefined): string {
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) throw new InvalidInputError('web.missing_token', 'chat-token header is required');
  if (!TOKEN.test(token)) {
    throw new InvalidInputError('web.invalid_token', 'chat-token must be 16-128 characters of A-Z, a-z, 0-9, _ and -');
  }
  return token;
}

/** A POST body read: the message, and whether the visitor pressed "talk to a person". */
export interface WebMessage {
  inbound: InboundMessage;
  askForPerson: boolean;
}

/**
 * Builds the reader of POST bodies: body → an inbound message for `token`, or a 400 naming what
 * is wrong. The schema is built once here, not per request (zod compiles it on first use).
 */
export function createMessageReader(maxChars: number): (token: string, body: unknown, now: Date) => WebMessage {
  const schema = z.object({
    ask_for_person: z.boolean({ error: 'ask_for_person must be true or false' }).optional(),
    message: z
      .string({ error: (issue) => (issue.input === undefined ? 'message is required' : 'message must be a string') })
      // Cleaned first (U+0000 dropped, trimmed): the limits apply to the text that is stored.
      .transform(cleanCustomerText)
      .refine((text) => !isBlankText(text), 'message must not be empty')
      .refine((text) => [...text].length <= maxChars, `message must be at most ${maxChars} characters`),
  });
  return (token, body, now) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidInputError('web.invalid_body', 'request body must be a JSON object');
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new InvalidInputError('web.invalid_message', parsed.error.issues[0]?.message ?? 'invalid message');
    }
    const inbound: InboundMessage = {
      address: { channel: 'web', chatId: token },
      // The widget sends no message id of its own: each POST is a new message.
      externalId: randomUUID(),
      text: parsed.data.message,
      at: now,
    };
    return { inbound, askForPerson: parsed.data.ask_for_person === true };
  };
}
