/**
 * A test client for the widget's event stream: fetch with the chat-token header (as the widget
 * reads it), parsed with eventsource-parser. Collects every event; `next` waits for one.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { waitFor } from './wait-for.js';

export interface StreamMessage {
  id: number;
  message: string;
  date_create: string;
  user: 'CUSTOMER' | 'GPT' | 'OPERATOR';
}

export interface SseClient {
  status: number;
  /** Every event received, in order. */
  events: EventSourceMessage[];
  /** The `message` events' data, in order. */
  messages(): StreamMessage[];
  /** The event id of the last `message` event (the cursor to resume from). */
  lastId(): string | undefined;
  /** Waits until an event matching `test` is among `events`, and returns it. */
  next(test: (event: EventSourceMessage) => boolean, timeoutMs?: number): Promise<EventSourceMessage>;
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

export async function openSse(url: string, token: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { 'chat-token': token, accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: EventSourceMessage[] = [];
  let ended = false;
  const parser = createParser({ onEvent: (event) => events.push(event) });
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
      } catch {
        // aborted by close()
      }
      ended = true;
    })();
  } else ended = true;
  const messages = () => events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data) as StreamMessage);
  return {
    status: response.status,
    events,
    messages,
    lastId: () => events.filter((e) => e.event === 'message').at(-1)?.id,
    next: (test, timeoutMs = 10_000) => waitFor(() => events.find(test), timeoutMs, { what: 'a stream event' }),
    ended: () => ended,
    close: () => abort.abort(),
  };
}
