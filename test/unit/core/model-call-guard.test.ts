import { describe, expect, it } from 'vitest';
import { answerConversation, type AnswerOptions } from '../../../src/core/answer-conversation.js';
import type { StoredMessage } from '../../../src/core/types.js';
import { withCallBudget } from '../../../src/llm/call-budget.js';
import { createInMemoryCore, jobContext, replyJobOf, webMessage } from '../../fakes/in-memory-core.js';

const options: AnswerOptions = { leaseMs: 60_000 };

describe('LLM_CALLS_PER_MINUTE', () => {
  it('past the ceiling a message is answered with the busy text from messages.yml, once, without a model call', async () => {
    const core = createInMemoryCore({ knowledge: { texts: { busy: 'Сейчас много вопросов.' } } });
    let left = 1;
    core.deps.model = withCallBudget(core.model, { take: async () => left-- > 0 });
    const messages: StoredMessage[] = [];
    for (const text of ['one', 'two']) messages.push((await core.store.accept(webMessage(text))).message);
    core.model.answers('answer one');

    await answerConversation(core.deps, replyJobOf(messages[1]!), jobContext(), options);

    expect(core.web.texts()).toEqual(['answer one', 'Сейчас много вопросов.']);
    expect(core.model.calls).toHaveLength(1);
    const records = core.store.records(messages[0]!.conversationId);
    expect(records.find((m) => m.id === messages[1]!.id)?.status).toBe('fallback');
  });
});
