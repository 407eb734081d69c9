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

  it('queues a request for a person like any message, so the worker hands off in the conversation\'s order', async () => {
    const core = createInMemoryCore({ knowledge: { wantsPerson: (text) => text.includes('person') } });

    const { message } = await receiveMessage(core.deps, webMessage('I want a person'));

    expect(core.replies.enqueued.map((j) => j.data.messageId)).toEqual([message.id]);
    expect(core.web.texts()).toEqual([]);
  });

  it('records an explicit ask for a person (a command or button) on the message, whatever the text says', async () => {
    const core = createInMemoryCore();

    const { message } = await receiveMessage(core.deps, webMessage('/operator'), { askForPerson: true });

    expect(message.handoff).toBe('customer_request');
    expect(core.replies.enqueued.map((j) => j.data.messageId)).toEqual([message.id]);
  });

  it('does not give a message of a conversation with a person to the bot', async () => {
    const core = createInMemoryCore();
    core.handoffs.openHandoff = async () => null;
    const first = await receiveMessage(core.deps, webMessage('hello'));
    await core.store.transition(first.message.conversationId, ['bot'], 'with_operator');

    const { message } = await receiveMessage(core.deps, webMessage('are you there?'));

    expect(message.status).toBe('operator');
    expect(core.replies.enqueued.map((j) => j.data.messageId)).toEqual([first.message.id]);
  });

  it('keeps the message pending for the recovery sweep when the queue is unreachable', async () => {
    const core = createInMemoryCore();
    core.replies.unreachable = true;

    const { message } = await receiveMessage(core.deps, webMessage('hello'));

    expect(await core.store.nextPending(message.conversationId)).toEqual(message);
  });
});
