/**
 * The model request for a question: `system.md` with its placeholders filled (the offers and FAQ
 * answers that match, the company, today's date), then as much of the conversation as fits the
 * token budget, newest kept, then the question. Every token is paid on every turn, so only the
 * few offers that matter go in, never the catalog.
 */
import type { RankedOffer } from './search/rank-offers.js';
import { searchFaq, type FaqHit } from './search/faq-index.js';
import { renderTemplate } from './folder/template.js';
import { oneLine } from './text/one-line.js';
import type { ChatTurn } from '../core/ports.js';
import type { Offer } from './catalog/offer.js';
import type { KnowledgeSnapshot } from './snapshot.js';
import type { Messages } from './folder/messages.js';

/** The clock and token budget of one composition. */
export interface ComposeOptions {
  now: Date;
  /** Tokens the model may use for its answer. */
  maxTokens: number;
  /** The model's context window, tokens. */
  contextTokens: number;
}

/** About five characters of Russian text per YandexGPT token; rounding up keeps us under the limit. */
export const CHARS_PER_TOKEN = 5;

/** Estimated tokens of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Offers for the prompt: at most this many, and only those answering a fair part of the question. */
const PROMPT_OFFERS = 8;
const PROMPT_MIN_COVERAGE = 0.4;
const PROMPT_FAQ = 3;
const PROMPT_FAQ_MIN_COVERAGE = 0.34;

/** Offers relevant enough to show for a question: close to the best one and above a floor. */
export async function relevantOffers(snapshot: KnowledgeSnapshot, question: string, limit: number, floor: number): Promise<RankedOffer[]> {
  const ranked = await snapshot.catalog.rank(snapshot.synonyms, question, limit);
  const best = ranked[0]?.coverage ?? 0;
  return ranked.filter((r) => r.coverage >= floor && r.coverage >= best * 0.75);
}

const CURRENCY_SYMBOLS: Record<string, string> = { RUB: '₽', RUR: '₽', USD: '$', EUR: '€' };
/** Built once: a new Intl.NumberFormat per price was a quarter of the reply worker's prompt time. */
const rubles = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 });

/** "12 500 ₽" — the price as a customer reads it, or the "price on request" text. */
export function formatPrice(offer: Offer, messages: Messages): string {
  if (offer.price === null) return messages.price_on_request;
  return `${rubles.format(offer.price)} ${CURRENCY_SYMBOLS[offer.currency.toUpperCase()] ?? offer.currency}`;
}

/**
 * Feed and file text as prompt data: one line, and no angle brackets, so that it can neither
 * start a section of its own nor close the <catalog>/<faq> block it sits in.
 */
function data(text: string): string {
  return oneLine(text).replace(/</g, '‹').replace(/>/g, '›');
}

function offerLine(offer: Offer, messages: Messages): string {
  const params = offer.params.slice(0, 5).map((p) => data(`${p.name}: ${p.value}${p.unit ? ` ${p.unit}` : ''}`));
  const stock = offer.available ? messages.in_stock : messages.on_order;
  return [`- ${data(offer.name)} — ${formatPrice(offer, messages)}, ${stock} — ${data(offer.url)}`, ...(params.length ? [`  ${params.join('; ')}`] : [])].join('\n');
}

function faqBlock(hits: FaqHit[]): string {
  return hits.map((h) => `- ${data(h.entry.question)}\n  ${data(h.entry.answer)}`).join('\n');
}

/** Delimits a block of data in the system prompt (the template tells the model it is data, not instructions). */
function block(tag: 'catalog' | 'faq', body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

/** Built once: constructing an Intl.DateTimeFormat costs more than the rest of a render. */
const moscowDate = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long', timeZone: 'Europe/Moscow' });

function renderSystem(snapshot: KnowledgeSnapshot, offers: RankedOffer[], faq: FaqHit[], now: Date): string {
  const shop = snapshot.catalog.shop;
  return renderTemplate(snapshot.template, {
    company: data([shop.name, shop.company].filter(Boolean).join(', ')),
    site: data(shop.url ?? ''),
    catalog: block('catalog', offers.map((o) => offerLine(o.offer, snapshot.messages)).join('\n')),
    faq: block('faq', faqBlock(faq)),
    date: moscowDate.format(now),
  });
}

/**
 * The offers for a question. A follow-up that the catalog cannot answer alone ("а 5 мм сколько
 * стоит?") is searched together with the customer's previous message, which says what "it" is.
 */
async function offersFor(snapshot: KnowledgeSnapshot, question: string, history: ChatTurn[]): Promise<RankedOffer[]> {
  const offers = await relevantOffers(snapshot, question, PROMPT_OFFERS, PROMPT_MIN_COVERAGE);
  const previous = [...history].reverse().find((t) => t.role === 'user')?.text;
  if ((offers[0]?.coverage ?? 0) >= 0.6 || !previous) return offers;
  const combined = await relevantOffers(snapshot, `${previous} ${question}`, PROMPT_OFFERS, PROMPT_MIN_COVERAGE);
  return (combined[0]?.coverage ?? 0) > (offers[0]?.coverage ?? 0) ? combined : offers;
}

/** Composes the turns for the model; see the module comment. */
export async function composePrompt(snapshot: KnowledgeSnapshot, input: { question: string; history: ChatTurn[] }, options: ComposeOptions): Promise<ChatTurn[]> {
  const budget = options.contextTokens - options.maxTokens;
  const offers = await offersFor(snapshot, input.question, input.history);
  const faq = searchFaq(snapshot.faq, snapshot.synonyms, input.question, PROMPT_FAQ).filter((h) => h.coverage >= PROMPT_FAQ_MIN_COVERAGE);

  // Shrink the grounding before giving up history entirely: fewer offers, then fewer FAQ answers.
  let system = renderSystem(snapshot, offers, faq, options.now);
  for (let n = offers.length, f = faq.length; estimateTokens(system) + estimateTokens(input.question) > budget && (n > 0 || f > 0); ) {
    if (n > 0) n = Math.floor(n / 2);
    else f--;
    system = renderSystem(snapshot, offers.slice(0, n), faq.slice(0, f), options.now);
  }

  let left = budget - estimateTokens(system) - estimateTokens(input.question);
  const kept: ChatTurn[] = [];
  for (let i = input.history.length - 1; i >= 0; i--) {
    const turn = input.history[i]!;
    const cost = estimateTokens(turn.text);
    if (cost > left) break;
    left -= cost;
    kept.unshift(turn);
  }
  return [{ role: 'system', text: system }, ...kept, { role: 'user', text: input.question }];
}
