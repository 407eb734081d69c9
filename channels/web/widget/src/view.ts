/** The widget's DOM inside its shadow root: launcher, panel, messages. Text is only ever set as text. */
import { splitLinks } from './links.js';
import { widgetCss } from './styles.js';

export interface ViewOptions {
  title: string;
  accent: string;
  side: 'left' | 'right';
  maxChars: number;
  texts: Record<string, string>;
}

export type Author = 'CUSTOMER' | 'GPT' | 'OPERATOR';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export class ChatView {
  readonly launcher: HTMLButtonElement;
  readonly panel: HTMLElement;
  readonly log: HTMLElement;
  readonly input: HTMLTextAreaElement;
  readonly sendButton: HTMLButtonElement;
  readonly personButton: HTMLButtonElement;
  private readonly badge: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly typing: HTMLElement;
  private readonly t: Record<string, string>;
  onSend: (text: string) => void = () => undefined;
  onPerson: () => void = () => undefined;
  onOpen: () => void = () => undefined;

  constructor(root: ShadowRoot, options: ViewOptions) {
    this.t = options.texts;
    const style = el('style');
    style.textContent = widgetCss(options.accent, options.side);

    this.launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'sb-panel', 'aria-label': this.t.widget_open ?? '' });
    this.launcher.innerHTML = CHAT_ICON; // a constant icon; no text from anywhere else goes through innerHTML
    this.badge = el('span', { class: 'badge', hidden: '' });
    this.launcher.append(this.badge);

    this.panel = el('section', { id: 'sb-panel', class: 'panel', role: 'dialog', 'aria-label': options.title, hidden: '' });
    const header = el('header');
    this.personButton = el('button', { type: 'button', class: 'person' }, this.t.widget_person);
    const close = el('button', { type: 'button', class: 'close', 'aria-label': this.t.widget_close ?? '' }, '×');
    header.append(el('h2', {}, options.title), this.personButton, close);
    this.banner = el('div', { class: 'banner', role: 'status', hidden: '' });
    this.log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
    this.typing = el('div', { class: 'typing', hidden: '' }, this.t.widget_typing);
    const form = el('form');
    this.input = el('textarea', { rows: '1', maxlength: String(options.maxChars), placeholder: this.t.widget_placeholder ?? '', 'aria-label': this.t.widget_placeholder ?? '' });
    this.sendButton = el('button', { type: 'submit' }, this.t.widget_send);
    form.append(this.input, this.sendButton);
    this.panel.append(header, this.banner, this.log, form);
    root.append(style, this.launcher, this.panel);

    this.launcher.addEventListener('click', () => (this.isOpen() ? this.close() : this.open()));
    close.addEventListener('click', () => this.close());
    this.personButton.addEventListener('click', () => this.onPerson());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text || this.sendButton.disabled) return;
      this.input.value = '';
      this.onSend(text);
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  isOpen(): boolean {
    return !this.panel.hidden;
  }

  open(): void {
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.setUnread(0);
    this.scrollDown();
    this.input.focus();
    this.onOpen();
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.focus();
  }

  /** Appends a message bubble; links in it are clickable, the rest is text. */
  addMessage(author: Author, text: string): HTMLElement {
    const bubble = el('div', { class: `m ${author}` });
    for (const part of splitLinks(text)) {
      bubble.append(part.href ? el('a', { href: part.href, target: '_blank', rel: 'noopener noreferrer' }, part.text) : document.createTextNode(part.text));
    }
    this.log.insertBefore(bubble, this.typing.parentNode === this.log ? this.typing : null);
    this.scrollDown();
    return bubble;
  }

  /** A small status line under a bubble ("sending…"), or none. */
  setStatus(bubble: HTMLElement, text: string | null): void {
    bubble.querySelector('small')?.remove();
    if (text) bubble.append(el('small', {}, text));
  }

  showTyping(on: boolean): void {
    if (on) this.log.append(this.typing);
    this.typing.hidden = !on;
    this.scrollDown();
  }

  setBanner(text: string | null): void {
    this.banner.hidden = !text;
    this.banner.textContent = text ?? '';
  }

  setUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.textContent = String(count);
    const label = count ? `${this.t.widget_open ?? ''}. ${(this.t.widget_unread ?? '').replace('{count}', String(count))}` : (this.t.widget_open ?? '');
    this.launcher.setAttribute('aria-label', label);
  }

  setSendEnabled(enabled: boolean): void {
    this.sendButton.disabled = !enabled;
    this.personButton.disabled = !enabled;
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
