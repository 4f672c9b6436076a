// Model rules without rendering: validation, codes, paths, error text, formatting, bounds.
import { describe, expect, it, vi } from 'vitest';
import { HuddleError } from '../../../web/src/lib/types';
import { normalizeCode, parseRoomPath, validateCode } from '../../../web/src/app/models/codes';
import { friendlyError } from '../../../web/src/app/models/errors';
import { CONNECTION_TEXT, connectionState, describeStatus, formatTime } from '../../../web/src/app/models/format';
import { createIdentity, validateName } from '../../../web/src/app/models/identity';
import { createLobby } from '../../../web/src/app/models/lobby';
import { readDebug, readIcePolicy } from '../../../web/src/app/models/app';
import { MAX_LINES, chatText, createRoomModel } from '../../../web/src/app/models/room';
import { memoryStore } from '../lib/memory_store';
import { fakeFetch } from './fake_fetch';
import { FakeHuddle, FakeRoom } from './fake_room';

describe('validateName', () => {
  it.each([
    ['', 'Enter your name.'],
    ['  \t ', 'Enter your name.'],
    ['a'.repeat(33), 'Names can be at most 32 characters.'],
    ['bad\u0007name', "Names can't contain control characters."],
  ])('rejects %j', (name, message) => expect(validateName(name)).toBe(message));

  it.each(['A', ' Ann ', 'a'.repeat(32), '😀'.repeat(32), 'Zoë Ångström'])('accepts %j', (name) =>
    expect(validateName(name)).toBeNull(),
  );
});

describe('room codes', () => {
  it.each([
    ['abc234', 'ABC234'],
    ['abc 234', 'ABC234'],
    ['abc-234', 'ABC234'],
    ['abc2345678', 'ABC234'],
    ['https://x.example/r/pqr789?debug=1', 'PQR789'],
  ])('normalizes %j to %j', (input, code) => expect(normalizeCode(input)).toBe(code));

  it('accepts exactly the 32-character alphabet', () => {
    expect(validateCode('ABCDEF')).toBeNull();
    expect(validateCode('Z23456')).toBeNull();
    for (const bad of ['ABCDEI', 'ABCDEO', 'ABCDE0', 'ABCDE1', 'ABCDE', 'abcdef']) {
      expect(validateCode(bad)).not.toBeNull();
    }
  });

  it.each([
    ['/r/ABC234', 'ABC234'],
    ['/r/abc234/', 'ABC234'],
    ['/r/ABC23', null],
    ['/r/ABC234/x', null],
    ['/', null],
    ['/rooms/ABC234', null],
    ['/r/%E0%A4%A', null],
  ])('parseRoomPath(%j) is %j', (path, code) => expect(parseRoomPath(path)).toBe(code));
});

describe('friendlyError', () => {
  it('maps codes to plain text and anything else to a generic line', () => {
    expect(friendlyError(new HuddleError('room_full', 'x'))).toBe('That room is full.');
    expect(friendlyError(new HuddleError('protocol_violation', 'bad seq'))).toBe('Something went wrong (bad seq). Try again.');
    expect(friendlyError('nope')).toBe('Something went wrong. Try again.');
  });
});

describe('formatting', () => {
  it('formats local time as HH:MM', () => {
    expect(formatTime(new Date(2024, 5, 1, 0, 7).getTime())).toBe('00:07');
    expect(formatTime(new Date(2024, 5, 1, 23, 59).getTime())).toBe('23:59');
  });

  it('describes the session status with how the others are reached', () => {
    expect(describeStatus('in_room', 3, { direct: 2, relay: 0, away: 0, total: 2 })).toBe('Connected · 3 members · 2 direct');
    expect(describeStatus('in_room', 4, { direct: 2, relay: 1, away: 0, total: 3 })).toBe('Connected · 4 members · 2 direct · 1 via relay');
    expect(describeStatus('in_room', 4, { direct: 0, relay: 1, away: 0, total: 3 })).toBe('Connected · 4 members · 1 via relay · 2 connecting');
    expect(describeStatus('connecting', 1, { direct: 0, relay: 0, away: 0, total: 0 })).toBe('Connecting… · 1 member · waiting for others');
  });

  it('does not count away members as here or connected, and shows the room capacity when known', () => {
    expect(describeStatus('in_room', 4, { direct: 2, relay: 0, away: 1, total: 3 })).toBe('Connected · 3 members · 2 direct · 1 away');
    expect(describeStatus('in_room', 3, { direct: 2, relay: 0, away: 0, total: 2 }, 6)).toBe('Connected · 3 of 6 here · 2 direct');
    expect(describeStatus('in_room', 2, { direct: 0, relay: 0, away: 1, total: 1 }, 2)).toBe('Connected · 1 of 2 here · 1 away');
  });

  it('reads a member connection from its transport, else from the link being made', () => {
    expect(connectionState({ transport: 'direct', link: 'connected' })).toBe('direct');
    expect(connectionState({ transport: 'relay', link: 'failed' })).toBe('relay');
    expect(connectionState({ transport: 'relay', link: 'closed' })).toBe('relay');
    expect(connectionState({ transport: null, link: 'connecting' })).toBe('connecting');
    expect(connectionState({ transport: null, link: 'connected' })).toBe('connecting');
    expect(connectionState({ transport: null, link: 'failed' })).toBe('failed');
    expect(connectionState({ transport: null, link: 'closed' })).toBe('closed');
    expect(CONNECTION_TEXT.relay).toBe('relay (via server)');
  });
});

describe('debug and ICE switches', () => {
  it('reads debug from the query or storage', () => {
    expect(readDebug('?debug=1', memoryStore())).toBe(true);
    expect(readDebug('', memoryStore({ 'huddle.debug': '1' }))).toBe(true);
    expect(readDebug('?debug=true', memoryStore())).toBe(false);
  });

  it('reads the ICE policy switch from ?ice=relay only', () => {
    expect(readIcePolicy('?ice=relay')).toBe('relay');
    expect(readIcePolicy('?debug=1&ice=relay')).toBe('relay');
    expect(readIcePolicy('?ice=all')).toBeUndefined();
    expect(readIcePolicy('')).toBeUndefined();
  });
});

describe('lobby model', () => {
  it('leaves a room that arrives after the lobby was disposed', async () => {
    const api = new FakeHuddle();
    api.hold = true;
    const onEnter = vi.fn();
    const lobby = createLobby({
      api, identity: createIdentity(memoryStore({ 'huddle.name': 'Ann' })), debug: false, inviteCode: null, onEnter,
    });
    const done = lobby.create();
    lobby.dispose();
    api.settle();
    await done;
    expect(onEnter).not.toHaveBeenCalled();
    expect(api.room.leaveCalls).toBe(1);
  });
});

const roomDeps = () => ({ hostExperience: new FakeHuddle().hostExperience, origin: 'http://huddle.test', fetch: fakeFetch() });

describe('room model', () => {
  it('reads chat text only from {type:"chat", text: string}', () => {
    expect(chatText({ type: 'chat', text: 'hi' })).toBe('hi');
    expect(chatText({ type: 'chat', text: 5 })).toBeNull();
    expect(chatText({ type: 'other', text: 'hi' })).toBeNull();
    expect(chatText(['chat'])).toBeNull();
    expect(chatText(null)).toBeNull();
  });

  it(`keeps at most ${MAX_LINES} lines, dropping the oldest`, () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const roomModel = createRoomModel(room, roomDeps());
    const detach = roomModel.attach();
    for (let i = 0; i < MAX_LINES + 5; i++) room.receiveChat('ann', `m${i}`, { id: i });
    const lines = roomModel.lines.value;
    expect(lines).toHaveLength(MAX_LINES);
    expect(lines[0].kind === 'chat' && lines[0].text).toBe('m5');
    detach();
    expect(room.listenerCount()).toBe(0);
  });

  it('catches up on changes made before attach', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const roomModel = createRoomModel(room, roomDeps());
    room.addPeer('Bob'); // nobody subscribed yet
    room.setStatus('offline');
    roomModel.attach();
    expect(roomModel.peers.value.map((p) => p.name)).toEqual(['Ann', 'Me', 'Bob']);
    expect(roomModel.status.value).toBe('offline');
  });
});
