/**
 * A KnowledgeBase with fixed texts and a trivial composer (system turn, history, question), whose
 * offline answers and handoff phrases each test sets through plain functions.
 */
import type { ChatTurn, FixedTextKey, KnowledgeBase } from '../../src/core/ports.js';

export interface InMemoryKnowledgeOptions {
  /** The system turn every prompt starts with. @defaultValue 'You are the shop assistant.' */
  systemPrompt?: string;
  /** Fixed texts; a missing key reads as `[key]`. */
  texts?: Partial<Record<FixedTextKey, string>>;
  /** The FAQ/catalog answer for a question. @defaultValue none for any question */
  offlineAnswer?: (question: string) => string | null;
  /** Whether the customer asks for a person. @defaultValue never */
  wantsPerson?: (customerText: string) => boolean;
  /** Whether a model reply is out of its depth. @defaultValue never */
  isOutOfDepth?: (modelReply: string) => boolean;
}

export class InMemoryKnowledge implements KnowledgeBase {
  readonly systemPrompt: string;
  private readonly options: InMemoryKnowledgeOptions;

  constructor(options: InMemoryKnowledgeOptions = {}) {
    this.options = options;
    this.systemPrompt = options.systemPrompt ?? 'You are the shop assistant.';
  }

  async composePrompt(input: { question: string; history: ChatTurn[] }): Promise<ChatTurn[]> {
    return [{ role: 'system', text: this.systemPrompt }, ...input.history, { role: 'user', text: input.question }];
  }

  async offlineAnswer(question: string): Promise<string | null> {
    return this.options.offlineAnswer?.(question) ?? null;
  }

  text(key: string): string {
    return (this.options.texts as Record<string, string> | undefined)?.[key] ?? `[${key}]`;
  }

  wantsPerson(customerText: string): boolean {
    return this.options.wantsPerson?.(customerText) ?? false;
  }

  isOutOfDepth(modelReply: string): boolean {
    return this.options.isOutOfDepth?.(modelReply) ?? false;
  }
}
