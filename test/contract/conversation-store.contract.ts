/**
 * The ConversationStore contract: one suite, run against every implementation with no branches
 * inside. Each test works on fresh addresses, so implementations may share a database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore, NewReply } from '../../src/core/ports.js';
import type { ChannelId, ConversationAddress, InboundMessage, StoredMessage } from '../../src/core/types.js';
import { waitFor } from '../support/wait-for.js';

export interface ConversationStoreHarness {
  store: ConversationStore;
  close(): Promise<void>;
}

function freshAddress(channel: ChannelId = 'web'): ConversationAddress {
  return { channel, chatId: `chat-${randomUUID().slice(0, 13)}` };
}

function inbound(address: ConversationAddress, text: string, externalId: string = randomUUID()): InboundMessage {
  return { address, externalId, text, at: new Date() };
}

function answer(message: StoredMessage, text = `re: ${message.text}`, overrides: Partial<NewReply> = {}): NewReply {
  return { inboundId: message.id, text, author: 'GPT', kind: 'answer', status: 'answered', ...overrides };
}

const ids = (messages: Array<{ id: string }>) => messages.map((m) => m.id);

export function conversationStoreContract(implementation: string, open: () => Promise<ConversationStoreHarness>): void {
  describe(`ConversationStore contract: ${implementation}`, () => {
    let harness: ConversationStoreHarness;
    let store: ConversationStore;

    beforeAll(async () => {
      harness = await open();
      store = harness.store;
    });
    afterAll(() => harness?.close());

    const origins = new Map<string, InboundMessage>();

    /** Accepts messages one after another (acceptance order is the order of the texts). */
    async function acceptAll(address: ConversationAddress, ...texts: string[]): Promise<StoredMessage[]> {
      const messages: StoredMessage[] = [];
      for (const text of texts) {
        const message = inbound(address, text);
        const accepted = await store.accept(message);
        origins.set(accepted.message.id, message);
        messages.push(accepted.message);
      }
      return messages;
    }

    /** A customer's message's current status, read back through a duplicate accept. */
    async function statusOf(message: StoredMessage): Promise<string | undefined> {
      const origin = origins.get(message.id);
      if (!origin) throw new Error(`statusOf: message ${message.id} was not accepted through acceptAll`);
      return (await store.accept(origin)).message.status;
    }

    describe('accept', () => {
      it('creates a conversation with the bot on first contact and stores the message as pending', async () => {
        const address = freshAddress();

        const accepted = await store.accept(inbound(address, 'Do you deliver to Kazan?'));

        expect(accepted.duplicate).toBe(false);
        expect(accepted.conversation).toMatchObject({ address, state: 'bot' });
        expect(accepted.message).toMatchObject({
          conversationId: accepted.conversation.id,
          author: 'CUSTOMER',
          text: 'Do you deliver to Kazan?',
          status: 'pending',
        });
        expect(await store.getConversation(accepted.conversation.id)).toEqual(accepted.conversation);
      });

      it('adds later messages from the same address to the same conversation', async () => {
        const address = freshAddress();
        const first = await store.accept(inbound(address, 'hello'));

        const second = await store.accept(inbound(address, 'anyone there?'));

        expect(second.conversation.id).toBe(first.conversation.id);
        expect(second.message.id).not.toBe(first.message.id);
      });

      it('keeps the same chat id on another channel in a conversation of its own', async () => {
        const web = freshAddress('web');
        const first = await store.accept(inbound(web, 'hello'));

        const other = await store.accept(inbound({ channel: 'telegram', chatId: web.chatId }, 'hello'));

        expect(other.conversation.id).not.toBe(first.conversation.id);
      });

      it('reports a channel message id accepted before as a duplicate and stores nothing new', async () => {
        const address = freshAddress();
        const first = await store.accept(inbound(address, 'hello', 'update-1'));

        const again = await store.accept(inbound(address, 'hello', 'update-1'));

        expect(again.duplicate).toBe(true);
        expect(again.message).toEqual(first.message);
        const later = await store.accept(inbound(address, 'next', 'update-2'));
        expect(ids(await store.history(first.conversation.id, later.message.id, 10))).toEqual([first.message.id]);
      });

      it('accepts the same channel message id in another conversation as a new message', async () => {
        const first = await store.accept(inbound(freshAddress(), 'hello', 'update-1'));

        const other = await store.accept(inbound(freshAddress(), 'hello', 'update-1'));

        expect(other.duplicate).toBe(false);
        expect(other.message.id).not.toBe(first.message.id);
      });

      it('gives a message to a conversation that is not with the bot the status operator', async () => {
        const address = freshAddress();
        const { conversation } = await store.accept(inbound(address, 'I want a person'));
        await store.transition(conversation.id, ['bot'], 'waiting_operator');

        const { message } = await store.accept(inbound(address, 'still there?'));

        expect(message.status).toBe('operator');
        expect(await store.nextPending(conversation.id)).toBeNull();
      });

      it('keeps the sender and takes a newer name from a later message', async () => {
        const address = freshAddress('telegram');
        await store.accept({ ...inbound(address, 'hi'), sender: { name: 'Anna', username: 'anna_k' } });

        const { conversation } = await store.accept({ ...inbound(address, 'hi again'), sender: { name: 'Anna K.' } });

        expect(conversation.sender).toEqual({ name: 'Anna K.', username: 'anna_k' });
      });
    });

    it('reads an unknown conversation id as null', async () => {
      expect(await store.getConversation('987654321098')).toBeNull();
    });

    describe('recordReply', () => {
      it('stores the reply and moves the customer message to the given status', async () => {
        const address = freshAddress();
        const { message: question } = await store.accept(inbound(address, 'price of the blue kettle?', 'q-1'));

        const reply = await store.recordReply(answer(question, '1990 rub.', { status: 'offline', kind: 'offline' }));

        expect(reply).toMatchObject({ conversationId: question.conversationId, author: 'GPT', text: '1990 rub.', replyToId: question.id });
        expect(reply?.status).toBeUndefined();
        const reread = await store.accept(inbound(address, 'price of the blue kettle?', 'q-1'));
        expect(reread.message.status).toBe('offline');
      });

      it('refuses a second reply to the same message with null', async () => {
        const [question] = await acceptAll(freshAddress(), 'hello');
        await store.recordReply(answer(question!, 'first'));

        const second = await store.recordReply(answer(question!, 'second'));

        expect(second).toBeNull();
      });

      it('stores exactly one of ten concurrent replies to the same message', async () => {
        const address = freshAddress();
        const [question] = await acceptAll(address, 'hello');

        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.recordReply(answer(question!, `reply ${i}`))));

        expect(results.filter((r) => r !== null)).toHaveLength(1);
        expect(await store.claimUndelivered(address)).toHaveLength(1);
      });

      it('refuses a reply to a message that is not a pending customer message', async () => {
        const [question] = await acceptAll(freshAddress(), 'hello');
        const reply = await store.recordReply(answer(question!));

        const toReply = await store.recordReply(answer(reply!, 'a reply to a reply'));

        expect(toReply).toBeNull();
      });
    });

    describe('leases', () => {
      it('refuses a live lease to another owner', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));
        await store.acquireLease(conversation.id, 'worker-a', 60_000);

        const taken = await store.acquireLease(conversation.id, 'worker-b', 60_000);

        expect(taken).toBe(false);
      });

      it('lets the owner of a live lease extend it', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));
        await store.acquireLease(conversation.id, 'worker-a', 60_000);

        const extended = await store.acquireLease(conversation.id, 'worker-a', 60_000);

        expect(extended).toBe(true);
      });

      it('lets another owner in once the lease has expired', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));
        await store.acquireLease(conversation.id, 'worker-a', 30);

        const taken = await waitFor(() => store.acquireLease(conversation.id, 'worker-b', 60_000), 3000);

        expect(taken).toBe(true);
        expect(await store.acquireLease(conversation.id, 'worker-a', 60_000)).toBe(false);
      });

      it('lets another owner in at once after the owner releases the lease', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));
        await store.acquireLease(conversation.id, 'worker-a', 60_000);

        await store.releaseLease(conversation.id, 'worker-a');

        expect(await store.acquireLease(conversation.id, 'worker-b', 60_000)).toBe(true);
      });

      it('ignores a release by someone who does not hold the lease', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));
        await store.acquireLease(conversation.id, 'worker-a', 60_000);

        await store.releaseLease(conversation.id, 'worker-b');

        expect(await store.acquireLease(conversation.id, 'worker-c', 60_000)).toBe(false);
      });

      it('frees every conversation on releaseAllLeases', async () => {
        const first = await store.accept(inbound(freshAddress(), 'hello'));
        const second = await store.accept(inbound(freshAddress(), 'hello'));
        await store.acquireLease(first.conversation.id, 'worker-a', 60_000);
        await store.acquireLease(second.conversation.id, 'worker-b', 60_000);

        await store.releaseAllLeases();

        expect(await store.acquireLease(first.conversation.id, 'worker-c', 60_000)).toBe(true);
        expect(await store.acquireLease(second.conversation.id, 'worker-c', 60_000)).toBe(true);
      });
    });

    describe('nextPending', () => {
      it('gives the oldest pending message first, then the next once that one is answered', async () => {
        const [first, second] = await acceptAll(freshAddress(), 'one', 'two');
        const conversationId = first!.conversationId;
        expect(await store.nextPending(conversationId)).toEqual(first);

        await store.recordReply(answer(first!));

        expect(await store.nextPending(conversationId)).toEqual(second);
      });

      it('reads null when nothing is pending', async () => {
        const [only] = await acceptAll(freshAddress(), 'one');
        await store.recordReply(answer(only!));

        expect(await store.nextPending(only!.conversationId)).toBeNull();
      });
    });

    describe('beginRun and nextTurn (a reply run in few round trips)', () => {
      it('takes the lease and returns the conversation with its oldest pending message and the history before it', async () => {
        const address = freshAddress();
        const [q1] = await acceptAll(address, 'one');
        const r1 = await store.recordReply(answer(q1!));
        const [q2, q3] = await acceptAll(address, 'two', 'three');
        const conversationId = q2!.conversationId;

        const run = await store.beginRun(conversationId, 'worker-a', 60_000, 10);

        expect(run).toEqual({
          leased: true,
          conversation: await store.getConversation(conversationId),
          next: { message: q2, history: await store.history(conversationId, q2!.id, 10) },
        });
        expect(ids(run.leased ? run.next!.history : [])).toEqual(ids([q1!, r1!]));
        expect(await store.acquireLease(conversationId, 'worker-b', 60_000)).toBe(false);

        await store.recordReply(answer(q2!));
        const turn = await store.nextTurn(conversationId, 2, 'worker-a');
        expect(turn?.message).toEqual(q3);
        expect(turn?.history).toEqual(await store.history(conversationId, q3!.id, 2));
        expect(turn?.history).toHaveLength(2);
      });

      it('takes no lease when nothing is pending, and says the run is idle, whoever holds the lease', async () => {
        const [only] = await acceptAll(freshAddress(), 'one');
        const conversationId = only!.conversationId;
        await store.recordReply(answer(only!));

        expect(await store.beginRun(conversationId, 'worker-a', 60_000, 10)).toEqual({ leased: false, exists: true, idle: true });
        expect(await store.acquireLease(conversationId, 'worker-b', 60_000)).toBe(true);
        expect(await store.beginRun(conversationId, 'worker-a', 60_000, 10)).toEqual({ leased: false, exists: true, idle: true });
      });

      it('returns no next turn when nothing is pending, and releases the owner’s lease then, not another’s', async () => {
        const [only] = await acceptAll(freshAddress(), 'one');
        const conversationId = only!.conversationId;
        await store.recordReply(answer(only!));
        expect(await store.acquireLease(conversationId, 'worker-a', 60_000)).toBe(true);

        expect(await store.nextTurn(conversationId, 10, 'worker-b')).toBeNull();
        expect(await store.acquireLease(conversationId, 'worker-c', 60_000)).toBe(false);
        expect(await store.nextTurn(conversationId, 10, 'worker-a')).toBeNull();
        expect(await store.acquireLease(conversationId, 'worker-c', 60_000)).toBe(true);
      });

      it('keeps the lease while a turn is returned', async () => {
        const [first] = await acceptAll(freshAddress(), 'one');
        const conversationId = first!.conversationId;
        await store.beginRun(conversationId, 'worker-a', 60_000, 10);

        expect((await store.nextTurn(conversationId, 10, 'worker-a'))?.message).toEqual(first);
        expect(await store.acquireLease(conversationId, 'worker-b', 60_000)).toBe(false);
      });

      it('says whether the conversation exists when the lease is not taken', async () => {
        const [first] = await acceptAll(freshAddress(), 'one');
        await store.acquireLease(first!.conversationId, 'worker-a', 60_000);

        expect(await store.beginRun(first!.conversationId, 'worker-b', 60_000, 10)).toEqual({ leased: false, exists: true });
        expect(await store.beginRun('987654321987', 'worker-b', 60_000, 10)).toEqual({ leased: false, exists: false });
      });
    });

    describe('history', () => {
      it('lists the messages before the given one, oldest first', async () => {
        const address = freshAddress();
        const [q1] = await acceptAll(address, 'one');
        const r1 = await store.recordReply(answer(q1!));
        const [q2] = await acceptAll(address, 'two');
        const r2 = await store.recordReply(answer(q2!));
        const [q3] = await acceptAll(address, 'three');

        const earlier = await store.history(q3!.conversationId, q3!.id, 10);

        expect(ids(earlier)).toEqual(ids([q1!, r1!, q2!, r2!]));
        expect(earlier.map((m) => m.author)).toEqual(['CUSTOMER', 'GPT', 'CUSTOMER', 'GPT']);
      });

      it('pairs each earlier message with its reply, also when the reply was written after the later message arrived', async () => {
        // A visitor sends three messages in a burst; the worker answers them in order afterwards.
        const [q1, q2, q3] = await acceptAll(freshAddress(), 'Do you have kettles?', 'And the blue one?', 'Price?');
        const r1 = await store.recordReply(answer(q1!));
        const r2 = await store.recordReply(answer(q2!));

        const earlier = await store.history(q3!.conversationId, q3!.id, 10);

        expect(ids(earlier)).toEqual(ids([q1!, r1!, q2!, r2!]));
      });

      it('keeps the most recent messages when the limit is smaller than the history', async () => {
        const [q1, q2, q3, q4] = await acceptAll(freshAddress(), 'one', 'two', 'three', 'four');

        const earlier = await store.history(q4!.conversationId, q4!.id, 2);

        expect(ids(earlier)).toEqual(ids([q2!, q3!]));
        expect(ids(earlier)).not.toContain(q1!.id);
      });

      it('leaves notices and operator texts out: the model must not read an operator\'s words as its own', async () => {
        const address = freshAddress();
        const [q1] = await acceptAll(address, 'a person, please');
        await store.recordReply(answer(q1!, 'connecting you', { kind: 'notice', author: 'OPERATOR', status: 'operator' }));
        await store.addOutbound(q1!.conversationId, 'the chat is finished', 'OPERATOR', 'notice');
        const operatorText = await store.addOutbound(q1!.conversationId, 'Hi, I am Olga', 'OPERATOR', 'operator');
        const [q2] = await acceptAll(address, 'thanks');

        const earlier = await store.history(q2!.conversationId, q2!.id, 10);

        expect(ids(earlier)).toEqual(ids([q1!]));
        expect(ids(earlier)).not.toContain(operatorText.id);
      });

      it('holds only the conversation’s own messages', async () => {
        const mine = freshAddress();
        const [first] = await acceptAll(mine, 'mine');
        await acceptAll(freshAddress(), 'someone else');
        const [next] = await acceptAll(mine, 'mine again');

        const earlier = await store.history(next!.conversationId, next!.id, 10);

        expect(ids(earlier)).toEqual([first!.id]);
      });
    });

    describe('claimUndelivered', () => {
      it('returns the address’s replies oldest first and never the customer’s own messages', async () => {
        const address = freshAddress();
        const [q1, q2] = await acceptAll(address, 'one', 'two');
        const r2 = await store.recordReply(answer(q2!));
        const r1 = await store.recordReply(answer(q1!));
        const notice = await store.addOutbound(q1!.conversationId, 'an operator joined', 'OPERATOR', 'notice');

        const claimed = await store.claimUndelivered(address);

        expect(ids(claimed)).toEqual(ids([r2!, r1!, notice]));
        expect(claimed.every((m) => m.author !== 'CUSTOMER')).toBe(true);
      });

      it('returns a claimed reply only once', async () => {
        const address = freshAddress();
        const [q1] = await acceptAll(address, 'one');
        await store.recordReply(answer(q1!));
        await store.claimUndelivered(address);

        expect(await store.claimUndelivered(address)).toEqual([]);
      });

      it('returns only the replies of that address', async () => {
        const mine = freshAddress();
        const theirs = freshAddress();
        const [q1] = await acceptAll(mine, 'mine');
        const [q2] = await acceptAll(theirs, 'theirs');
        const myReply = await store.recordReply(answer(q1!));
        await store.recordReply(answer(q2!));

        expect(ids(await store.claimUndelivered(mine))).toEqual([myReply!.id]);
      });

      it('returns nothing for an address that never wrote', async () => {
        expect(await store.claimUndelivered(freshAddress())).toEqual([]);
      });

      it('hands each reply to exactly one of twenty concurrent claims, oldest first', async () => {
        const address = freshAddress();
        const questions = await acceptAll(address, 'one', 'two', 'three', 'four', 'five');
        const replies: StoredMessage[] = [];
        for (const question of questions) replies.push((await store.recordReply(answer(question)))!);

        const claims = await Promise.all(Array.from({ length: 20 }, () => store.claimUndelivered(address)));

        expect(claims.flat().map((m) => m.id).sort()).toEqual(ids(replies).sort());
        for (const claim of claims) expect(ids(claim)).toEqual([...ids(claim)].sort((a, b) => Number(a) - Number(b)));
      });

      it('skips a reply already marked delivered', async () => {
        const address = freshAddress();
        const [q1, q2] = await acceptAll(address, 'one', 'two');
        const pushed = await store.recordReply(answer(q1!));
        const polled = await store.recordReply(answer(q2!));
        await store.markDelivered(pushed!.id);

        expect(ids(await store.claimUndelivered(address))).toEqual([polled!.id]);
      });
    });

    describe('messagesSince', () => {
      it('lists the whole conversation oldest first: customer messages, replies and notices', async () => {
        const address = freshAddress();
        const [q1, q2] = await acceptAll(address, 'one', 'two');
        const r1 = await store.recordReply(answer(q1!));
        const notice = await store.addOutbound(q1!.conversationId, 'connecting you', 'OPERATOR', 'notice');

        const messages = await store.messagesSince(address, null, 10);

        expect(ids(messages)).toEqual(ids([q1!, q2!, r1!, notice]));
        expect(messages.map((m) => m.author)).toEqual(['CUSTOMER', 'CUSTOMER', 'GPT', 'OPERATOR']);
      });

      it('continues after the given id, at most limit messages', async () => {
        const address = freshAddress();
        const [q1, q2, q3, q4] = await acceptAll(address, 'one', 'two', 'three', 'four');

        const page = await store.messagesSince(address, q1!.id, 2);

        expect(ids(page)).toEqual(ids([q2!, q3!]));
        expect(ids(await store.messagesSince(address, q3!.id, 10))).toEqual([q4!.id]);
        expect(await store.messagesSince(address, q4!.id, 10)).toEqual([]);
      });

      it('holds only the address’s own conversation, and nothing for an address that never wrote', async () => {
        const mine = freshAddress();
        const [q1] = await acceptAll(mine, 'mine');
        await acceptAll(freshAddress(), 'theirs');
        await acceptAll({ channel: 'telegram', chatId: mine.chatId }, 'same chat id elsewhere');

        expect(ids(await store.messagesSince(mine, null, 10))).toEqual([q1!.id]);
        expect(await store.messagesSince(freshAddress(), null, 10)).toEqual([]);
      });

      it('marks nothing delivered: the replies read are still claimed by the next poll', async () => {
        const address = freshAddress();
        const [q1] = await acceptAll(address, 'one');
        const r1 = await store.recordReply(answer(q1!));
        await store.messagesSince(address, null, 10);

        expect(ids(await store.claimUndelivered(address))).toEqual([r1!.id]);
      });

      it('misses nothing for a reader that follows its cursor while messages, replies and notices are written at once', async () => {
        const address = freshAddress();
        const [first] = await acceptAll(address, 'first');
        const written: string[] = [first!.id];
        const seen: string[] = [];
        let cursor: string | null = null;
        let writing = true;
        const reader = (async () => {
          while (writing) {
            const page = await store.messagesSince(address, cursor, 100);
            for (const m of page) seen.push(m.id);
            if (page.length) cursor = page[page.length - 1]!.id;
          }
        })();
        const writers = Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < 5; i += 1) {
            const [q] = await acceptAll(address, `w${w}-${i}`);
            written.push(q!.id);
            const [reply, notice] = await Promise.all([
              store.recordReply(answer(q!)),
              store.addOutbound(q!.conversationId, `notice w${w}-${i}`, 'GPT', 'notice'),
            ]);
            written.push(reply!.id, notice.id);
          }
        });
        await Promise.all(writers);
        writing = false;
        await reader;
        for (const m of await store.messagesSince(address, cursor, 1000)) seen.push(m.id);

        expect(seen).toEqual([...written].sort((a, b) => Number(a) - Number(b)));
      });
    });

    describe('findUndelivered', () => {
      it('lists the chat’s unsent replies on the channel oldest first, with their address', async () => {
        const address = freshAddress('telegram');
        const [q1, q2, q3] = await acceptAll(address, 'one', 'two', 'three');
        const r1 = await store.recordReply(answer(q1!));
        const r3 = await store.recordReply(answer(q3!));
        const notice = await store.addOutbound(q1!.conversationId, 'an operator joined', 'OPERATOR', 'notice');
        const r2 = await store.recordReply(answer(q2!));
        await store.markDelivered(r1!.id);

        const unsent = await store.findUndelivered('telegram', { chatId: address.chatId }, 10);

        expect(unsent.map((u) => u.message.id)).toEqual(ids([r3!, notice, r2!]));
        expect(unsent.every((u) => u.message.author !== 'CUSTOMER')).toBe(true);
        expect(unsent[0]?.address).toEqual(address);
      });

      it('leaves out replies of the same chat id on another channel', async () => {
        const web = freshAddress('web');
        const [question] = await acceptAll(web, 'one');
        await store.recordReply(answer(question!));

        expect(await store.findUndelivered('telegram', { chatId: web.chatId }, 10)).toEqual([]);
      });

      it('leaves out replies created after createdBefore', async () => {
        const { chatId } = freshAddress('telegram');
        const [question] = await acceptAll({ channel: 'telegram', chatId }, 'one');
        const reply = await store.recordReply(answer(question!));

        const before = await store.findUndelivered('telegram', { chatId, createdBefore: new Date(Date.now() - 60_000) }, 10);
        const after = await store.findUndelivered('telegram', { chatId, createdBefore: new Date(Date.now() + 60_000) }, 10);

        expect(before).toEqual([]);
        expect(after.map((u) => u.message.id)).toEqual([reply!.id]);
      });

      it('lists every chat of the channel without a chat filter', async () => {
        const [mine] = await acceptAll(freshAddress('telegram'), 'one');
        const [theirs] = await acceptAll(freshAddress('telegram'), 'two');
        const myReply = await store.recordReply(answer(mine!));
        const theirReply = await store.recordReply(answer(theirs!));

        const unsent = await store.findUndelivered('telegram', {}, 100_000);

        expect(unsent.map((u) => u.message.id)).toEqual(expect.arrayContaining([myReply!.id, theirReply!.id]));
      });

      it('lists at most limit replies, the oldest', async () => {
        const address = freshAddress('telegram');
        const [q1, q2, q3] = await acceptAll(address, 'one', 'two', 'three');
        const replies = [await store.recordReply(answer(q1!)), await store.recordReply(answer(q2!)), await store.recordReply(answer(q3!))];

        const unsent = await store.findUndelivered('telegram', { chatId: address.chatId }, 2);

        expect(unsent.map((u) => u.message.id)).toEqual(ids([replies[0]!, replies[1]!]));
      });
    });

    describe('markBlocked', () => {
      it('settles the address’s unsent replies, so they are neither listed nor claimed', async () => {
        const address = freshAddress('telegram');
        const [question] = await acceptAll(address, 'one');
        await store.recordReply(answer(question!));

        await store.markBlocked(address);

        expect(await store.findUndelivered('telegram', { chatId: address.chatId }, 10)).toEqual([]);
        expect(await store.claimUndelivered(address)).toEqual([]);
      });

      it('leaves the replies of other addresses unsent', async () => {
        const blocked = freshAddress('telegram');
        const other = freshAddress('telegram');
        await acceptAll(blocked, 'one');
        const [question] = await acceptAll(other, 'two');
        const reply = await store.recordReply(answer(question!));

        await store.markBlocked(blocked);

        expect(ids(await store.claimUndelivered(other))).toEqual([reply!.id]);
      });
    });

    describe('transition', () => {
      it('moves the conversation to the new state when it is in one of the from states', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));

        const moved = await store.transition(conversation.id, ['waiting_operator', 'bot'], 'waiting_operator');

        expect(moved).toBe(true);
        expect(await store.getConversation(conversation.id)).toMatchObject({ state: 'waiting_operator' });
      });

      it('returns false and changes nothing when the state is not one of the from states', async () => {
        const { conversation } = await store.accept(inbound(freshAddress(), 'hello'));

        const moved = await store.transition(conversation.id, ['waiting_operator'], 'with_operator');

        expect(moved).toBe(false);
        expect(await store.getConversation(conversation.id)).toMatchObject({ state: 'bot' });
      });

      it('returns false for an unknown conversation', async () => {
        expect(await store.transition('987654321098', ['bot'], 'waiting_operator')).toBe(false);
      });

      it('parks the pending messages with the operator when the conversation leaves the bot', async () => {
        const [q1, q2] = await acceptAll(freshAddress(), 'one', 'two');

        await store.transition(q1!.conversationId, ['bot'], 'waiting_operator');

        expect([await statusOf(q1!), await statusOf(q2!)]).toEqual(['operator', 'operator']);
      });

      it('leaves parked messages with the operator when the conversation comes back to the bot', async () => {
        const [q1] = await acceptAll(freshAddress(), 'one');
        await store.transition(q1!.conversationId, ['bot'], 'with_operator');

        await store.transition(q1!.conversationId, ['with_operator'], 'bot');

        expect(await statusOf(q1!)).toBe('operator');
      });
    });

    describe('findStalePending', () => {
      it('lists the pending messages accepted before the cutoff, oldest first, and not answered ones', async () => {
        const [q1, q2, q3] = await acceptAll(freshAddress(), 'one', 'two', 'three');
        await store.recordReply(answer(q2!));

        const stale = await store.findStalePending(new Date(Date.now() + 60_000), 100_000);

        const mine = stale.filter((s) => s.conversationId === q1!.conversationId);
        expect(mine).toEqual([
          { conversationId: q1!.conversationId, messageId: q1!.id },
          { conversationId: q3!.conversationId, messageId: q3!.id },
        ]);
      });

      it('does not list messages accepted after the cutoff', async () => {
        const [q1] = await acceptAll(freshAddress(), 'one');

        const stale = await store.findStalePending(new Date(Date.now() - 60_000), 100_000);

        expect(stale.map((s) => s.messageId)).not.toContain(q1!.id);
      });

      it('lists at most limit messages', async () => {
        await acceptAll(freshAddress(), 'one', 'two');

        const stale = await store.findStalePending(new Date(Date.now() + 60_000), 1);

        expect(stale).toHaveLength(1);
      });
    });
  });
}
