// @vitest-environment node
// The typed facade over the real Wasm client, against a real huddle-server.
import { describe, expect, it } from 'vitest';
import { createRoom, HuddleError, joinRoom, type Room } from '../../../web/src/lib';
import { rejection, until, useServerAndRooms } from './wasm_env';

const { server, open } = useServerAndRooms();

async function create(name: string, maxMembers?: number): Promise<Room> {
  const room = await createRoom({ server: server.origin, name, maxMembers });
  open.push(room);
  return room;
}

async function join(code: string, name: string): Promise<Room> {
  const room = await joinRoom({ server: server.origin, code, name });
  open.push(room);
  return room;
}


describe('createRoom', () => {
  it('resolves with a 6-character code, a share link and yourself as host', async () => {
    const room = await create('Ann');
    expect(room.code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$/);
    expect(room.shareUrl).toBe(`${server.origin}/r/${room.code}`);
    expect(room.status()).toBe('in_room');
    expect(room.peers()).toEqual([
      {
        id: room.selfId, name: 'Ann', joinOrder: 1, isSelf: true, isHost: true,
        link: null, transport: null, away: false, rttMs: null,
      },
    ]);
    expect(room.hostId()).toBe(room.selfId);
  });

  it('rejects an invalid name with invalid_name', async () => {
    expect((await rejection(createRoom({ server: server.origin, name: '   ' }))).code).toBe('invalid_name');
  });

  it('rejects a room size above the server cap with invalid_room_size', async () => {
    expect((await rejection(createRoom({ server: server.origin, name: 'Ann', maxMembers: 9 }))).code).toBe(
      'invalid_room_size',
    );
  });

  it('makes one connection to the server: the one it opened while the module loaded', async () => {
    const Native = globalThis.WebSocket;
    const made: string[] = [];
    globalThis.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        made.push(String(url));
      }
    } as typeof WebSocket;
    try {
      const joining = createRoom({ server: server.origin, name: 'Ann' });
      expect(made).toHaveLength(1); // at once, before the module (loaded or not) is awaited
      const room = await joining;
      open.push(room);
      expect(room.status()).toBe('in_room');
      expect(made).toEqual([`${server.origin.replace('http:', 'ws:')}/ws`]);
    } finally {
      globalThis.WebSocket = Native;
    }
  });

  it('starts building a spare link while the connection to the server opens, none for a relay-only room', async () => {
    const NativeWS = globalThis.WebSocket;
    const seen: string[] = [];
    globalThis.WebSocket = class extends NativeWS {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('open', () => seen.push('open'));
      }
    } as typeof WebSocket;
    // Node has no WebRTC: enough of one for the bridge's spare (a connection, two channels, an offer).
    class FakePeerConnection {
      constructor() {
        seen.push('pc');
      }
      createDataChannel() {
        return { close() {} };
      }
      createOffer() {
        return Promise.resolve({ type: 'offer', sdp: '' });
      }
      close() {}
    }
    Object.assign(globalThis, { RTCPeerConnection: FakePeerConnection });
    try {
      open.push(await createRoom({ server: server.origin, name: 'Ann' }));
      expect(seen).toEqual(['pc', 'open']); // before the connection opens, not after the join goes out
      seen.length = 0;
      open.push(await createRoom({ server: server.origin, name: 'Ben', relayOnly: true }));
      expect(seen).toEqual(['open']);
    } finally {
      globalThis.WebSocket = NativeWS;
      Reflect.deleteProperty(globalThis, 'RTCPeerConnection');
    }
  });

  it('rejects with server_unreachable when nothing listens', async () => {
    const err = await rejection(createRoom({ server: 'http://127.0.0.1:9', name: 'Ann' }));
    expect(err.code).toBe('server_unreachable');
  });
});

describe('joinRoom', () => {
  it('joins by a lower-case code; both sides see both members in join order', async () => {
    const ann = await create('Ann');
    const joined: string[] = [];
    ann.on('peerJoin', (p) => joined.push(p.name));
    const ben = await join(ann.code.toLowerCase(), 'Ben');
    expect(ben.code).toBe(ann.code);
    await until(() => joined.length === 1, 'peerJoin on the host');
    expect(joined).toEqual(['Ben']);
    for (const room of [ann, ben]) {
      expect(room.peers().map((p) => [p.name, p.isHost, p.isSelf])).toEqual([
        ['Ann', true, room === ann],
        ['Ben', false, room === ben],
      ]);
    }
  });

  it('rejects an unknown code with room_not_found', async () => {
    expect((await rejection(joinRoom({ server: server.origin, code: 'ZZZZZZ', name: 'Ben' }))).code).toBe(
      'room_not_found',
    );
  });

  it('rejects a malformed code with invalid_code', async () => {
    expect((await rejection(joinRoom({ server: server.origin, code: 'AB 1!', name: 'Ben' }))).code).toBe(
      'invalid_code',
    );
  });

  it('rejects a member past the room size with room_full', async () => {
    const ann = await create('Ann', 2);
    await join(ann.code, 'Ben');
    expect((await rejection(joinRoom({ server: server.origin, code: ann.code, name: 'Cat' }))).code).toBe(
      'room_full',
    );
  });

  it('rejects a name already used in the room with name_taken', async () => {
    const ann = await create('Ann');
    expect((await rejection(joinRoom({ server: server.origin, code: ann.code, name: 'ann' }))).code).toBe(
      'name_taken',
    );
  });
});

describe('membership events', () => {
  it('reports a member leaving with reason "left" and hands the host role on', async () => {
    const ann = await create('Ann');
    const ben = await join(ann.code, 'Ben');
    const cat = await join(ann.code, 'Cat');
    const left: string[] = [];
    const hosts: string[] = [];
    cat.on('peerLeave', (id, reason) => left.push(`${id}:${reason}`));
    cat.on('hostChange', (id) => hosts.push(id));
    const annId = ann.selfId;
    ann.leave();
    await until(() => hosts.length === 1, 'hostChange');
    expect(left).toEqual([`${annId}:left`]);
    expect(hosts).toEqual([ben.selfId]);
    expect(cat.peers().map((p) => p.name)).toEqual(['Ben', 'Cat']);
    expect(cat.peers()[0].isHost).toBe(true);
    expect(ann.status()).toBe('idle');
  });

});

// Node has no WebRTC, so every direct link fails at once: the server relay carries everything.
describe('the relay', () => {
  it('carries messages both ways, exactly once and in order, where no direct link can be made', async () => {
    const ann = await create('Ann');
    const transports: string[] = [];
    const errors: string[] = [];
    ann.on('transport', (_id, t) => transports.push(String(t)));
    ann.on('error', (e) => errors.push(e.code));
    const ben = await join(ann.code, 'Ben');
    await until(() => transports.includes('relay'), 'Ann to relay to Ben');
    expect(ann.peers()[1].transport).toBe('relay');
    expect(ben.peers()[0]).toMatchObject({ link: 'failed', transport: 'relay' });

    const got: { ann: number[]; ben: number[] } = { ann: [], ben: [] };
    ann.on('message', (m) => got.ann.push((m.data as { n: number }).n));
    ben.on('message', (m) => got.ben.push((m.data as { n: number }).n));
    const delivered: number[] = [];
    ann.on('delivered', (_peer, id) => delivered.push(id));
    const ids: number[] = [];
    for (let n = 1; n <= 200; n++) {
      ids.push(ann.send({ n }));
      ben.sendTo(ann.selfId, { n });
    }
    const all = Array.from({ length: 200 }, (_, i) => i + 1);
    await until(() => got.ann.length >= 200 && got.ben.length >= 200 && delivered.length >= 200, 'everything across');
    expect(got.ben).toEqual(all);
    expect(got.ann).toEqual(all);
    expect(delivered).toEqual(ids);
    expect(errors).toEqual([]);
    await until(() => ann.peers()[1].rttMs !== null, 'a round-trip time through the server');
  });

  it('delivers unreliable sends marked as such, never an older one after a newer', async () => {
    const ann = await create('Ann');
    const ben = await join(ann.code, 'Ben');
    await until(() => ann.peers()[1]?.transport === 'relay', 'the relay');
    const seen: number[] = [];
    const reliability: boolean[] = [];
    ben.on('message', (m) => {
      reliability.push(m.reliable);
      seen.push(m.data as number);
    });
    for (let n = 1; n <= 50; n++) ann.send(n, { reliable: false });
    ann.send(-1); // a reliable one after them, to know when they are through
    await until(() => seen.includes(-1), 'the reliable one after them');
    const unreliable = seen.slice(0, -1);
    expect(unreliable).toContain(50); // the newest always goes
    expect([...unreliable].sort((a, b) => a - b)).toEqual(unreliable);
    expect(reliability).toEqual([...unreliable.map(() => false), true]);
  });

  it('is all there is in a relay-only room: no direct links are tried', async () => {
    const ann = await createRoom({ server: server.origin, name: 'Ann', relayOnly: true });
    open.push(ann);
    expect(ann.relayOnly).toBe(true);
    const ben = await join(ann.code, 'Ben');
    expect(ben.relayOnly).toBe(true);
    expect(ben.peers()[0]).toMatchObject({ link: 'closed', transport: 'relay' });
    const got: string[] = [];
    ben.on('message', (m) => got.push(m.data as string));
    await until(() => ann.peers().length === 2, 'Ann to see Ben');
    expect(ann.peers()[1]).toMatchObject({ link: 'closed', transport: 'relay' });
    ann.send('hello through the server');
    await until(() => got.length === 1, 'the message');
    expect(got).toEqual(['hello through the server']);
  });

  it('delivers numbers and control characters exactly as sent', async () => {
    // Read and written again by the C++ core on both sides: the module's own strtod (the
    // browser's Number) and integer-only snprintf (the \u00XX escapes), cpp/wasm/libc_bridge.cpp.
    const data = {
      floats: [0.1, -0.5, 0.30000000000000004, 123.456, 1e-7, 3.141592653589793, 1e21, 1.5e300,
        1.7976931348623157e308, 2.2250738585072014e-308, 5e-324, 12345678901234567890123, 2 ** 64],
      integers: [0, -1, 42, 9007199254740991, -9007199254740991],
      text: 'nul\u0000 bell\u0007 tab\t newline\n unit\u001f del\u007f é ✓ 🎉',
    };
    const ann = await createRoom({ server: server.origin, name: 'Ann', relayOnly: true });
    open.push(ann);
    const ben = await join(ann.code, 'Ben');
    const got: unknown[] = [];
    ben.on('message', (m) => got.push(m.data));
    await until(() => ann.peers().length === 2, 'Ann to see Ben');
    ann.send(data);
    await until(() => got.length === 1, 'the message');
    expect(got[0]).toEqual(data);
  });
});

describe('send', () => {
  it('refuses data JSON cannot carry faithfully, with data_invalid', async () => {
    const ann = await create('Ann');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, NaN, Infinity, 10n, new Date(), cyclic]) {
      expect(() => ann.send(bad as never)).toThrowError(expect.objectContaining({ code: 'data_invalid' }));
    }
  });

  it('refuses data over the frame limit with data_invalid', async () => {
    const ann = await create('Ann');
    expect(() => ann.send('x'.repeat(70 * 1024))).toThrowError(expect.objectContaining({ code: 'data_invalid' }));
  });

  it('refuses sendTo a non-member with peer_not_in_room', async () => {
    const ann = await create('Ann');
    expect(() => ann.sendTo('NOSUCHPEER', { hi: 1 })).toThrowError(
      expect.objectContaining({ code: 'peer_not_in_room' }),
    );
  });

  it('numbers messages and throws not_in_room after leaving', async () => {
    const ann = await create('Ann');
    const first = ann.send({ n: 1 });
    expect(ann.send({ n: 2 })).toBe(first + 1);
    ann.leave();
    expect(() => ann.send({ n: 3 })).toThrowError(expect.objectContaining({ code: 'not_in_room' }));
  });
});
