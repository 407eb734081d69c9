/** The chat API as the widget calls it: texts, history, sending, and the live stream. */

export interface HistoryItem {
  id: number;
  message: string;
  date_create: string;
  user: 'CUSTOMER' | 'GPT' | 'OPERATOR';
}

export interface WidgetConfig {
  texts: Record<string, string>;
  options: { maxMessageChars: number; pollIntervalMs: number };
}

/** What became of a POST: sent (with the stored id), too fast (wait this many seconds), or failed. */
export type SendResult = { ok: true; id: number } | { ok: false; retryAfterS: number } | { ok: false; error: string };

export class ChatApi {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'chat-token': this.token, ...extra };
  }

  async config(): Promise<WidgetConfig> {
    const res = await fetch(`${this.base}/api/v1/widget/config`);
    if (!res.ok) throw new Error(`widget config: HTTP ${res.status}`);
    return (await res.json()) as WidgetConfig;
  }

  /** One page of the conversation after `cursor`. */
  async history(cursor: string | null, limit = 200): Promise<{ messages: HistoryItem[]; cursor: string }> {
    const query = `limit=${limit}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`;
    const res = await fetch(`${this.base}/api/v1/history?${query}`, { headers: this.headers(), cache: 'no-store' });
    if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
    return (await res.json()) as { messages: HistoryItem[]; cursor: string };
  }

  async send(message: string, askForPerson = false): Promise<SendResult> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1/gpt`, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(askForPerson ? { message, ask_for_person: true } : { message }),
      });
    } catch {
      return { ok: false, error: 'network' };
    }
    const body = (await res.json().catch(() => ({}))) as { id?: number; error?: string };
    if (res.status === 201) return { ok: true, id: Number(body.id) };
    if (res.status === 429) return { ok: false, retryAfterS: Math.max(1, Number(res.headers.get('retry-after')) || 60) };
    return { ok: false, error: body.error ?? `HTTP ${res.status}` };
  }

  /** Opens the event stream after `cursor`; rejects when it cannot be opened as one. */
  async openStream(cursor: string | null, signal: AbortSignal): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const url = `${this.base}/api/v1/stream${cursor ? `?after=${encodeURIComponent(cursor)}` : ''}`;
    const res = await fetch(url, { headers: this.headers({ accept: 'text/event-stream' }), cache: 'no-store', signal });
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !res.body || !type.startsWith('text/event-stream')) {
      void res.body?.cancel().catch(() => undefined);
      throw new Error(`stream: HTTP ${res.status} ${type}`);
    }
    return res.body.getReader();
  }
}
