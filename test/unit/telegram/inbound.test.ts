import { readFileSync } from 'node:fs';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { classifyUpdate, externalIdOf, type InboundOptions } from '../../../channels/telegram/inbound.js';

const options: InboundOptions = { personButton: 'Позвать оператора', maxChars: 4000 };

function fixture(name: string): Update {
  return JSON.parse(readFileSync(new URL(`../../support/fixtures/telegram/${name}.json`, import.meta.url), 'utf8')) as Update;
}

describe('classifyUpdate', () => {
  it('turns a private text message into an inbound message for the chat, with name and username', () => {
    const action = classifyUpdate(fixture('private-text'), options);

    expect(action).toEqual({
      kind: 'message',
      inbound: {
        address: { channel: 'telegram', chatId: '283746501' },
        externalId: '1534-1764190800',
        text: 'Здравствуйте! Есть ли в наличии плёнка Oracal 641 белая матовая, ширина 1,26 м?',
        at: new Date(1764190800 * 1000),
        sender: { name: 'Мария Соколова', username: 'm_sokolova' },
      },
    });
  });

  it('drops U+0000 from a text, so the message can be stored', () => {
    const update = fixture('private-text');
    const action = classifyUpdate({ ...update, message: { ...update.message, text: 'плёнка\u0000 Oracal' } } as Update, options);

    expect(action.kind === 'message' && action.inbound.text).toBe('плёнка Oracal');
  });

  it('ignores a text of only zero-width characters and U+0000', () => {
    const update = fixture('private-text');
    const action = classifyUpdate({ ...update, message: { ...update.message, text: '\u200b\u0000\ufeff\u2060' } } as Update, options);

    expect(action.kind).toBe('ignore');
  });

  it('gives a re-sent update the same external id, so the store drops the copy', () => {
    const first = classifyUpdate(fixture('private-text'), options);
    const again = classifyUpdate({ ...fixture('private-text') }, options);

    expect(first.kind === 'message' && again.kind === 'message' && again.inbound.externalId).toBe(first.kind === 'message' && first.inbound.externalId);
  });

  it('tells apart two messages with the same id sent at different times (a new bot token numbers chats anew)', () => {
    expect(externalIdOf({ message_id: 5, date: 1764190800 })).not.toBe(externalIdOf({ message_id: 5, date: 1764290800 }));
  });

  it('keeps a forwarded text as the customer’s message', () => {
    const action = classifyUpdate(fixture('forwarded-text'), options);

    expect(action.kind === 'message' && action.inbound.text).toBe('Нужен баннер 3×6 м с люверсами');
  });

  it('answers /start, also with a deep-link payload, with the greeting', () => {
    expect(classifyUpdate(fixture('start-command'), options)).toEqual({ kind: 'reply', chatId: '283746501', externalId: '1530-1764190700', key: 'greeting' });
    expect(classifyUpdate(fixture('start-deep-link'), options)).toMatchObject({ kind: 'reply', key: 'greeting' });
  });

  it('answers /help and unknown commands with the help text', () => {
    expect(classifyUpdate(fixture('help-command'), options)).toMatchObject({ kind: 'reply', key: 'help' });
    const unknown = fixture('help-command');
    if (unknown.message && 'text' in unknown.message) unknown.message.text = '/price';
    expect(classifyUpdate(unknown, options)).toMatchObject({ kind: 'reply', key: 'help' });
  });

  it('treats /operator, with the bot’s name appended, as asking for a person', () => {
    const action = classifyUpdate(fixture('operator-command-with-mention'), options);

    expect(action).toMatchObject({ kind: 'ask_person', inbound: { address: { channel: 'telegram', chatId: '283746501' }, text: '/operator@fake_support_bot' } });
  });

  it('treats the keyboard button’s label as asking for a person', () => {
    const update = fixture('private-text');
    if (update.message && 'text' in update.message) update.message.text = 'Позвать оператора';

    expect(classifyUpdate(update, options).kind).toBe('ask_person');
  });

  it.each(['sticker', 'photo-with-caption', 'voice', 'document'])('answers a %s politely instead of passing it to the model', (name) => {
    expect(classifyUpdate(fixture(name), options)).toMatchObject({ kind: 'reply', key: 'unsupported', chatId: '283746501' });
  });

  it.each([
    ['edited-message', 'edited message'],
    ['group-text', 'supergroup chat'],
    ['channel-post', 'channel post'],
    ['my-chat-member-blocked', 'update without a message (my_chat_member)'],
    ['pinned-service-message', 'service message'],
  ])('ignores a %s', (name, reason) => {
    expect(classifyUpdate(fixture(name), options)).toEqual({ kind: 'ignore', reason });
  });

  it('cuts a text longer than the limit, counting characters rather than UTF-16 units', () => {
    const update = fixture('private-text');
    if (update.message && 'text' in update.message) update.message.text = '😀'.repeat(12);

    const action = classifyUpdate(update, { ...options, maxChars: 10 });

    expect(action.kind === 'message' && action.inbound.text).toBe('😀'.repeat(10));
  });

  it('ignores a whitespace-only text', () => {
    const update = fixture('private-text');
    if (update.message && 'text' in update.message) update.message.text = '   ';

    expect(classifyUpdate(update, options).kind).toBe('ignore');
  });
});
