// The iframe side of the bridge (window.P2P from p2p.js) against a fake embedding page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createP2P, P2PError, type P2PApi } from '../../../web/src/p2p/p2p_api';
import { FakeFrameWindow, p2pWithParent, settle, state, until, type PortEnd } from '../bridge/bridge_fakes';

const ports: PortEnd[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function setup() {
  const s = p2pWithParent();
  ports.push(s.parent);
  return s;
}

/** Connects `p2p` as `self` in a room of `ids` and waits until it says so. */
async function connect(p2p: P2PApi, parent: PortEnd, self: string, ids: string[]): Promise<void> {
  parent.post(state(self, ids));
  await until(() => p2p.isConnected(), 'connected');
}

function thrown(fn: () => void): P2PError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(P2PError);
    return err as P2PError;
  }
  throw new Error('expected a P2PError');
}

describe('the hello', () => {
  it('posts { huddle: "p2p-hello", v: 1 } to window.parent with a port, to any origin', () => {
    const { win } = setup();
    expect(win.hellos).toHaveLength(1);
    expect(win.hellos[0].message).toEqual({ huddle: 'p2p-hello', v: 1 });
    expect(win.hellos[0].targetOrigin).toBe('*');
    expect(win.hellos[0].port).toBeInstanceOf(MessagePort);
  });

  it('says nothing in a top-level page, whose parent is itself', () => {
    const win = new FakeFrameWindow();
    (win as { parent: unknown }).parent = win;
    const p2p = createP2P(win as unknown as FakeFrameWindow);
    expect(win.hellos).toHaveLength(0);
    expect(p2p.isConnected()).toBe(false);
  });

  it('answers a probe from window.parent with a fresh hello on a new port', () => {
    const { win } = setup();
    win.deliver({ huddle: 'p2p-probe' }, win.parent);
    expect(win.hellos).toHaveLength(2);
    expect(win.hellos[1].port).not.toBe(win.hellos[0].port);
  });

  it('ignores a probe from any other window', () => {
    const { win } = setup();
    win.deliver({ huddle: 'p2p-probe' }, {});
    win.deliver({ huddle: 'p2p-probe' }, null);
    expect(win.hellos).toHaveLength(1);
  });

  it('ignores a probe while connected, keeping the live port', async () => {
    const { p2p, win, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    win.deliver({ huddle: 'p2p-probe' }, win.parent);
    expect(win.hellos).toHaveLength(1);
    p2p.send({ n: 1 });
    await until(() => parent.received.length === 1, 'the send');
  });

  it('listens only to the newest port after a probe', async () => {
    const { p2p, win, parent: oldPort } = setup();
    win.deliver({ huddle: 'p2p-probe' }, win.parent);
    const fresh = win.lastPort();
    ports.push(fresh);
    oldPort.post(state('me', ['me', 'ann']));
    await settle();
    expect(p2p.isConnected()).toBe(false);
    fresh.post(state('me', ['me', 'ann']));
    await until(() => p2p.isConnected(), 'connected through the new port');
  });
});

describe('before the first connection', () => {
  it('answers from nothing: no peers, no id, no host, not connected', () => {
    const { p2p } = setup();
    expect(p2p.getPeers()).toEqual([]);
    expect(p2p.getPeerId()).toBeNull();
    expect(p2p.getHostId()).toBeNull();
    expect(p2p.isHost()).toBe(false);
    expect(p2p.isConnected()).toBe(false);
    expect(p2p.getPeer('ann')).toBeNull();
    expect(p2p.P2PError).toBe(P2PError);
  });

  it('queues sends and delivers them in order on connect, before what onConnectionChange sends', async () => {
    const { p2p, parent } = setup();
    p2p.send({ n: 1 });
    p2p.sendTo('ann', { n: 2 });
    p2p.send({ n: 3 });
    p2p.onConnectionChange = () => p2p.send({ n: 4 });
    await settle();
    expect(parent.received).toEqual([]);
    parent.post(state('me', ['ann', 'me']));
    await until(() => parent.received.length === 4, 'four sends');
    expect(parent.received).toEqual([
      { t: 'send', data: { n: 1 } },
      { t: 'send_to', to: 'ann', data: { n: 2 } },
      { t: 'send', data: { n: 3 } },
      { t: 'send', data: { n: 4 } },
    ]);
  });

  it('holds 1024 sends; the 1025th throws send_queue_full and is not queued', async () => {
    const { p2p, parent } = setup();
    for (let i = 0; i < 1024; i++) p2p.send(i);
    expect(thrown(() => p2p.send(1024)).code).toBe('send_queue_full');
    parent.post(state('me', ['me', 'ann']));
    await until(() => parent.received.length === 1024, 'the queued sends');
    expect(parent.received.map((f) => (f as { data: number }).data)).toEqual([...Array(1024).keys()]);
    await settle();
    expect(parent.received).toHaveLength(1024);
  });

  it('sends a copy taken at send time, not the object as changed later', async () => {
    const { p2p, parent } = setup();
    const data = { n: 1 };
    p2p.send(data);
    data.n = 2;
    parent.post(state('me', ['me', 'ann']));
    await until(() => parent.received.length === 1, 'the send');
    expect(parent.received[0]).toEqual({ t: 'send', data: { n: 1 } });
  });
});

describe('on connect', () => {
  it('has peers, id and host right before onConnectionChange(true), which comes last', async () => {
    const { p2p, parent } = setup();
    const seen: string[] = [];
    p2p.onPeerJoin = (id) => seen.push(`join ${id}`);
    p2p.onHostChange = (id) => seen.push(`host ${id}`);
    p2p.onConnectionChange = (connected) => {
      seen.push(`connected ${connected}`);
      expect(p2p.getPeers()).toEqual(['ann', 'ben']);
      expect(p2p.getPeerId()).toBe('me');
      expect(p2p.getHostId()).toBe('ann');
    };
    parent.post(state('me', ['ann', 'me', 'ben']));
    await until(() => p2p.isConnected(), 'connected');
    expect(seen).toEqual(['join ann', 'join ben', 'host ann', 'connected true']);
  });

  it('describes every member, yourself included, with the host marked', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    expect(p2p.getPeer('me')).toEqual({ id: 'me', name: 'ME', isHost: true, isSelf: true, isAway: false, transport: null, rttMs: null });
    expect(p2p.getPeer('ann')).toEqual({ id: 'ann', name: 'ANN', isHost: false, isSelf: false, isAway: false, transport: null, rttMs: null });
    expect(p2p.isHost()).toBe(true);
    expect(p2p.getPeers()).toEqual(['ann']);
  });

  it('reports a member whose connection dropped as away, and back; an away host stays host', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['ann', 'me']);
    const calls: string[] = [];
    p2p.onPeerAway = (id) => calls.push(`away ${id}`);
    p2p.onPeerBack = (id) => calls.push(`back ${id}`);
    p2p.addEventListener('peeraway', (e) => calls.push(`event away ${(e as CustomEvent).detail.peerId}`));
    parent.post({ t: 'peer_away', id: 'ann' });
    await until(() => calls.length === 2, 'away');
    expect(p2p.getPeer('ann')?.isAway).toBe(true);
    expect(p2p.getHostId()).toBe('ann');
    expect(p2p.getPeers()).toEqual(['ann']);
    parent.post({ t: 'peer_away', id: 'ann' }); // nothing new
    parent.post({ t: 'peer_away', id: 'nobody' });
    parent.post({ t: 'peer_back', id: 'ann' });
    await until(() => calls.length === 3, 'back');
    expect(calls).toEqual(['away ann', 'event away ann', 'back ann']);
    expect(p2p.getPeer('ann')?.isAway).toBe(false);
  });

  it('learns who is away from the state it attaches to', async () => {
    const { p2p, parent } = setup();
    parent.post({ t: 'state', selfId: 'me', hostId: 'ann', connected: true,
      members: [{ id: 'ann', name: 'Ann', away: true }, { id: 'me', name: 'Me' }] });
    await until(() => p2p.isConnected(), 'connected');
    expect(p2p.getPeer('ann')?.isAway).toBe(true);
    expect(p2p.getPeer('me')?.isAway).toBe(false);
  });

  it('a repeated state fires nothing', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const fired = vi.fn();
    p2p.onConnectionChange = fired;
    p2p.onPeerJoin = fired;
    p2p.onHostChange = fired;
    for (const type of ['peerjoin', 'peerleave', 'hostchange', 'connectionchange']) p2p.addEventListener(type, fired);
    parent.post(state('me', ['me', 'ann']));
    parent.post({ t: 'message', from: 'ann', data: 'after' });
    await until(() => p2p.getPeers().length === 1, 'the state');
    await settle();
    expect(fired).not.toHaveBeenCalled();
  });

  it('reports a disconnect, keeps its own id, and queues again', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const changes: boolean[] = [];
    p2p.onConnectionChange = (c) => changes.push(c);
    parent.post(state(null, [], { connected: false }));
    await until(() => !p2p.isConnected(), 'disconnected');
    expect(changes).toEqual([false]);
    expect(p2p.getPeerId()).toBe('me');
    expect(p2p.getPeers()).toEqual([]);
    p2p.send('later');
    await settle();
    expect(parent.received).toEqual([]);
  });
});

describe('room events', () => {
  it('arrive as handler calls and DOM events, in the order the parent sent them', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const calls: unknown[] = [];
    const events: unknown[] = [];
    p2p.onMessage = (from, data) => calls.push(['message', from, data]);
    p2p.onPeerJoin = (id) => calls.push(['join', id]);
    p2p.onPeerLeave = (id) => calls.push(['leave', id]);
    p2p.onHostChange = (id) => calls.push(['host', id]);
    p2p.onError = (err) => calls.push(['error', err instanceof P2PError, err.code, err.message]);
    for (const type of ['message', 'peerjoin', 'peerleave', 'hostchange', 'error']) {
      p2p.addEventListener(type, (e) => events.push([type, (e as CustomEvent).detail]));
    }
    parent.post({ t: 'peer_join', peer: { id: 'ben', name: 'Ben' } });
    parent.post({ t: 'message', from: 'ben', data: { hi: [1, 2] } });
    parent.post({ t: 'peer_leave', id: 'me-not-here' });
    parent.post({ t: 'peer_leave', id: 'ann' });
    parent.post({ t: 'host', hostId: 'ben' });
    parent.post({ t: 'error', code: 'peer_not_in_room', message: 'no other member zed' });
    await until(() => calls.length === 5, 'five calls');
    expect(calls).toEqual([
      ['join', 'ben'],
      ['message', 'ben', { hi: [1, 2] }],
      ['leave', 'ann'],
      ['host', 'ben'],
      ['error', true, 'peer_not_in_room', 'no other member zed'],
    ]);
    expect(events).toEqual([
      ['peerjoin', { peerId: 'ben' }],
      ['message', { senderId: 'ben', data: { hi: [1, 2] }, reliable: true }],
      ['peerleave', { peerId: 'ann' }],
      ['hostchange', { hostId: 'ben' }],
      ['error', { code: 'peer_not_in_room', message: 'no other member zed' }],
    ]);
    expect(p2p.getPeers()).toEqual(['ben']);
    expect(p2p.getHostId()).toBe('ben');
  });

  it('messages that arrive before the experience listens are held and handed over in order', async () => {
    // p2p.js runs before the experience's own scripts; a host may greet a newcomer at once.
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    parent.post({ t: 'message', from: 'ann', data: 'history 1' });
    parent.post({ t: 'message', from: 'ann', data: 'history 2' });
    await settle();
    const got: unknown[] = [];
    p2p.onMessage = (from, data) => got.push(data);
    expect(got).toEqual([]); // not inside the assignment: the rest of the script sets up first
    parent.post({ t: 'message', from: 'ann', data: 'live' });
    await until(() => got.length === 3, 'all three');
    expect(got).toEqual(['history 1', 'history 2', 'live']);
  });

  it('a "message" listener counts as listening too', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    parent.post({ t: 'message', from: 'ann', data: 'early' });
    await settle();
    const got: unknown[] = [];
    p2p.addEventListener('peerjoin', () => got.push('not this one'));
    await settle();
    expect(got).toEqual([]);
    p2p.addEventListener('message', (e) => got.push((e as CustomEvent).detail.data));
    await until(() => got.length === 1, 'the held message');
    expect(got).toEqual(['early']);
  });

  it('holds at most 1024 messages before the experience listens, and says how many it dropped', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    for (let i = 1; i <= 1030; i++) parent.post({ t: 'message', from: 'ann', data: i });
    await settle();
    const errors: P2PError[] = [];
    const got: number[] = [];
    p2p.onError = (e) => errors.push(e);
    p2p.onMessage = (_from, data) => got.push(data as number);
    await until(() => got.length === 1024, 'the held messages');
    expect(got[0]).toBe(7);
    expect(got.at(-1)).toBe(1030);
    expect(errors.map((e) => e.message)).toEqual([
      '6 messages arrived before the experience listened and were dropped (at most 1024 are held)',
    ]);
  });

  it('a throwing handler is reported and the DOM event still fires', async () => {
    const { p2p, parent, win } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const listener = vi.fn();
    p2p.onMessage = () => {
      throw new Error('boom');
    };
    p2p.addEventListener('message', listener);
    parent.post({ t: 'message', from: 'ann', data: 1 });
    parent.post({ t: 'message', from: 'ann', data: 2 });
    await until(() => listener.mock.calls.length === 2, 'both events');
    expect(win.errors).toHaveLength(2);
    p2p.removeEventListener('message', listener);
    parent.post({ t: 'message', from: 'ann', data: 3 });
    await until(() => win.errors.length === 3, 'the third message');
    expect(listener).toHaveBeenCalledTimes(2);
  });
});

describe('sending while connected', () => {
  it('posts send and send_to frames at once', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    p2p.send({ a: 'b' });
    p2p.sendTo('ann', [true, null]);
    await until(() => parent.received.length === 2, 'two sends');
    expect(parent.received).toEqual([{ t: 'send', data: { a: 'b' } }, { t: 'send_to', to: 'ann', data: [true, null] }]);
  });

  it('sendTo someone not in the room (or yourself) throws peer_not_in_room', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    expect(thrown(() => p2p.sendTo('zed', 1)).code).toBe('peer_not_in_room');
    expect(thrown(() => p2p.sendTo('me', 1)).code).toBe('peer_not_in_room');
    expect(thrown(() => p2p.sendTo(42 as unknown as string, 1)).code).toBe('peer_not_in_room');
    await settle();
    expect(parent.received).toEqual([]);
  });

  it('sendTo while disconnected is queued and left to the parent to check', async () => {
    const { p2p, parent } = setup();
    p2p.sendTo('zed', 1);
    parent.post(state('me', ['me', 'ann']));
    await until(() => parent.received.length === 1, 'the queued sendTo');
    expect(parent.received[0]).toEqual({ t: 'send_to', to: 'zed', data: 1 });
  });
});

describe('ready', () => {
  it('asks the parent with a ready frame and settles with its answer of the same id', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const forAnn = p2p.ready('ann');
    const forAll = p2p.ready();
    await until(() => parent.received.length === 2, 'two ready frames');
    expect(parent.received).toEqual([{ t: 'ready', id: 1, to: 'ann' }, { t: 'ready', id: 2 }]);
    let allDone = false;
    void forAll.then(() => (allDone = true));
    parent.post({ t: 'ready', id: 1, code: 'peer_not_in_room', message: 'ann left the room' });
    const err = await forAnn.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(P2PError);
    expect(err).toMatchObject({ code: 'peer_not_in_room' });
    expect(allDone).toBe(false);
    parent.post({ t: 'ready', id: 2 });
    await until(() => allDone, 'the second answer');
  });

  it('while disconnected is queued behind the sends before it', async () => {
    const { p2p, parent } = setup();
    p2p.send(1);
    const ready = p2p.ready();
    parent.post(state('me', ['me', 'ann']));
    await until(() => parent.received.length === 2, 'the queued frames');
    expect(parent.received).toEqual([{ t: 'send', data: 1 }, { t: 'ready', id: 1 }]);
    parent.post({ t: 'ready', id: 1 });
    await ready;
  });
});

describe('unreliable sends', () => {
  it('carry reliable: false in their frames; reliable ones look as they always did', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    p2p.send({ s: 1 }, { reliable: false });
    p2p.sendTo('ann', { i: 1 }, { reliable: false });
    p2p.send({ s: 2 }, { reliable: true });
    p2p.sendTo('ann', { i: 2 }, {});
    await until(() => parent.received.length === 4, 'four sends');
    expect(parent.received).toStrictEqual([
      { t: 'send', data: { s: 1 }, reliable: false },
      { t: 'send_to', to: 'ann', data: { i: 1 }, reliable: false },
      { t: 'send', data: { s: 2 } },
      { t: 'send_to', to: 'ann', data: { i: 2 } },
    ]);
  });

  it('made while disconnected are dropped, not queued; reliable ones still are', async () => {
    const { p2p, parent } = setup();
    p2p.send('stale state', { reliable: false });
    p2p.send('kept', { reliable: true });
    p2p.sendTo('ann', 'stale input', { reliable: false });
    // The queue is for reliable sends only: unreliable ones never fill it.
    for (let i = 0; i < 1100; i++) p2p.send(i, { reliable: false });
    await connect(p2p, parent, 'me', ['me', 'ann']);
    await settle();
    expect(parent.received).toEqual([{ t: 'send', data: 'kept' }]);
  });

  it('still check their data and their addressee', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    expect(thrown(() => p2p.send({ x: NaN }, { reliable: false })).code).toBe('data_invalid');
    expect(thrown(() => p2p.sendTo('zed', 1, { reliable: false })).code).toBe('peer_not_in_room');
    await settle();
    expect(parent.received).toEqual([]);
  });

  const badOptions: [string, unknown, string][] = [
    ['null', null, 'options must be an object'],
    ['a string', 'unreliable', 'options must be an object'],
    ['a boolean', false, 'options must be an object'],
    ['an array', [false], 'options must be an object'],
    ['a string reliable', { reliable: 'no' }, 'options.reliable must be true or false, not string'],
    ['a numeric reliable', { reliable: 0 }, 'options.reliable must be true or false, not number'],
    ['a misspelt option', { reliabel: false }, 'options.reliabel is not an option'],
  ];
  it.each(badOptions)('refuses %s as options with data_invalid and sends nothing', async (_what, options, message) => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const err = thrown(() => p2p.send(1, options as never));
    expect(err.code).toBe('data_invalid');
    expect(err.message).toContain(message);
    expect(thrown(() => p2p.sendTo('ann', 1, options as never)).code).toBe('data_invalid');
    await settle();
    expect(parent.received).toEqual([]);
  });
});

describe('received messages say whether they were reliable', () => {
  it('as onMessage\'s third argument and the event detail', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const calls: unknown[] = [];
    const details: unknown[] = [];
    p2p.onMessage = (from, data, info) => calls.push([from, data, info]);
    p2p.addEventListener('message', (e) => details.push((e as CustomEvent).detail));
    parent.post({ t: 'message', from: 'ann', data: 'state', reliable: false });
    parent.post({ t: 'message', from: 'ann', data: 'score' });
    await until(() => calls.length === 2, 'two messages');
    expect(calls).toEqual([['ann', 'state', { reliable: false }], ['ann', 'score', { reliable: true }]]);
    expect(details).toEqual([
      { senderId: 'ann', data: 'state', reliable: false },
      { senderId: 'ann', data: 'score', reliable: true },
    ]);
  });

  it('also for messages held until the experience listens', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    parent.post({ t: 'message', from: 'ann', data: 1, reliable: false });
    parent.post({ t: 'message', from: 'ann', data: 2 });
    await settle();
    const got: unknown[] = [];
    p2p.onMessage = (_from, data, info) => got.push([data, info.reliable]);
    await until(() => got.length === 2, 'the held messages');
    expect(got).toEqual([[1, false], [2, true]]);
  });
});

describe('getPeer transport and round-trip time', () => {
  it('come from the state, peer_join and links frames; anything odd reads as null', async () => {
    const { p2p, parent } = setup();
    parent.post({
      t: 'state', selfId: 'me', hostId: 'ann', connected: true,
      members: [
        { id: 'ann', name: 'Ann', transport: 'relay', rttMs: 120 },
        { id: 'me', name: 'Me', transport: null, rttMs: null },
        { id: 'odd', name: 'Odd', transport: 'carrier-pigeon', rttMs: 'fast' },
      ],
    });
    await until(() => p2p.isConnected(), 'connected');
    expect(p2p.getPeer('ann')).toMatchObject({ transport: 'relay', rttMs: 120 });
    expect(p2p.getPeer('me')).toMatchObject({ transport: null, rttMs: null });
    expect(p2p.getPeer('odd')).toMatchObject({ transport: null, rttMs: null });

    parent.post({ t: 'peer_join', peer: { id: 'ben', name: 'Ben', transport: null, rttMs: null } });
    parent.post({ t: 'links', links: [{ id: 'ann', transport: 'direct', rttMs: null }, { id: 'ben', transport: 'direct', rttMs: 9 }, { id: 'gone', transport: 'relay', rttMs: 1 }] });
    await until(() => p2p.getPeer('ben')?.rttMs === 9, 'the links');
    expect(p2p.getPeer('ann')).toMatchObject({ transport: 'direct', rttMs: null });
    expect(p2p.getPeer('ben')).toMatchObject({ transport: 'direct', rttMs: 9 });
    expect(p2p.getPeer('gone')).toBeNull();
  });
});

describe('data', () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  let deep: unknown = 1;
  for (let i = 0; i < 65; i++) deep = [deep];
  const cases: [string, unknown, string][] = [
    ['NaN', { pos: { x: NaN } }, 'data.pos.x is NaN'],
    ['Infinity', [1, -Infinity], 'data[1] is -Infinity'],
    ['undefined', { a: undefined }, 'data.a is undefined'],
    ['a function', { f: () => 1 }, 'data.f is a function'],
    ['a bigint', { n: 1n }, 'data.n is a bigint'],
    ['a symbol', Symbol('x'), 'data is a symbol'],
    ['a Date', { when: new Date(0) }, 'data.when is a Date, not a plain object'],
    ['a Map', new Map(), 'data is a Map, not a plain object'],
    ['a cycle', cycle, 'data.self is a cycle'],
    ['a sparse array', { list: [1, , 3] }, 'data.list[1] is a hole (sparse array)'],
    ['an odd key', { 'a b': { c: NaN } }, 'data["a b"].c is NaN'],
    ['undefined itself', undefined, 'data is undefined'],
    ['deep nesting', deep, 'nests deeper than 32 levels'],
  ];
  it.each(cases)('refuses %s with data_invalid naming the path', async (_what, data, message) => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const err = thrown(() => p2p.send(data as never));
    expect(err.code).toBe('data_invalid');
    expect(err.message).toContain(message);
    expect(thrown(() => p2p.sendTo('ann', data as never)).code).toBe('data_invalid');
    await settle();
    expect(parent.received).toEqual([]);
  });

  it('refuses JSON text over 64512 bytes (UTF-8), and accepts it at the limit', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    p2p.send('x'.repeat(64510)); // 64512 bytes with the quotes
    expect(thrown(() => p2p.send('x'.repeat(64511))).code).toBe('data_invalid');
    expect(thrown(() => p2p.send('é'.repeat(32256))).message).toContain('64514 bytes'); // 2 bytes each
    await until(() => parent.received.length === 1, 'the send at the limit');
  });

  it('accepts every JSON kind, null-prototype objects and shared (non-cyclic) references', async () => {
    const { p2p, parent } = setup();
    await connect(p2p, parent, 'me', ['me', 'ann']);
    const shared = { s: 1 };
    const bare = Object.assign(Object.create(null), { k: 'v' });
    p2p.send({ n: null, b: false, x: -0.5, s: '', a: [[], {}], one: shared, two: shared, bare });
    await until(() => parent.received.length === 1, 'the send');
    expect(parent.received[0]).toEqual({
      t: 'send', data: { n: null, b: false, x: -0.5, s: '', a: [[], {}], one: { s: 1 }, two: { s: 1 }, bare: { k: 'v' } },
    });
  });
});

describe('p2p.js', () => {
  it('defines window.P2P once: loading it again keeps the first', async () => {
    const current = () => window.P2P; // read afresh: each import may have set it
    delete window.P2P;
    await import('../../../web/src/p2p/p2p');
    const first = current();
    expect(first?.send).toBeTypeOf('function');
    vi.resetModules();
    await import('../../../web/src/p2p/p2p');
    expect(current()).toBe(first);
    delete window.P2P;
  });
});
