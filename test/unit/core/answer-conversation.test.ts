import { describe, expect, it } from 'vitest';
import { answerConversation, type AnswerOptions } from '../../../src/core/answer-conversation.js';
import { ConversationBusyError, LlmRequestError, LlmUnreachableError } from '../../../src/core/errors.js';
import type { StoredMessage } from '../../../src/core/types.js';
import { FAKE_USAGE } from '../../fakes/fake-language-model.js';
import { operatorOnDuty } from '../../fakes/in-memory-handoff-store.js';
import { createInMemoryCore, jobContext, replyJobOf, webMessage, type InMemoryCore } from '../../fakes/in-memory-core.js';

const options: AnswerOptions = { leaseMs: 60_000, busyRetryMs: 300, giveUpAfterMs: 120_000 };

/** Accepts the visitor's messages in order (the arrange step; routing is receiveMessage's test). */
async function accepted(core: InMemoryCore, ...texts: string[]): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = [];
  for (const text of texts) messages.push((await core.store.accept(webMessage(text))).message);
  return messages;
}

/** The stored reply to `message`, if any. */
function replyTo(core: InMemoryCore, message: StoredMessage) {
  return core.store.records(message.conversationId).find((m) => m.replyToId === message.id);
}

function statusOf(core: InMemoryCore, message: StoredMessage) {
  return core.store.records(message.conversationId).find((m) => m.id === message.id)?.status;
}

describe('answerConversation: answering', () => {
  it('answers the conversation’s pending messages oldest first, whichever message’s job runs', async () => {
    const core = createInMemoryCore();
    const [first, second] = await accepted(core, 'one', 'two');
    core.model.answers('answer one').answers('answer two');

    await answerConversation(core.deps, replyJobOf(second!), jobContext(), options);

    expect(core.web.texts()).toEqual(['answer one', 'answer two']);
    expect([replyTo(core, first!)?.text, replyTo(core, second!)?.text]).toEqual(['answer one', 'answer two']);
  });

  it('sends the model the conversation up to each message, then the message', async () => {
    const core = createInMemoryCore();
    const [, second] = await accepted(core, 'Do you have kettles?', 'And the blue one?');
    core.model.answers('Yes, three models.').answers('1990 rub.');

    await answerConversation(core.deps, replyJobOf(second!), jobContext(), options);

    const system = { role: 'system', text: core.knowledge.systemPrompt };
    expect(core.model.calls).toEqual([
      [system, { role: 'user', text: 'Do you have kettles?' }],
      [
        system,
        { role: 'user', text: 'Do you have kettles?' },
        { role: 'assistant', text: 'Yes, three models.' },
        { role: 'user', text: 'And the blue one?' },
      ],
    ]);
  });

  it('stores the answer with its token usage, marks the message answered and delivers it', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.model.answers('Hi! How can I help?');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    const reply = replyTo(core, question!);
    expect(reply).toMatchObject({ kind: 'answer', author: 'GPT', text: 'Hi! How can I help?', usage: FAKE_USAGE });
    expect(statusOf(core, question!)).toBe('answered');
    expect(core.web.delivered).toEqual([
      { to: { channel: 'web', chatId: 'visitor-1' }, message: { kind: 'reply', messageId: reply?.id, text: 'Hi! How can I help?', author: 'GPT' } },
    ]);
  });

  it('delivers a reply cut at the token limit as it is', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'tell me everything');
    core.model.answers('A long story that stops mid', 'truncated');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'answer', text: 'A long story that stops mid' });
    expect(core.web.texts()).toEqual(['A long story that stops mid']);
  });

  it('writes nothing new and calls no model when the job runs again after it answered', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.model.answers('Hi!');
    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);
    const stored = core.store.records(question!.conversationId);

    await answerConversation(core.deps, replyJobOf(question!), jobContext({ attempt: 2 }), options);

    expect(core.store.records(question!.conversationId)).toEqual(stored);
    expect(core.model.calls).toHaveLength(1);
    expect(core.web.delivered).toHaveLength(1);
  });

  it('keeps the reply stored when the channel refuses it, for the next poll or resend', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.model.answers('Hi!');
    core.web.failing = true;

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    const stillToSend = await core.store.claimUndelivered({ channel: 'web', chatId: 'visitor-1' });
    expect(stillToSend.map((m) => m.text)).toEqual(['Hi!']);
  });

  it('answers at most maxPerRun messages in one run', async () => {
    const core = createInMemoryCore();
    const [first, second] = await accepted(core, 'one', 'two');
    core.model.answers('answer one');

    await answerConversation(core.deps, replyJobOf(first!), jobContext(), { ...options, maxPerRun: 1 });

    expect(await core.store.nextPending(second!.conversationId)).toEqual(second);
  });

  it('does not answer a conversation that is with an operator', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    await core.store.transition(question!.conversationId, ['bot'], 'with_operator');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(core.model.calls).toEqual([]);
    expect(replyTo(core, question!)).toBeUndefined();
  });

  it('answers from the knowledge base when no model is configured', async () => {
    const core = createInMemoryCore({ withoutModel: true, knowledge: { offlineAnswer: () => 'We deliver in 2 days.' } });
    const [question] = await accepted(core, 'delivery?');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'offline', text: 'We deliver in 2 days.' });
  });
});

describe('answerConversation: one run per conversation', () => {
  it('refuses to run while another run holds the conversation’s lease, asking to come back after busyRetryMs', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    await core.store.acquireLease(question!.conversationId, 'another-run', 60_000);

    const run = answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    await expect(run).rejects.toBeInstanceOf(ConversationBusyError);
    await expect(run).rejects.toMatchObject({ retryAfterMs: 300 });
    expect(core.model.calls).toEqual([]);
  });

  it('ends at once, without a retry, a job whose message an earlier run answered, even while another run holds the lease', async () => {
    const core = createInMemoryCore();
    const [first, second] = await accepted(core, 'one', 'two');
    core.model.answers('answer one').answers('answer two');
    await answerConversation(core.deps, replyJobOf(first!), jobContext(), options); // answers both
    await core.store.acquireLease(first!.conversationId, 'another-run', 60_000);

    await expect(answerConversation(core.deps, replyJobOf(second!), jobContext(), options)).resolves.toBeUndefined();

    expect(core.model.calls).toHaveLength(2);
    expect(replyTo(core, second!)?.text).toBe('answer two');
  });

  it('releases the lease when the run ends, also when it fails', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.model.fails(new LlmUnreachableError('timeout after 30000 ms'));

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options).catch(() => undefined);

    expect(core.store.leaseHolder(question!.conversationId)).toBeUndefined();
  });
});

describe('answerConversation: when the model fails', () => {
  it('rethrows a passing failure on a non-final attempt and leaves the message pending', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    const failure = new LlmUnreachableError('timeout after 30000 ms');
    core.model.fails(failure);

    const run = answerConversation(core.deps, replyJobOf(question!), jobContext({ attempt: 1, isFinalAttempt: false }), options);

    await expect(run).rejects.toBe(failure);
    expect(statusOf(core, question!)).toBe('pending');
    expect(core.web.delivered).toEqual([]);
  });

  it('answers from the knowledge base on the final attempt', async () => {
    const core = createInMemoryCore({ knowledge: { offlineAnswer: () => 'We deliver in 2 days.' } });
    const [question] = await accepted(core, 'delivery?');
    core.model.fails(new LlmRequestError(503));

    await answerConversation(core.deps, replyJobOf(question!), jobContext({ attempt: 5, isFinalAttempt: true }), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'offline', author: 'GPT', text: 'We deliver in 2 days.' });
    expect(statusOf(core, question!)).toBe('offline');
    expect(core.web.texts()).toEqual(['We deliver in 2 days.']);
  });

  it('sends the fallback text on the final attempt when the knowledge base has no answer', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.model.fails(new LlmUnreachableError('connection refused'));

    await answerConversation(core.deps, replyJobOf(question!), jobContext({ attempt: 5, isFinalAttempt: true }), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'fallback', text: '[fallback]' });
    expect(statusOf(core, question!)).toBe('fallback');
    expect(core.web.texts()).toEqual(['[fallback]']);
  });

  it('settles the message at once when the model answers 400, even on the first attempt', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.model.fails(new LlmRequestError(400, undefined, 'invalid modelUri'));

    await answerConversation(core.deps, replyJobOf(question!), jobContext({ attempt: 1, isFinalAttempt: false }), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'fallback' });
    expect(core.web.texts()).toEqual(['[fallback]']);
  });

  it('rethrows a 429 while the message is younger than giveUpAfterMs', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.clock.advance(60_000);
    core.model.fails(new LlmRequestError(429, 2000));

    const run = answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    await expect(run).rejects.toMatchObject({ status: 429 });
    expect(statusOf(core, question!)).toBe('pending');
  });

  it('settles a message the provider kept rate-limiting for longer than giveUpAfterMs', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    core.clock.advance(120_001);
    core.model.fails(new LlmRequestError(429, 2000));

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'fallback' });
  });

  it('rethrows on the final attempt when the run was aborted by a shutdown, so the job is not settled', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'hello');
    const shutdown = new AbortController();
    shutdown.abort(new Error('shutting down'));
    core.model.fails(new LlmUnreachableError('aborted'));

    const run = answerConversation(core.deps, replyJobOf(question!), jobContext({ isFinalAttempt: true, signal: shutdown.signal }), options);

    await expect(run).rejects.toBeInstanceOf(LlmUnreachableError);
    expect(statusOf(core, question!)).toBe('pending');
  });
});

describe('answerConversation: replies that must not be shown', () => {
  it('withholds a reply the content filter stopped and sends the fallback instead', async () => {
    const core = createInMemoryCore();
    const [question] = await accepted(core, 'something edgy');
    core.model.answers('text the filter stopped', 'content_filter');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(core.web.texts()).toEqual(['[fallback]']);
    expect(core.store.records(question!.conversationId).map((m) => m.text)).not.toContain('text the filter stopped');
    expect(replyTo(core, question!)).toMatchObject({ kind: 'fallback' });
  });

  it('answers from the knowledge base when the content filter stopped the reply and it has an answer', async () => {
    const core = createInMemoryCore({ knowledge: { offlineAnswer: () => 'See our returns page.' } });
    const [question] = await accepted(core, 'returns?');
    core.model.answers('text the filter stopped', 'content_filter');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(replyTo(core, question!)).toMatchObject({ kind: 'offline', text: 'See our returns page.' });
  });

  it('delivers an out-of-depth reply and then, with nobody on duty, the no-operator notice; the request stays open', async () => {
    const core = createInMemoryCore({ knowledge: { isOutOfDepth: (reply) => reply.includes('cannot help') } });
    core.desk.enabled = true;
    const [question] = await accepted(core, 'my order is broken');
    core.model.answers('Sorry, I cannot help with orders; a manager can.');

    await answerConversation(core.deps, replyJobOf(question!), jobContext(), options);

    expect(core.web.texts()).toEqual(['Sorry, I cannot help with orders; a manager can.', '[no_operator]']);
    expect(replyTo(core, question!)).toMatchObject({ kind: 'answer', author: 'GPT' });
    expect(core.store.records(question!.conversationId).at(-1)).toMatchObject({ kind: 'notice', author: 'OPERATOR', text: '[no_operator]' });
    expect(core.handoffs.handoffs).toEqual([expect.objectContaining({ conversationId: question!.conversationId, reason: 'out_of_depth', state: 'requested' })]);
    expect(await core.store.getConversation(question!.conversationId)).toMatchObject({ state: 'bot' });
  });

  it('delivers the answer of a model that decides a person should take over, then invites the operator on duty', async () => {
    const core = createInMemoryCore();
    core.desk.enabled = true;
    core.handoffs.operators = [operatorOnDuty()];
    const [first, second] = await accepted(core, 'I want to order 40 rolls', 'hello?');
    core.model.answersWith({ text: 'A manager will prepare the invoice.', status: 'final', usage: FAKE_USAGE, handoff: { reason: 'order' } });

    await answerConversation(core.deps, replyJobOf(first!), jobContext(), options);

    expect(core.web.texts()).toEqual(['A manager will prepare the invoice.', '[connecting]']);
    expect(await core.store.getConversation(first!.conversationId)).toMatchObject({ state: 'waiting_operator' });
    expect(statusOf(core, second!)).toBe('operator');
    expect(core.desk.invites).toEqual([expect.objectContaining({ conversationId: first!.conversationId, operators: ['1'] })]);
    expect(core.model.calls).toHaveLength(1);
  });

  it('hands off when it reaches a message that asks for a person, after answering the earlier ones', async () => {
    const core = createInMemoryCore({ knowledge: { wantsPerson: (text) => text.includes('person') } });
    core.desk.enabled = true;
    const [first, second] = await accepted(core, 'prices?', 'a person please');
    core.model.answers('Prices are on the site.');

    await answerConversation(core.deps, replyJobOf(second!), jobContext(), options);

    expect(core.web.texts()).toEqual(['Prices are on the site.', '[no_operator]']);
    expect(replyTo(core, first!)).toMatchObject({ kind: 'answer' });
    expect(replyTo(core, second!)).toMatchObject({ kind: 'notice', author: 'OPERATOR' });
    expect(statusOf(core, second!)).toBe('answered');
    expect(core.model.calls).toHaveLength(1);
  });
});
