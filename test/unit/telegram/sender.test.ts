import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { createMemoryLocks } from '../../../src/telegram/locks.js';
import { createTelegramSender, type TelegramSendJob } from '../../../src/telegram/sender.js';
import type { JobContext, Logger } from '../../../src/core/ports.js';
import { classifyFailure } from '../../../src/queue/failure.js';
import { InMemoryConversationStore } from '../../fakes/in-memory-conversation-store.js';
import { customerDeliverySource } from '../../../channels/telegram/outbox.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const context: JobContext = { jobId: 'tg-send-1', attempt: 1, isFinalAttempt: false, signal: new AbortController().signal };

function apiError(code: number, description: string, retryAfter?: number): GrammyError {
  return new GrammyError(`Call to 'sendMessage' failed!`, { ok: false, error_code: code, description, parameters: retryAfter ? { retry_after: retryAfter } : {} }, 'sendMessage', {});
}

/** A Bot API stand-in: records sends, and fails those `failWith` picks. */
function fakeApi(failWith: (text: string, options: { parse_mode?: string }) => Error | undefined = () => undefined) {
  const sent: Array<{ chatId: string; text: string; parseMode?: string }> = [];
  return {
    sent,
    async sendMessage(chatId: string | number, text: string, options: { parse_mode?: string } = {}) {
      const failure = failWith(text, options);
      if (failure) throw failure;
      sent.push({ chatId: String(chatId), text, parseMode: options.parse_mode });
      return { message_id: sent.length } as never;
    },
    async editMessageText(): Promise<never> {
      throw new Error('no edits in these tests');
    },
  };
}

async function storeWithReplies(chatId: string, ...texts: string[]) {
  const store = new InMemoryConversationStore();
  const ids: string[] = [];
  for (const [i, text] of texts.entries()) {
    const { message } = await store.accept({ address: { channel: 'telegram', chatId }, externalId: `m${i}`, text: `q${i}`, at: new Date() });
    const reply = await store.recordReply({ inboundId: message.id, text, author: 'GPT', kind: 'answer', status: 'answered' });
    ids.push(reply!.id);
  }
  return { store, ids };
}

function senderWith(api: ReturnType<typeof fakeApi>, store: InMemoryConversationStore, locks = createMemoryLocks()) {
  return createTelegramSender({ api, source: customerDeliverySource(store), locks, name: 'customers', logger: silent });
}

const job = (chatId: string, messageId: string): TelegramSendJob => ({ kind: 'flush', chatId, id: messageId });

describe('the Telegram sender', () => {
  it('sends every undelivered reply of the chat in order and marks each delivered', async () => {
    const { store, ids } = await storeWithReplies('42', 'первый', 'второй');
    const api = fakeApi();

    await senderWith(api, store)(job('42', ids[1]!), context);

    expect(api.sent.map((s) => s.text)).toEqual(['первый', 'второй']);
    expect(await store.findUndelivered('telegram', { chatId: '42' }, 10)).toEqual([]);
  });

  it('resends a part as plain text when Telegram cannot parse its HTML', async () => {
    const { store, ids } = await storeWithReplies('42', '**жирный** текст');
    const api = fakeApi((_, options) => (options.parse_mode === 'HTML' ? apiError(400, "Bad Request: can't parse entities: Unsupported start tag") : undefined));

    await senderWith(api, store)(job('42', ids[0]!), context);

    expect(api.sent).toEqual([{ chatId: '42', text: 'жирный текст', parseMode: undefined }]);
    expect(await store.findUndelivered('telegram', { chatId: '42' }, 10)).toEqual([]);
  });

  it('marks the conversation blocked on 403 and settles its replies without throwing', async () => {
    const { store, ids } = await storeWithReplies('42', 'один', 'два');
    const api = fakeApi(() => apiError(403, 'Forbidden: bot was blocked by the user'));

    await senderWith(api, store)(job('42', ids[0]!), context);

    expect(store.blockedAt('1')).toBeInstanceOf(Date);
    expect(await store.findUndelivered('telegram', { chatId: '42' }, 10)).toEqual([]);
  });

  it('drops a reply Telegram refuses for good (400) and goes on with the next', async () => {
    const { store, ids } = await storeWithReplies('42', 'плохой', 'хороший');
    const api = fakeApi((text) => (text === 'плохой' ? apiError(400, 'Bad Request: chat not found') : undefined));

    await senderWith(api, store)(job('42', ids[0]!), context);

    expect(api.sent.map((s) => s.text)).toEqual(['хороший']);
    expect(await store.findUndelivered('telegram', { chatId: '42' }, 10)).toEqual([]);
  });

  it.each([
    ['a 429 beyond auto-retry', apiError(429, 'Too Many Requests: retry after 60', 60)],
    ['a 5xx', apiError(502, 'Bad Gateway')],
    ['an unreachable Telegram', new HttpError("Network request for 'sendMessage' failed!", new Error('ECONNREFUSED'))],
  ])('throws on %s so the queue retries, leaving the reply undelivered', async (_, error) => {
    const { store, ids } = await storeWithReplies('42', 'ответ');
    const api = fakeApi(() => error);

    const failure = await senderWith(api, store)(job('42', ids[0]!), context).catch((e: unknown) => e);

    expect(classifyFailure(failure)).toEqual({ kind: 'retry' });
    expect(await store.findUndelivered('telegram', { chatId: '42' }, 10)).toHaveLength(1);
  });

  it('postpones a job whose chat another job is sending to, without using an attempt', async () => {
    const { store, ids } = await storeWithReplies('42', 'ответ');
    const locks = createMemoryLocks();
    await locks.acquire('customers-chat-42', 'another job', 60_000);

    const failure = await senderWith(fakeApi(), store, locks)(job('42', ids[0]!), context).catch((e: unknown) => e);

    expect(classifyFailure(failure)).toMatchObject({ kind: 'postpone' });
  });

  it('sends a fixed text that travels in the job, with its keyboard', async () => {
    const store = new InMemoryConversationStore();
    const sent: unknown[] = [];
    const api = { sendMessage: async (...args: unknown[]) => void sent.push(args) as never, editMessageText: async () => true as never };
    const keyboard = { keyboard: [[{ text: 'Позвать оператора' }]], resize_keyboard: true, is_persistent: true };

    await createTelegramSender({ api, source: customerDeliverySource(store), locks: createMemoryLocks(), name: 'customers', logger: silent })(
      { kind: 'text', chatId: '42', text: 'Здравствуйте!', markup: keyboard },
      context,
    );

    expect(sent).toEqual([['42', 'Здравствуйте!', { parse_mode: 'HTML', reply_markup: keyboard }]]);
  });
});
