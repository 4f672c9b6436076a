// The history's record format (models/stored_line.ts): plain copies of the room model's lines, and
// what is refused when read back.
import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { MAX_ROOM_SIZE } from '../../../web/src/lib/limits';
import type { ChatMessage } from '../../../web/src/app/models/room';
import {
  MAX_STORED_TEXT, STORED_LINE_VERSION, parseStoredRecord, restoredLine, toStoredLine, type StoredChat,
} from '../../../web/src/app/models/stored_line';

const message: ChatMessage = {
  kind: 'chat', key: 'me:7', id: 7, from: 'me', fromName: 'Me', text: 'hi', ts: 1234, mine: true, broadcast: true,
  recipients: [{ id: 'ann', name: 'Ann' }, { id: 'bob', name: 'Bob' }], delivered: signal(['bob']),
};
const stored: StoredChat = {
  kind: 'chat', key: 'me:7', id: 7, from: 'me', fromName: 'Me', text: 'hi', ts: 1234, mine: true, broadcast: true,
  recipients: [{ id: 'ann', name: 'Ann' }, { id: 'bob', name: 'Bob' }], delivered: ['bob'],
};
const record = (line: unknown) => ({ v: STORED_LINE_VERSION, savedAt: 5, line });

describe('stored lines', () => {
  it('are plain JSON copies of the room model lines, receipts as they are now', () => {
    const line = toStoredLine(message);
    expect(line).toEqual(stored);
    expect(JSON.parse(JSON.stringify(line))).toEqual(line);
    expect(toStoredLine({ kind: 'system', key: 'sys:1', text: 'Ann joined', ts: 9 })).toEqual({
      kind: 'system', key: 'sys:1', text: 'Ann joined', ts: 9,
    });
  });

  it('come back under a key of their own, with receipts that no longer change', () => {
    const line = restoredLine(stored, 12);
    expect(line).toMatchObject({ ...stored, key: 'history/12', delivered: expect.anything() });
    expect(line.kind === 'chat' && line.delivered.value).toEqual(['bob']);
  });

  it('read back whole', () => {
    expect(parseStoredRecord(record(stored))).toEqual(record(stored));
    expect(parseStoredRecord(record({ ...stored, extra: 1 }))).toEqual(record(stored));
  });

  it.each([
    ['not an object', 'junk'],
    ['an array', []],
    ['another version', { ...record(stored), v: STORED_LINE_VERSION + 1 }],
    ['no savedAt', { v: STORED_LINE_VERSION, line: stored }],
    ['an unknown kind', record({ ...stored, kind: 'poll' })],
    ['an empty key', record({ ...stored, key: '' })],
    ['no text', record({ kind: 'system', key: 'sys:1', ts: 1 })],
    ['text too long', record({ ...stored, text: 'x'.repeat(MAX_STORED_TEXT + 1) })],
    ['an infinite time', record({ ...stored, ts: Infinity })],
    ['a negative message id', record({ ...stored, id: -1 })],
    ['a fractional message id', record({ ...stored, id: 1.5 })],
    ['mine as a string', record({ ...stored, mine: 'yes' })],
    ['recipients not a list', record({ ...stored, recipients: 'ann' })],
    ['a recipient without a name', record({ ...stored, recipients: [{ id: 'ann' }], delivered: [] })],
    ['too many recipients', record({ ...stored, recipients: Array.from({ length: MAX_ROOM_SIZE + 1 }, (_, i) => ({ id: `p${i}`, name: 'P' })), delivered: [] })],
    ['a receipt from someone not a recipient', record({ ...stored, delivered: ['zed'] })],
  ])('are refused with %s', (_, value) => expect(parseStoredRecord(value)).toBeNull());
});
