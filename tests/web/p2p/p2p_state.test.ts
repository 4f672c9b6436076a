// P2P.state on the iframe's side of the bridge: its mirror of the room state against a fake
// embedding page (frames by hand), and through the page's real end (forwardRoomEvents and
// sendFromIframe on a FakeRoom, over a MessagePort) for what a round trip must not do twice.
import { afterEach, describe, expect, it } from 'vitest';
import { checkIframeFrame } from '../../../web/src/bridge/frame_check';
import { WHOLE_ROOM, forwardRoomEvents, sendFromIframe } from '../../../web/src/bridge/room_bridge';
import type { Json } from '../../../web/src/lib/types';
import { P2PError, type P2PApi } from '../../../web/src/p2p/p2p_api';
import { FakeRoom } from '../app/fake_room';
import { p2pWithParent, settle, state, until, type PortEnd } from '../bridge/bridge_fakes';

const ports: PortEnd[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

type Change = [string, Json | undefined, string | null];

/** A P2P whose state changes are recorded (handler and event), not connected yet. */
function iframe(): { p2p: P2PApi; parent: PortEnd; changes: Change[]; events: Change[] } {
  const s = p2pWithParent();
  ports.push(s.parent);
  const changes: Change[] = [];
  const events: Change[] = [];
  s.p2p.state.onChange = (key, value, from) => changes.push([key, value, from]);
  s.p2p.addEventListener('statechange', (e) => {
    const { key, value, from } = (e as CustomEvent).detail;
    events.push([key, value, from]);
  });
  return { ...s, changes, events };
}

async function connect(parent: PortEnd, p2p: P2PApi): Promise<void> {
  parent.post(state('me', ['me', 'ann']));
  await until(() => p2p.isConnected(), 'connected');
}

describe('P2P.state against a fake page', () => {
  it('uses nothing until touched: no state_watch is posted by a page that never uses P2P.state', async () => {
    const s = p2pWithParent();
    ports.push(s.parent);
    await connect(s.parent, s.p2p);
    s.p2p.send(1);
    await until(() => s.parent.received.length === 1, 'the send');
    expect(s.parent.received).toEqual([{ t: 'send', data: 1 }]);
  });

  it('a write before the connection shows at once, and goes after the watch once connected', async () => {
    const { p2p, parent, changes, events } = iframe();
    p2p.state.set('k', { a: 1 });
    expect(p2p.state.get('k')).toEqual({ a: 1 });
    expect(changes).toEqual([['k', { a: 1 }, null]]); // no peer id before the first connection
    expect(events).toEqual(changes);
    await settle();
    expect(parent.received).toEqual([]);
    await connect(parent, p2p);
    await until(() => parent.received.length === 2, 'the watch and the write');
    expect(parent.received).toEqual([{ t: 'state_watch' }, { t: 'state_set', key: 'k', value: { a: 1 } }]);
  });

  it('the document fills the mirror, each key once with its writer; the same document again changes nothing', async () => {
    const { p2p, parent, changes } = iframe();
    await connect(parent, p2p);
    await until(() => parent.received.length === 1, 'the watch');
    const doc = { t: 'state_doc', entries: [['b', [2], 'ann'], ['a', 'x', '']] };
    parent.post(doc);
    await until(() => changes.length === 2, 'two changes');
    parent.post(doc);
    parent.post({ t: 'state_change', key: 'c', value: true, from: 'ann' });
    await until(() => changes.length === 3, 'the change');
    expect(changes).toEqual([['a', 'x', null], ['b', [2], 'ann'], ['c', true, 'ann']]);
    expect(p2p.state.entries()).toEqual([['a', 'x'], ['b', [2]], ['c', true]]);
    // A copy: changing what get returned changes nothing.
    (p2p.state.get('b') as number[]).push(3);
    expect(p2p.state.get('b')).toEqual([2]);
  });

  it('a document that lacks a key (another room) deletes it', async () => {
    const { p2p, parent, changes } = iframe();
    await connect(parent, p2p);
    parent.post({ t: 'state_doc', entries: [['a', 1, 'ann']] });
    await until(() => changes.length === 1, 'a');
    parent.post({ t: 'state_doc', entries: [] });
    await until(() => changes.length === 2, 'a deleted');
    expect(changes[1]).toEqual(['a', undefined, null]);
    expect(p2p.state.get('a')).toBeUndefined();
  });

  it('while an own write is on its way, what the page says of that key waits for its ack', async () => {
    const { p2p, parent, changes } = iframe();
    await connect(parent, p2p);
    p2p.state.set('k', 1);
    p2p.state.set('k', 2);
    parent.post({ t: 'state_change', key: 'k', value: 'older', from: 'ann' });
    parent.post({ t: 'state_ack', key: 'k', value: 1, from: 'me' });
    parent.post({ t: 'state_doc', entries: [['k', 1, 'me']] });
    parent.post({ t: 'state_ack', key: 'k', value: 2, from: 'me' });
    parent.post({ t: 'state_change', key: 'j', value: 0, from: 'ann' });
    await until(() => changes.length === 3, 'j');
    expect(changes).toEqual([['k', 1, 'me'], ['k', 2, 'me'], ['j', 0, 'ann']]);
    expect(p2p.state.get('k')).toBe(2);
  });

  it('a refused write reaches onError, and its ack puts the mirror back to what the room holds', async () => {
    const { p2p, parent, changes } = iframe();
    const errors: P2PError[] = [];
    p2p.onError = (e) => errors.push(e);
    await connect(parent, p2p);
    parent.post({ t: 'state_doc', entries: [['k', 'theirs', 'ann']] });
    await until(() => changes.length === 1, 'the document');
    p2p.state.set('k', 'mine');
    parent.post({ t: 'error', code: 'state_too_large', message: 'full' });
    parent.post({ t: 'state_ack', key: 'k', value: 'theirs', from: 'ann' });
    await until(() => changes.length === 3, 'the mirror put back');
    expect(changes).toEqual([['k', 'theirs', 'ann'], ['k', 'mine', 'me'], ['k', 'theirs', 'ann']]);
    expect(errors.map((e) => e.code)).toEqual(['state_too_large']);
  });

  it('refuses what the room would refuse at once, applying and posting nothing', async () => {
    const { p2p, parent, changes } = iframe();
    await connect(parent, p2p);
    const code = (f: () => void) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(P2PError);
        return (e as P2PError).code;
      }
      return 'no error';
    };
    expect(code(() => p2p.state.set('k', Number.NaN))).toBe('data_invalid');
    expect(code(() => p2p.state.set('k', undefined as never))).toBe('data_invalid');
    expect(code(() => p2p.state.set('k', 'x'.repeat(60_416)))).toBe('data_invalid'); // 60 418 bytes with its quotes
    expect(code(() => p2p.state.set('', 1))).toBe('data_invalid');
    expect(code(() => p2p.state.set('é'.repeat(129), 1))).toBe('data_invalid'); // 258 bytes
    expect(code(() => p2p.state.set('a\nb', 1))).toBe('data_invalid');
    expect(code(() => p2p.state.delete(7 as never))).toBe('data_invalid');
    expect(code(() => p2p.state.set('é'.repeat(128), 'x'.repeat(60_414)))).toBe('no error'); // both at their limit
    await until(() => parent.received.length === 2, 'the watch and the one good write');
    expect(parent.received.map((f) => (f as { t: string }).t)).toEqual(['state_watch', 'state_set']);
    expect(changes.length).toBe(1);
  });

  it('asks for the document again on every later connection', async () => {
    const { p2p, parent } = iframe();
    await connect(parent, p2p);
    await until(() => parent.received.length === 1, 'the watch');
    parent.post(state('me', ['me', 'ann'], { connected: false }));
    await until(() => !p2p.isConnected(), 'disconnected');
    p2p.state.delete('k'); // queued meanwhile
    await connect(parent, p2p);
    await until(() => parent.received.length === 3, 'the watch again, then the delete');
    expect(parent.received).toEqual([{ t: 'state_watch' }, { t: 'state_watch' }, { t: 'state_delete', key: 'k' }]);
  });
});

describe('P2P.state through the page’s end of the bridge', () => {
  /** An iframe whose port is served by forwardRoomEvents / sendFromIframe over `room`. */
  async function bridged(room: FakeRoom) {
    const s = iframe();
    const post = (f: unknown) => s.parent.post(f);
    forwardRoomEvents(room, { post }, WHOLE_ROOM);
    s.parent.port.onmessage = (e) => {
      const checked = checkIframeFrame(e.data);
      if ('frame' in checked) sendFromIframe(room, checked.frame, WHOLE_ROOM, post);
    };
    post({ t: 'state', selfId: room.selfId, hostId: room.selfId, connected: true, members: [] });
    await until(() => s.p2p.isConnected(), 'connected');
    return s;
  }

  it('an own write fires onChange once and reaches the room; another member’s write fires once with its id', async () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    room.state.put('old', 'before', 'ann');
    const { p2p, changes } = await bridged(room);
    await until(() => changes.length === 1, 'the document');
    p2p.state.set('k', { x: 1, c: 'red' });
    p2p.state.set('k', { x: 2, c: 'red' });
    await until(() => changes.length >= 3, 'the document and two writes');
    room.state.put('j', [1], 'ann');
    await until(() => changes.length >= 4, 'the other member’s write');
    await settle();
    expect(room.state.get('k')).toEqual({ x: 2, c: 'red' });
    expect(changes).toEqual([
      ['old', 'before', null], // the document, asked for on connecting; written before this page listened
      ['k', { x: 1, c: 'red' }, 'me'],
      ['k', { x: 2, c: 'red' }, 'me'],
      ['j', [1], 'ann'],
    ]);
    expect(p2p.state.entries()).toEqual([['j', [1]], ['k', { x: 2, c: 'red' }], ['old', 'before']]);
  });
});
