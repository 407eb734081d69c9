/**
 * Answers without the language model (no credentials, or the model keeps failing): the FAQ
 * answer when a FAQ entry answers the question, or a short list of matching offers with prices
 * and links. Only the FAQ's and the catalog's own words, introduced by texts from
 * `messages.yml`: nothing is invented, and nothing is said when nothing matches well.
 */
import { formatPrice, relevantOffers } from './compose-prompt.js';
import { searchFaq } from './search/faq-index.js';
import type { KnowledgeSnapshot } from './snapshot.js';

/** How much of the question a FAQ entry or offer must answer to be given as the answer. */
const FAQ_MIN_COVERAGE = 0.6;
const OFFERS_MIN_COVERAGE = 0.6;
const OFFLINE_OFFERS = 5;

/** The offline answer to a question, or null when the knowledge base has none good enough. */
export async function offlineAnswer(snapshot: KnowledgeSnapshot, question: string): Promise<string | null> {
  const faq = searchFaq(snapshot.faq, snapshot.synonyms, question, 1)[0];
  const offers = await relevantOffers(snapshot, question, OFFLINE_OFFERS, OFFERS_MIN_COVERAGE);
  const faqCoverage = faq && faq.coverage >= FAQ_MIN_COVERAGE ? faq.coverage : 0;
  const offerCoverage = offers[0]?.coverage ?? 0;
  if (faqCoverage === 0 && offers.length === 0) return null;
  if (faq && faqCoverage >= offerCoverage) return faq.entry.answer;

  const { messages } = snapshot;
  const lines = offers.map(({ offer }) => {
    const stock = offer.available ? messages.in_stock : messages.on_order;
    return `• ${offer.name} — ${formatPrice(offer, messages)}, ${stock}\n  ${offer.url}`;
  });
  return [messages.offline_offers, ...lines, messages.offline_more].join('\n');
}
