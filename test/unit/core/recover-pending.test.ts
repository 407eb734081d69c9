import { describe, expect, it } from 'vitest';
import { recoverPending } from '../../../src/core/recover-pending.js';
import { createInMemoryCore, webMessage } from '../../fakes/in-memory-core.js';

describe('recoverPending', () => {
  it('requeues each pending message older than olderThanMs under its reply job id', async () => {
    const core = createInMemoryCore();
    const { message: stale } = await core.store.accept(webMessage('hello'));
    core.clock.advance(60_000);
    await core.store.accept(webMessage('just now'));

    const count = await recoverPending(core.deps, { olderThanMs: 30_000 });

    expect(count).toBe(1);
    expect(core.replies.requeued).toEqual([
      { jobId: `reply-${stale.id}`, data: { conversationId: stale.conversationId, messageId: stale.id } },
    ]);
  });

  it('leaves answered messages alone', async () => {
    const core = createInMemoryCore();
    const { message } = await core.store.accept(webMessage('hello'));
    await core.store.recordReply({ inboundId: message.id, text: 'Hi!', author: 'GPT', kind: 'answer', status: 'answered' });
    core.clock.advance(60_000);

    const count = await recoverPending(core.deps, { olderThanMs: 30_000 });

    expect(count).toBe(0);
    expect(core.replies.requeued).toEqual([]);
  });

  it('requeues at most limit messages, the oldest', async () => {
    const core = createInMemoryCore();
    const { message: oldest } = await core.store.accept(webMessage('one', 'visitor-1'));
    await core.store.accept(webMessage('two', 'visitor-2'));
    core.clock.advance(60_000);

    await recoverPending(core.deps, { olderThanMs: 30_000, limit: 1 });

    expect(core.replies.requeued.map((j) => j.data.messageId)).toEqual([oldest.id]);
  });
});
