/**
 * A LanguageModel that plays a script: each call takes the next scripted completion or error,
 * and every call's turns are recorded. A call with nothing left in the script fails loudly.
 */
import type { ChatTurn, Completion, CompletionStatus, LanguageModel } from '../../src/core/ports.js';
import type { CompletionUsage } from '../../src/core/types.js';

type Step = { completion: Completion } | { error: unknown } | { run: (turns: ChatTurn[], signal?: AbortSignal) => Promise<Completion> };

export const FAKE_USAGE: CompletionUsage = { inputTokens: 10, outputTokens: 5, totalTokens: 15, modelVersion: 'fake-model-1' };

export class FakeLanguageModel implements LanguageModel {
  /** The turns of every call, in call order. */
  readonly calls: ChatTurn[][] = [];
  private readonly script: Step[] = [];

  /** The next call returns `completion` as it is (a structured reply with a handoff decision, say). */
  answersWith(completion: Completion): this {
    this.script.push({ completion: { ...completion } });
    return this;
  }

  /** The next call answers `text`. */
  answers(text: string, status: CompletionStatus = 'final', usage: CompletionUsage = FAKE_USAGE): this {
    this.script.push({ completion: { text, status, usage: { ...usage } } });
    return this;
  }

  /** The next call fails with `error`. */
  fails(error: unknown): this {
    this.script.push({ error });
    return this;
  }

  /** The next call runs `run`, e.g. to hold it until the test lets it go. */
  does(run: (turns: ChatTurn[], signal?: AbortSignal) => Promise<Completion>): this {
    this.script.push({ run });
    return this;
  }

  async complete(turns: ChatTurn[], options?: { signal?: AbortSignal }): Promise<Completion> {
    this.calls.push(turns.map((turn) => ({ ...turn })));
    const step = this.script.shift();
    if (!step) throw new Error(`FakeLanguageModel: call ${this.calls.length} has nothing scripted`);
    if ('error' in step) throw step.error;
    if ('run' in step) return step.run(turns, options?.signal);
    return { ...step.completion, usage: { ...step.completion.usage } };
  }
}
