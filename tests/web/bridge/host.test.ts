// The page's end of the bridge inside <p2p-frame>: which hellos it accepts, what it sends the
// iframe and in which order, how it checks what the iframe sends, and its queues.
import { describe, expect, it, vi } from 'vitest';
import { HuddleError, type SessionStatus } from '../../../web/src/lib/types';
import { createP2P } from '../../../web/src/p2p/p2p_api';
import { FakeRoom } from '../app/fake_room';
import { helloFrom, settle, until, type PortEnd } from './bridge_fakes';
import { env, mount, track, useFrameEnv } from '../embed/frame_env';

useFrameEnv();

async function attached(attrs: Record<string, string> = { 'session-id': 's', name: 'Me' }) {
  const m = await mount(attrs);
  const port = track(helloFrom(m.iframe.contentWindow));
  await until(() => port.received.length > 0, 'the first frame');
  return { ...m, port };
}

const types = (port: PortEnd) => port.received.map((f) => (f as { t: string }).t);

describe('accepting a hello', () => {
  it('answers a hello from its own iframe with the full state', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { port } = await attached();
    expect(port.received).toEqual([{
      t: 'state', selfId: 'self', hostId: 'ann', connected: true,
      members: [{ id: 'ann', name: 'Ann', transport: 'direct', rttMs: null }, { id: 'self', name: 'Me', transport: null, rttMs: null }],
    }]);
  });

  it('ignores hellos from a sibling iframe, the page itself, or nowhere; their frames reach nothing', async () => {
    const { iframe } = await mount({ 'session-id': 's' });
    const sibling = document.createElement('iframe');
    document.body.appendChild(sibling);
    const forged = [helloFrom(sibling.contentWindow), helloFrom(window), helloFrom(null)].map(track);
    for (const port of forged) {
      port.post({ t: 'send', data: 'forged' });
      port.post({ t: 'send_to', to: 'ann', data: 'forged' });
    }
    await settle();
    for (const port of forged) expect(port.received).toEqual([]);
    expect(env.fake.room.sent).toEqual([]);
    expect(env.fake.room.sentTo).toEqual([]);
    // The real iframe is still welcome afterwards.
    const own = track(helloFrom(iframe.contentWindow));
    await until(() => own.received.length === 1, 'the state');
  });

  it('ignores a hello of another version or shape from its own iframe', async () => {
    const { iframe } = await mount({ 'session-id': 's' });
    const odd = [
      helloFrom(iframe.contentWindow, { huddle: 'p2p-hello', v: 2 }),
      helloFrom(iframe.contentWindow, { huddle: 'p2p-hi', v: 1 }),
      helloFrom(iframe.contentWindow, 'p2p-hello'),
    ].map(track);
    await settle();
    for (const port of odd) expect(port.received).toEqual([]);
  });

  it('takes a second hello (a reload) and closes the old port', async () => {
    const { iframe, port: old } = await attached();
    const fresh = track(helloFrom(iframe.contentWindow));
    await until(() => fresh.received.length === 1, 'the new state');
    old.post({ t: 'send', data: 'from the old page' });
    fresh.post({ t: 'send', data: 'from the new page' });
    await until(() => env.fake.room.sent.length === 1, 'the send');
    await settle();
    expect(env.fake.room.sent).toEqual(['from the new page']);
  });

  it('probes its iframe when it starts, so a p2p.js that ran first says hello again', async () => {
    const el = document.createElement('p2p-frame');
    el.setAttribute('session-id', 's');
    const iframe = document.createElement('iframe');
    el.appendChild(iframe);
    document.body.appendChild(el);
    const probes: unknown[] = [];
    iframe.contentWindow!.addEventListener('message', (e) => probes.push(e.data));
    await until(() => probes.length === 1, 'a probe');
    expect(probes).toEqual([{ huddle: 'p2p-probe' }]);
  });
});

describe('following the first iframe child', () => {
  it('bridges an iframe added later, and detaches a replaced one with a disconnected state', async () => {
    const el = document.createElement('p2p-frame');
    el.setAttribute('session-id', 's');
    document.body.appendChild(el);
    await settle();
    const first = document.createElement('iframe');
    el.appendChild(first);
    await settle();
    const port = track(helloFrom(first.contentWindow));
    await until(() => port.received.length === 1, 'state for the late iframe');

    const second = document.createElement('iframe');
    el.insertBefore(second, first); // now the first <iframe> child
    await until(() => port.received.length === 2, 'the detach');
    expect(port.received[1]).toEqual({ t: 'state', selfId: null, hostId: null, connected: false, members: [] });
    port.post({ t: 'send', data: 'old iframe' });
    const stale = track(helloFrom(first.contentWindow));
    const fresh = track(helloFrom(second.contentWindow));
    await until(() => fresh.received.length === 1, 'state for the new iframe');
    await settle();
    expect(stale.received).toEqual([]);
    expect(env.fake.room.sent).toEqual([]);
  });
});

describe('room events to the iframe', () => {
  it('arrive in the order the room emitted them', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { port } = await attached();
    const room = env.fake.room;
    room.addPeer('Ben');
    room.receiveChat('ben', 'hi');
    room.setLink('ben', 'connected'); // not an experience's business
    room.removePeer('ann');
    room.emit('error', new HuddleError('link_failed', 'no route to ben'));
    await until(() => port.received.length === 6, 'six frames');
    expect(port.received.slice(1)).toEqual([
      { t: 'peer_join', peer: { id: 'ben', name: 'Ben', transport: null, rttMs: null } },
      { t: 'message', from: 'ben', data: { type: 'chat', text: 'hi' } },
      { t: 'peer_leave', id: 'ann' },
      { t: 'host', hostId: 'self' },
      { t: 'error', code: 'link_failed', message: 'no route to ben' },
    ]);
  });

  it('a status change sends the state again: reconnecting is not connected', async () => {
    const { port } = await attached();
    env.fake.room.setStatus('reconnecting' as SessionStatus);
    env.fake.room.setStatus('in_room');
    await until(() => port.received.length === 3, 'two more states');
    expect(port.received.map((f) => (f as { connected: boolean }).connected)).toEqual([true, false, true]);
  });

  it('messages that arrive before the iframe attaches are delivered after the state', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { iframe } = await mount({ 'session-id': 's' });
    env.fake.room.receiveChat('ann', 'early 1');
    env.fake.room.receiveChat('ann', 'early 2');
    const port = track(helloFrom(iframe.contentWindow));
    await until(() => port.received.length === 3, 'state and two messages');
    expect(types(port)).toEqual(['state', 'message', 'message']);
    expect(port.received.slice(1).map((f) => (f as { data: { text: string } }).data.text)).toEqual(['early 1', 'early 2']);
  });

  it('a rejoin shows the iframe a disconnected state, then the new room', async () => {
    const { el, port } = await attached();
    env.fake.room = new FakeRoom({ code: 'NEXT22', selfId: 'me2' });
    el.setAttribute('session-id', 'other');
    await until(() => port.received.length === 3, 'two more states');
    expect(port.received.slice(1)).toEqual([
      { t: 'state', selfId: null, hostId: null, connected: false, members: [] },
      { t: 'state', selfId: 'me2', hostId: 'me2', connected: true, members: [{ id: 'me2', name: 'Me', transport: null, rttMs: null }] },
    ]);
  });
});

describe('frames from the iframe', () => {
  it('send and send_to reach the room', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { port } = await attached();
    port.post({ t: 'send', data: { x: 1 } });
    port.post({ t: 'send_to', to: 'ann', data: [1, 'two'], extra: 'ignored' });
    await until(() => env.fake.room.sentTo.length === 1, 'the sends');
    expect(env.fake.room.sent).toEqual([{ x: 1 }]);
    expect(env.fake.room.sentTo).toEqual([{ peerId: 'ann', data: [1, 'two'] }]);
  });

  it('an unreliable send or send_to reaches the room with {reliable: false}', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const send = vi.spyOn(env.fake.room, 'send');
    const sendTo = vi.spyOn(env.fake.room, 'sendTo');
    const { port } = await attached();
    port.post({ t: 'send', data: { x: 1 }, reliable: false });
    port.post({ t: 'send_to', to: 'ann', data: 2, reliable: false });
    port.post({ t: 'send', data: 3, reliable: true });
    await until(() => send.mock.calls.length === 2 && sendTo.mock.calls.length === 1, 'the sends');
    expect(send.mock.calls).toEqual([[{ x: 1 }, { reliable: false }], [3, undefined]]);
    expect(sendTo.mock.calls).toEqual([['ann', 2, { reliable: false }]]);
  });

  it('unreliable sends made before the room is joined are dropped; reliable ones are held', async () => {
    env.fake.hold = true;
    const { iframe } = await mount({ 'session-id': 's' });
    const port = track(helloFrom(iframe.contentWindow));
    port.post({ t: 'send', data: 'stale', reliable: false });
    port.post({ t: 'send', data: 'kept' });
    port.post({ t: 'send_to', to: 'ann', data: 'stale', reliable: false });
    await until(() => port.received.length === 1, 'the state');
    await settle();
    env.fake.settle();
    await until(() => env.fake.room.sent.length === 1, 'the held send');
    await settle();
    expect(env.fake.room.sent).toEqual(['kept']);
    expect(env.fake.room.sentTo).toEqual([]);
  });

  it('unreliable messages are not held for an iframe that is not attached yet', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { iframe } = await mount({ 'session-id': 's' });
    env.fake.room.receive('ann', 'state 1', { reliable: false });
    env.fake.room.receive('ann', 'score');
    env.fake.room.receive('ann', 'state 2', { reliable: false });
    const port = track(helloFrom(iframe.contentWindow));
    await until(() => port.received.length === 2, 'state and the reliable message');
    await settle();
    expect(port.received.slice(1)).toEqual([{ t: 'message', from: 'ann', data: 'score' }]);
    env.fake.room.receive('ann', 'state 3', { reliable: false });
    await until(() => port.received.length === 3, 'a live unreliable message');
    expect(port.received[2]).toEqual({ t: 'message', from: 'ann', data: 'state 3', reliable: false });
  });

  const bad: [string, unknown, string, string][] = [
    ['null', null, 'bad_frame', 'object with a string t'],
    ['a string', 'send', 'bad_frame', 'object with a string t'],
    ['an array', [{ t: 'send' }], 'bad_frame', 'object with a string t'],
    ['a numeric t', { t: 1, data: 1 }, 'bad_frame', 'object with a string t'],
    ['an unknown t', { t: 'join', data: 1 }, 'unknown_type', '"join"'],
    ['a send without data', { t: 'send' }, 'bad_frame', 'send.data: missing'],
    ['a Date', { t: 'send', data: { when: new Date(0) } }, 'data_invalid', 'data.when is a Date'],
    ['an undefined field', { t: 'send', data: { a: undefined } }, 'data_invalid', 'data.a is undefined'],
    ['NaN', { t: 'send', data: [NaN] }, 'data_invalid', 'data[0] is NaN'],
    ['a Map', { t: 'send', data: new Map([[1, 2]]) }, 'data_invalid', 'data is a Map'],
    ['too much data', { t: 'send', data: 'x'.repeat(70000) }, 'data_invalid', 'at most 64512'],
    ['a numeric to', { t: 'send_to', to: 5, data: 1 }, 'bad_frame', 'send_to.to'],
    ['a to with spaces', { t: 'send_to', to: 'a b', data: 1 }, 'bad_frame', 'send_to.to'],
    ['an overlong to', { t: 'send_to', to: 'a'.repeat(65), data: 1 }, 'bad_frame', 'send_to.to'],
    ['a string reliable', { t: 'send', data: 1, reliable: 'no' }, 'bad_frame', 'send.reliable: expected a boolean'],
    ['a null reliable', { t: 'send_to', to: 'ann', data: 1, reliable: null }, 'bad_frame', 'send_to.reliable'],
  ];
  it.each(bad)('refuses %s with an error frame and sends nothing', async (_what, frame, code, message) => {
    const { port } = await attached();
    port.post(frame);
    await until(() => port.received.length === 2, 'the error');
    expect(port.received[1]).toEqual({ t: 'error', code, message: expect.stringContaining(message) });
    expect(env.fake.room.sent).toEqual([]);
    expect(env.fake.room.sentTo).toEqual([]);
  });

  it('a send the room refuses comes back as an error frame with its code', async () => {
    const { port } = await attached();
    env.fake.room.sendError = new HuddleError('send_queue_full', 'the queue to ann is full');
    port.post({ t: 'send', data: 1 });
    port.post({ t: 'send', data: 2 });
    await until(() => env.fake.room.sent.length === 1, 'the second send');
    expect(port.received[1]).toEqual({ t: 'error', code: 'send_queue_full', message: 'the queue to ann is full' });
    expect(env.fake.room.sent).toEqual([2]);
  });

  it('are held until the room is joined, sent in order then; past 1024 the iframe hears send_queue_full', async () => {
    env.fake.hold = true;
    const { iframe } = await mount({ 'session-id': 's' });
    const port = track(helloFrom(iframe.contentWindow));
    for (let i = 0; i < 1025; i++) port.post({ t: 'send', data: i });
    await until(() => port.received.length === 2, 'state and one error');
    expect(port.received[1]).toEqual({ t: 'error', code: 'send_queue_full', message: expect.any(String) });
    expect(env.fake.room.sent).toEqual([]);
    env.fake.settle();
    await until(() => env.fake.room.sent.length === 1024, 'the held sends');
    expect(env.fake.room.sent).toEqual([...Array(1024).keys()]);
  });
});

describe('both ends together', () => {
  it('an iframe P2P and the element agree on peers, host and messages', async () => {
    env.fake.room = new FakeRoom({ others: ['Ann'] });
    const { iframe } = await mount({ 'session-id': 's' });
    // createP2P on a window whose parent is this page and which posts as the iframe's window.
    const probeListeners: ((e: MessageEvent) => void)[] = [];
    const frameWin = {
      parent: {
        postMessage: (data: unknown, _origin: string, transfer: Transferable[]) =>
          window.dispatchEvent(new MessageEvent('message', { data, source: iframe.contentWindow, ports: transfer as MessagePort[] })),
      },
      addEventListener: (_t: 'message', l: (e: MessageEvent) => void) => probeListeners.push(l),
    };
    const p2p = createP2P(frameWin);
    const got: unknown[] = [];
    p2p.onMessage = (from, data) => got.push([from, data]);
    await until(() => p2p.isConnected(), 'P2P connected');
    expect(p2p.getPeers()).toEqual(['ann']);
    expect(p2p.getHostId()).toBe('ann');
    expect(p2p.getPeerId()).toBe('self');
    p2p.send({ hello: 'all' });
    p2p.sendTo('ann', { hello: 'ann' });
    env.fake.room.receiveChat('ann', 'hi back');
    await until(() => env.fake.room.sentTo.length === 1 && got.length === 1, 'both ways');
    expect(env.fake.room.sent).toEqual([{ hello: 'all' }]);
    expect(got).toEqual([['ann', { type: 'chat', text: 'hi back' }]]);
    env.fake.room.addPeer('Ben');
    await until(() => p2p.getPeers().length === 2, 'Ben');
    expect(p2p.getPeers()).toEqual(['ann', 'ben']);
  });
});
