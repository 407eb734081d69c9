/**
 * The embeddable chat widget: `<script src="https://bot.example.com/widget.js" async></script>`.
 * Optional attributes: data-api (API base URL; default the script's own origin), data-title,
 * data-color, data-position (right | left), data-open ("true" opens the panel at load).
 * Everything lives in an open shadow root on a <support-bot-chat> element, so the site's CSS
 * cannot reach in and tests and assistive tools can.
 */
import { ChatApi, type HistoryItem, type WidgetConfig } from './api.js';
import { LiveConnection, type LiveState } from './live.js';
import { ChatView } from './view.js';

/** The original front end's key and token format, so a visitor keeps their conversation. */
const TOKEN_KEY = 'support-bot-chat-token';
const TYPING_MS = 30_000;

function randomHex(): string {
  // crypto.randomUUID exists only on https pages (and localhost); getRandomValues everywhere.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID().replace(/-/g, '');
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function loadToken(): string {
  try {
    let token = localStorage.getItem(TOKEN_KEY);
    if (!token || !/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
      token = `w${randomHex()}`;
      localStorage.setItem(TOKEN_KEY, token);
    }
    return token;
  } catch {
    // Storage blocked (private mode, a sandboxed frame): a conversation for this page view only.
    return `w${randomHex()}`;
  }
}

class Chat {
  private readonly known = new Set<number>();
  private readonly own: Array<{ text: string; bubble: HTMLElement; id?: number }> = [];
  private unread = 0;
  private offline = false;
  private waitS = 0;
  private failed = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private live: LiveConnection | undefined;

  constructor(
    private readonly api: ChatApi,
    private readonly view: ChatView,
    private readonly config: WidgetConfig,
  ) {
    view.onSend = (text) => void this.send(text, false);
    view.onPerson = () => void this.send(config.texts.widget_person_message ?? '', true);
    view.onOpen = () => (this.unread = 0);
    view.addMessage('GPT', config.texts.greeting ?? '');
  }

  async start(): Promise<void> {
    let cursor: string | null = null;
    for (let attempt = 0; ; attempt += 1) {
      try {
        for (;;) {
          const page = await this.api.history(cursor);
          cursor = page.cursor;
          this.show(page.messages, false);
          if (page.messages.length < 200) break;
        }
        break;
      } catch {
        this.setOffline(true);
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)));
      }
    }
    this.live = new LiveConnection(this.api, cursor, this.config.options.pollIntervalMs, {
      onMessages: (items) => this.show(items, true),
      onTyping: () => this.typing(true),
      onState: (state: LiveState) => this.setOffline(state === 'reconnecting'),
    });
    this.live.start();
    window.addEventListener('online', () => this.live?.wake());
    window.addEventListener('offline', () => this.setOffline(true));
  }

  private show(items: HistoryItem[], arrivedLive: boolean): void {
    for (const item of items) {
      if (this.known.has(item.id)) continue;
      this.known.add(item.id);
      if (item.user === 'CUSTOMER') {
        // The visitor's own message, already on screen since they sent it: adopt, do not repeat.
        const mine = this.own.findIndex((o) => o.id === item.id || (o.id === undefined && o.text === item.message));
        if (mine >= 0) {
          this.own.splice(mine, 1);
          continue;
        }
        this.view.addMessage('CUSTOMER', item.message);
        continue;
      }
      this.typing(false);
      this.view.addMessage(item.user, item.message);
      if (arrivedLive && !this.view.isOpen()) this.view.setUnread(++this.unread);
    }
  }

  private async send(text: string, askForPerson: boolean): Promise<void> {
    const bubble = this.view.addMessage('CUSTOMER', text);
    this.view.setStatus(bubble, this.config.texts.widget_sending ?? '');
    const entry: { text: string; bubble: HTMLElement; id?: number } = { text, bubble };
    this.own.push(entry);
    const result = await this.api.send(text, askForPerson);
    if (result.ok) {
      this.view.setStatus(bubble, null);
      entry.id = result.id;
      this.failed = false;
      if (this.known.has(result.id)) this.own.splice(this.own.indexOf(entry), 1);
      this.renderBanner();
      return;
    }
    // Not accepted: take the bubble back and give the text back to the visitor to send again.
    this.own.splice(this.own.indexOf(entry), 1);
    bubble.remove();
    if (!askForPerson && !this.view.input.value) this.view.input.value = text;
    if ('retryAfterS' in result) this.wait(result.retryAfterS);
    else {
      this.failed = true;
      this.renderBanner();
    }
  }

  private wait(seconds: number): void {
    this.waitS = seconds;
    this.view.setSendEnabled(false);
    const tick = () => {
      this.renderBanner();
      if (this.waitS <= 0) {
        this.view.setSendEnabled(true);
        return;
      }
      this.waitS -= 1;
      setTimeout(tick, 1000);
    };
    tick();
  }

  private typing(on: boolean): void {
    clearTimeout(this.typingTimer);
    this.view.showTyping(on);
    if (on) this.typingTimer = setTimeout(() => this.view.showTyping(false), TYPING_MS);
  }

  private setOffline(offline: boolean): void {
    this.offline = offline;
    this.renderBanner();
  }

  private renderBanner(): void {
    const t = this.config.texts;
    if (this.waitS > 0) this.view.setBanner((t.widget_wait ?? '').replace('{seconds}', String(this.waitS)));
    else if (this.offline) this.view.setBanner(t.widget_offline ?? '');
    else if (this.failed) this.view.setBanner(t.widget_send_failed ?? '');
    else this.view.setBanner(null);
  }
}

async function boot(script: HTMLScriptElement | null): Promise<void> {
  if (document.querySelector('support-bot-chat')) return; // the snippet was pasted twice
  const data = script?.dataset ?? {};
  const base = (data.api || (script?.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, '');
  const api = new ChatApi(base, loadToken());
  let config: WidgetConfig | undefined;
  for (let attempt = 0; !config; attempt += 1) {
    config = await api.config().catch(() => undefined);
    if (!config) await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, 2000 * 2 ** attempt)));
  }
  const host = document.createElement('support-bot-chat');
  const root = host.attachShadow({ mode: 'open' });
  const color = data.color && CSS.supports('color', data.color) ? data.color : '#2563eb';
  const view = new ChatView(root, {
    title: data.title || config.texts.widget_title || '',
    accent: color,
    side: data.position === 'left' ? 'left' : 'right',
    maxChars: config.options.maxMessageChars,
    texts: config.texts,
  });
  document.body.append(host);
  const chat = new Chat(api, view, config);
  if (data.open === 'true') view.open();
  await chat.start();
}

// currentScript is only set while this script first runs (async or not), so read it now.
const current = document.currentScript as HTMLScriptElement | null;
const run = () => void boot(current);
if (document.body) run();
else document.addEventListener('DOMContentLoaded', run, { once: true });
