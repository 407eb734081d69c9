import { describe, expect, it } from 'vitest';
import { receiveMessage } from '../../../src/core/receive-message.js';
import { createInMemoryCore, webMessage } from '../../fakes/in-memory-core.js';

describe('receiveMessage', () => {
  it('stores a visitor’s message as pending and enqueues its reply job under reply-<message id>', async () => {
    const core = createInMemoryCore();

    const { message, duplicate } = await receiveMessage(core.deps, webMessage('Do you deliver to Kazan?'));

    expect(duplicate).toBe(false);
    expect(message).toMatchObject({ author: 'CUSTOMER', text: 'Do you deliver to Kazan?', status: 'pending' });
    expect(core.replies.enqueued).toEqual([
      { jobId: `reply-${message.id}`, data: { conversationId: message.conversationId, messageId: message.id } },
    ]);
  });

  it('does not enqueue a message accepted before', async () => {
    const core = createInMemoryCore();
    const inbound = webMessage('hello');
    await receiveMessage(core.deps, inbound);

    const again = await receiveMessage(core.deps, inbound);

    expect(again.duplicate).toBe(true);
    expect(core.replies.enqueued).toHaveLength(1);
    expect(core.store.records(again.message.conversationId)).toHaveLength(1);
  });

  it('tells a customer who asks for a person that nobody is on duty, and does not enqueue the bot', async () => {
    const core = createInMemoryCore({ knowledge: { wantsPerson: (text) => text.includes('person') } });

    const { message } = await receiveMessage(core.deps, webMessage('I want a person'));

    expect(core.replies.enqueued).toEqual([]);
    expect(core.desk.handoffs).toEqual([{ conversationId: message.conversationId, reason: 'customer_request' }]);
    expect(core.web.texts()).toEqual(['[no_operator]']);
    const [inbound, notice] = core.store.records(message.conversationId);
    expect(notice).toMatchObject({ kind: 'notice', author: 'GPT', text: '[no_operator]', replyToId: message.id });
    expect(inbound).toMatchObject({ status: 'answered', handoff: 'customer_request:unavailable' });
  });

  it('adds the knowledge base’s answer to the no-operator notice when it has one', async () => {
    const core = createInMemoryCore({
      knowledge: { wantsPerson: () => true, offlineAnswer: () => 'We deliver in 2 days.' },
    });

    const { message } = await receiveMessage(core.deps, webMessage('a person, please: when do you deliver?'));

    expect(core.web.texts()).toEqual(['[no_operator]\n\nWe deliver in 2 days.']);
    expect(core.store.records(message.conversationId)[0]).toMatchObject({ status: 'offline' });
  });

  it('sends an explicit ask for a person down the handoff path whatever the text says', async () => {
    const core = createInMemoryCore();

    await receiveMessage(core.deps, webMessage('/operator'), { askForPerson: true });

    expect(core.replies.enqueued).toEqual([]);
    expect(core.desk.handoffs.map((h) => h.reason)).toEqual(['customer_request']);
  });

  it('with an operator on duty, answers with the connecting notice and moves the conversation to waiting_operator', async () => {
    const core = createInMemoryCore({ knowledge: { wantsPerson: () => true } });
    core.desk.outcome = 'queued';

    const { message } = await receiveMessage(core.deps, webMessage('I want a person'));

    expect(core.replies.enqueued).toEqual([]);
    expect(await core.store.getConversation(message.conversationId)).toMatchObject({ state: 'waiting_operator' });
    expect(core.web.delivered.map((d) => d.message)).toEqual([
      expect.objectContaining({ kind: 'reply', author: 'OPERATOR', text: '[connecting]' }),
    ]);
    expect(core.store.records(message.conversationId)[0]).toMatchObject({ status: 'operator', handoff: 'customer_request' });
  });

  it('passes a message of a conversation with an operator to the desk, not to the bot', async () => {
    const core = createInMemoryCore();
    const first = await receiveMessage(core.deps, webMessage('hello'));
    await core.store.transition(first.message.conversationId, ['bot'], 'with_operator');

    const { message } = await receiveMessage(core.deps, webMessage('are you there?'));

    expect(message.status).toBe('operator');
    expect(core.desk.forwarded.map((m) => m.id)).toEqual([message.id]);
    expect(core.replies.enqueued.map((j) => j.data.messageId)).toEqual([first.message.id]);
  });

  it('keeps the message pending for the recovery sweep when the queue is unreachable', async () => {
    const core = createInMemoryCore();
    core.replies.unreachable = true;

    const { message } = await receiveMessage(core.deps, webMessage('hello'));

    expect(await core.store.nextPending(message.conversationId)).toEqual(message);
  });
});
