import type { Update } from 'grammy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLocks } from '../../../src/telegram/locks.js';
import { startPolling } from '../../../src/telegram/polling.js';
import { createUpdateFailures } from '../../../src/telegram/update-failures.js';
import type { Logger } from '../../../src/core/ports.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** getUpdates over a fixed list: answers what is at or past the offset, or waits until aborted. */
function stubApi(updates: Update[]) {
  const offsets: number[] = [];
  return {
    offsets,
    async deleteWebhook() {
      return true as const;
    },
    getUpdates(params: { offset?: number; timeout?: number } = {}, signal?: AbortSignal): Promise<Update[]> {
      offsets.push(params.offset ?? 0);
      const pending = updates.filter((u) => u.update_id >= (params.offset ?? 0));
      if (pending.length || params.timeout === 0) return Promise.resolve(pending);
      return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    },
  };
}

const update = (id: number) => ({ update_id: id }) as Update;

afterEach(() => {
  vi.useRealTimers();
});

describe('the Telegram poller', () => {
  it('confirms an update only once it was stored, reading it again after a failure', async () => {
    vi.useFakeTimers();
    const api = stubApi([update(10), update(11)]);
    const handled: number[] = [];
    let failuresLeft = 2;
    const poller = startPolling(
      {
        api: api as never,
        handle: async (u) => {
          if (u.update_id === 10 && failuresLeft-- > 0) throw new Error('database unreachable');
          handled.push(u.update_id);
        },
        logger: silent,
      },
      { lockKey: 'poll-test' },
    );

    await vi.advanceTimersByTimeAsync(10_000);
    await poller.stop();

    expect(handled).toEqual([10, 11]);
    expect(api.offsets.slice(0, 3)).toEqual([0, 0, 0]);
    expect(api.offsets).toContain(12);
  });

  it('stands by while another process holds the poller’s lease', async () => {
    vi.useFakeTimers();
    const locks = createMemoryLocks();
    await locks.acquire('poll-test', 'the other process', 60_000);
    const api = stubApi([update(1)]);
    const poller = startPolling({ api: api as never, handle: async () => undefined, locks, logger: silent }, { lockKey: 'poll-test' });

    await vi.advanceTimersByTimeAsync(25_000);
    await poller.stop();

    expect(api.offsets).toEqual([]);
  });

  it('records and skips an update that keeps failing, and goes on with the later ones', async () => {
    vi.useFakeTimers();
    const api = stubApi([update(20), update(21)]);
    const handled: number[] = [];
    const recorded: Array<{ updateId: number; failures: number }> = [];
    const failures = createUpdateFailures({ record: async (f) => void recorded.push({ updateId: f.updateId, failures: f.failures }), logger: silent }, { maxFailures: 3 });
    const poller = startPolling(
      {
        api: api as never,
        handle: async (u) => {
          if (u.update_id === 20) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
          handled.push(u.update_id);
        },
        onFailure: failures.failed,
        onSuccess: failures.succeeded,
        logger: silent,
      },
      { lockKey: 'poll-test' },
    );

    await vi.advanceTimersByTimeAsync(60_000);
    await poller.stop();

    expect(recorded).toEqual([{ updateId: 20, failures: 3 }]);
    expect(handled).toEqual([21]);
    expect(api.offsets).toContain(22);
  });

  it('keeps reading an update again while its failure cannot be recorded (the database is down, nothing is dropped)', async () => {
    vi.useFakeTimers();
    const api = stubApi([update(30)]);
    let down = true;
    const handled: number[] = [];
    const failures = createUpdateFailures(
      {
        record: async () => {
          throw new Error('connect ECONNREFUSED');
        },
        logger: silent,
      },
      { maxFailures: 2 },
    );
    const poller = startPolling(
      {
        api: api as never,
        handle: async (u) => {
          if (down) throw new Error('connect ECONNREFUSED');
          handled.push(u.update_id);
        },
        onFailure: failures.failed,
        onSuccess: failures.succeeded,
        logger: silent,
      },
      { lockKey: 'poll-test' },
    );

    await vi.advanceTimersByTimeAsync(120_000);
    down = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await poller.stop();

    expect(handled).toEqual([30]);
  });
});
