/**
 * LLM_CALLS_PER_MINUTE: a LanguageModel that counts every call against one global budget a
 * minute (shared through Redis when configured) and throws ModelBusyError past it, without
 * calling. Retries count too: each is a call the provider bills.
 */
import { ModelBusyError } from '../core/model-call-guard.js';
import type { LanguageModel } from '../core/ports.js';

export interface CallBudget {
  /** Counts one call; false when the minute's budget is spent. */
  take(): Promise<boolean>;
}

export function withCallBudget(model: LanguageModel, budget: CallBudget): LanguageModel {
  return {
    async complete(turns, options) {
      if (!(await budget.take())) throw new ModelBusyError();
      return model.complete(turns, options);
    },
  };
}
