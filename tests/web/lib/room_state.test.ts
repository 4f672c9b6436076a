// @vitest-environment node
// room.state over the real Wasm client and room state module and a real huddle-server
// (relay-only rooms: Node has no RTCPeerConnection): values as the app wrote them, change events
// with their writer, concurrent writers, a late joiner, writes made while the module loads, the
// errors a write can meet, and what a room that leaves keeps.
import { describe, expect, it } from 'vitest';
import { joinRoom, type Json, type Room, type StateChange } from '../../../web/src/lib';
import { MAX_STATE_KEY_BYTES, MAX_STATE_PENDING_WRITES, MAX_STATE_VALUE_BYTES } from '../../../web/src/lib/limits';
import { until, useServerAndRooms } from './wasm_env';

const { server, open, relayRoom } = useServerAndRooms();

async function join(code: string, name: string): Promise<Room> {
  const room = await joinRoom({ server: server.origin, code, name });
  open.push(room);
  return room;
}

function changesOf(room: Room): StateChange[] {
  const seen: StateChange[] = [];
  room.state.on('change', (c) => seen.push(c));
  return seen;
}

const sameEverywhere = (rooms: Room[]) => rooms.every((r) => JSON.stringify(r.state.entries()) === JSON.stringify(rooms[0].state.entries()));

describe('room.state', () => {
  it('gives every member the values as written, with who wrote them', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    const seen = changesOf(ben);
    const value: Json = { title: 'Plans', n: 1e21, list: [1, 2.5, 'x', null, true], nested: { deep: [] } };
    ann.state.set('doc', value);
    expect(ann.state.get('doc')).toEqual(value); // at once, on the writer's side
    await until(() => seen.some((c) => c.key === 'doc'), 'Ben to see the change');
    expect(seen).toEqual([{ key: 'doc', value, from: ann.selfId }]);
    expect(ben.state.get('doc')).toEqual(value);
    expect(ben.state.entries()).toEqual([['doc', value]]);

    ben.state.delete('doc');
    expect(ben.state.get('doc')).toBeUndefined();
    await until(() => ann.state.get('doc') === undefined, 'Ann to see the delete');
    expect(ann.state.entries()).toEqual([]);
    expect(seen.at(-1)).toEqual({ key: 'doc', value: undefined, from: ben.selfId });
  });

  it('converges when members write the same key at the same time', async () => {
    const rooms = await relayRoom('Ann', 'Ben', 'Cy');
    for (let i = 0; i < 20; i++) {
      for (const r of rooms) {
        r.state.set('shared', `${r.selfId} ${i}`);
        r.state.set(`${r.selfId}/${i}`, i);
      }
    }
    await until(() => sameEverywhere(rooms) && rooms[0].state.entries().length === 61, 'every copy to be the same', 10_000);
    expect(rooms.map((r) => `${r.selfId} 19`)).toContain(rooms[0].state.get('shared'));
  });

  it('hands a late joiner the whole document, each key once, before later changes', async () => {
    const [ann] = await relayRoom('Ann');
    for (let i = 0; i < 60; i++) ann.state.set(`k${i % 20}`, i); // 60 writes, 20 keys
    const ben = await join(ann.code, 'Ben');
    const seen = changesOf(ben); // listening is enough to take part
    await until(() => seen.length === 20, 'Ben to get the document');
    expect(new Set(seen.map((c) => c.key)).size).toBe(20);
    expect(ben.state.get('k0')).toBe(40);
    ann.state.set('later', true);
    await until(() => seen.length === 21, 'Ben to see the later change');
    expect(seen.at(-1)).toEqual({ key: 'later', value: true, from: ann.selfId });
  });

  it('shows writes made while the module loads at once, and sends them all, in order', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    const annSaw = changesOf(ann);
    // The first use: the module is not there yet on Ann's page.
    ann.state.set('a', 1);
    ann.state.set('a', 2);
    ann.state.set('b', 'x');
    ann.state.delete('b');
    expect(ann.state.get('a')).toBe(2);
    expect(ann.state.entries()).toEqual([['a', 2]]);
    expect(annSaw.map((c) => [c.key, c.value])).toEqual([['a', 1], ['a', 2], ['b', 'x'], ['b', undefined]]);
    const benSaw = changesOf(ben);
    await until(() => ben.state.get('a') === 2, 'Ben to get Ann’s writes');
    expect(ben.state.entries()).toEqual([['a', 2]]);
    // Nothing told twice on Ann's side once the module took them over.
    await new Promise((r) => setTimeout(r, 300));
    expect(annSaw).toHaveLength(4);
    expect(benSaw.every((c) => c.from === ann.selfId)).toBe(true);
  });

  it('refuses a bad key or value with data_invalid, before and after the module is there', async () => {
    const [ann] = await relayRoom('Ann');
    for (const loaded of [false, true]) {
      const bad: [string, Json][] = [
        ['', 1],
        ['k'.repeat(MAX_STATE_KEY_BYTES + 1), 1],
        ['bad\u0001key', 1],
        ['lone \ud800 surrogate', 1],
        ['big', 'x'.repeat(MAX_STATE_VALUE_BYTES)],
        ['nan', Number.NaN],
        ['undef', undefined as unknown as Json],
      ];
      for (const [key, value] of bad) {
        expect(() => ann.state.set(key, value), `${key.slice(0, 20)} (loaded: ${loaded})`).toThrow(
          expect.objectContaining({ code: 'data_invalid' }),
        );
      }
      if (!loaded) {
        ann.state.set('ok', 1);
        await new Promise((r) => setTimeout(r, 500)); // the module arrives and takes the write over
      }
    }
    expect(ann.state.entries()).toEqual([['ok', 1]]);
  });

  it('says send_queue_full when too many writes wait for the host', async () => {
    const [ann] = await relayRoom('Ann', 'Ben');
    for (let i = 0; i < MAX_STATE_PENDING_WRITES; i++) ann.state.set(`k${i}`, i);
    expect(() => ann.state.set('one more', 1)).toThrow(expect.objectContaining({ code: 'send_queue_full' }));
  });

  it('after leaving: reads find nothing, writes throw not_in_room', async () => {
    const [ann] = await relayRoom('Ann');
    ann.state.set('k', 1);
    ann.leave();
    expect(ann.state.get('k')).toBeUndefined();
    expect(ann.state.entries()).toEqual([]);
    expect(() => ann.state.set('k', 2)).toThrow(expect.objectContaining({ code: 'not_in_room' }));
    expect(() => ann.state.delete('k')).toThrow(expect.objectContaining({ code: 'not_in_room' }));
  });

  it('an unsubscribed listener hears nothing more', async () => {
    const [ann] = await relayRoom('Ann');
    const seen: string[] = [];
    const off = ann.state.on('change', (c) => seen.push(c.key));
    ann.state.set('a', 1);
    off();
    ann.state.set('b', 2);
    expect(seen).toEqual(['a']);
  });
});
