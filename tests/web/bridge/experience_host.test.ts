// hostExperience: a room the page already joined, lent to one iframe on one channel. Same bridge
// rules as <p2p-frame>; messages scoped by channel so chat and other experiences never cross.
import { afterEach, describe, expect, it } from 'vitest';
import { hostExperience } from '../../../web/src/bridge/experience_host';
import { HuddleError, type SessionStatus } from '../../../web/src/lib/types';
import { FakeRoom } from '../app/fake_room';
import { helloFrom, settle, until, type PortEnd } from './bridge_fakes';

const CHANNEL = 'experience:draw';
const ports: PortEnd[] = [];
const loans: (() => void)[] = [];

afterEach(() => {
  loans.splice(0).forEach((dispose) => dispose());
  ports.splice(0).forEach((p) => p.close());
  document.body.replaceChildren();
});

function iframeInPage(): HTMLIFrameElement {
  const iframe = document.createElement('iframe');
  document.body.appendChild(iframe);
  return iframe;
}

/** What the browser does once the iframe's page (and every script on it) has loaded. */
const pageLoaded = (iframe: HTMLIFrameElement) => iframe.dispatchEvent(new Event('load'));

/** A room lent to a fresh iframe on `channel`, its page loaded, with the iframe's end of the bridge. */
async function lent(room = new FakeRoom({ others: ['Ann'] }), channel = CHANNEL) {
  const iframe = iframeInPage();
  const dispose = hostExperience(room, iframe, channel);
  loans.push(dispose);
  pageLoaded(iframe);
  const port = helloFrom(iframe.contentWindow);
  ports.push(port);
  await until(() => port.received.length > 0, 'the state');
  return { room, iframe, dispose, port };
}

const envelope = (channel: string, data: unknown) => ({ type: 'experience', channel, data }) as never;

describe('lending a joined room', () => {
  it('answers its own iframe with the room as it is, and joins nothing', async () => {
    const { room, port } = await lent();
    expect(port.received).toEqual([{
      t: 'state', selfId: 'self', hostId: 'ann', connected: true,
      members: [{ id: 'ann', name: 'Ann', transport: 'direct', rttMs: null }, { id: 'self', name: 'Me', transport: null, rttMs: null }],
    }]);
    expect(room.leaveCalls).toBe(0);
  });

  it('ignores a hello from any other window', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const own = iframeInPage();
    loans.push(hostExperience(room, own, CHANNEL));
    pageLoaded(own);
    const sibling = iframeInPage();
    const forged = [helloFrom(sibling.contentWindow), helloFrom(window), helloFrom(null)];
    ports.push(...forged);
    for (const port of forged) port.post({ t: 'send', data: 'forged' });
    await settle();
    for (const port of forged) expect(port.received).toEqual([]);
    expect(room.sent).toEqual([]);
  });

  it('refuses an empty channel: that is a programming error', () => {
    expect(() => hostExperience(new FakeRoom(), iframeInPage(), '')).toThrow(TypeError);
  });
});

describe('messages are scoped by channel', () => {
  it('only envelopes of its channel reach the iframe, unwrapped', async () => {
    const { room, port } = await lent();
    room.receiveChat('ann', 'hi'); // chat
    room.receive('ann', { type: 'experience_open', name: 'draw' }); // the app's own message
    room.receive('ann', envelope('experience:pong', { t: 'ball' })); // another experience
    room.receive('ann', { type: 'experience', channel: CHANNEL }); // an envelope without data
    room.receive('ann', [{ type: 'experience', channel: CHANNEL, data: 1 }]); // not an object
    room.receive('ann', envelope(CHANNEL, { t: 'seg', id: 1 }));
    room.receive('ann', envelope(CHANNEL, null), { broadcast: false });
    await until(() => port.received.length === 3, 'two messages');
    await settle();
    expect(port.received.slice(1)).toEqual([
      { t: 'message', from: 'ann', data: { t: 'seg', id: 1 } },
      { t: 'message', from: 'ann', data: null },
    ]);
  });

  it("the iframe's send and send_to go out wrapped in its channel's envelope", async () => {
    const { room, port } = await lent();
    port.post({ t: 'send', data: { t: 'seg', id: 1 } });
    port.post({ t: 'send_to', to: 'ann', data: [1, 2] });
    await until(() => room.sentTo.length === 1, 'the sends');
    expect(room.sent).toEqual([{ type: 'experience', channel: CHANNEL, data: { t: 'seg', id: 1 } }]);
    expect(room.sentTo).toEqual([{ peerId: 'ann', data: { type: 'experience', channel: CHANNEL, data: [1, 2] } }]);
  });

  it('two experiences on one room hear only their own channel', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const draw = await lent(room, 'experience:draw');
    const pong = await lent(room, 'experience:pong');
    room.receive('ann', envelope('experience:pong', 'for pong'));
    room.receive('ann', envelope('experience:draw', 'for draw'));
    await until(() => draw.port.received.length === 2 && pong.port.received.length === 2, 'one message each');
    await settle();
    expect(draw.port.received[1]).toEqual({ t: 'message', from: 'ann', data: 'for draw' });
    expect(pong.port.received[1]).toEqual({ t: 'message', from: 'ann', data: 'for pong' });
    pong.port.post({ t: 'send', data: 'from pong' });
    await until(() => room.sent.length === 1, 'the send');
    expect(room.sent).toEqual([{ type: 'experience', channel: 'experience:pong', data: 'from pong' }]);
  });

  it("holds its messages until the iframe's page has loaded and said hello", async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const iframe = iframeInPage();
    const probes: unknown[] = [];
    iframe.contentWindow!.addEventListener('message', (e) => probes.push(e.data));
    loans.push(hostExperience(room, iframe, CHANNEL));
    // p2p.js says hello while the page is still loading: its own handlers may not be set yet.
    const tooSoon = helloFrom(iframe.contentWindow);
    ports.push(tooSoon);
    room.receive('ann', envelope(CHANNEL, 'early'));
    room.receiveChat('ann', 'not for the iframe');
    await settle();
    expect(tooSoon.received).toEqual([]);

    pageLoaded(iframe);
    await until(() => probes.length === 1, 'a probe for a fresh hello');
    expect(probes).toEqual([{ huddle: 'p2p-probe' }]);
    const port = helloFrom(iframe.contentWindow);
    ports.push(port);
    await until(() => port.received.length === 2, 'state and the early message');
    expect(port.received[1]).toEqual({ t: 'message', from: 'ann', data: 'early' });
  });

  it('delivers the messages it is handed from before the loan first, its channel only', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const iframe = iframeInPage();
    const earlier = [
      { from: 'ann', id: 1, ts: 0, broadcast: false, reliable: true, data: envelope(CHANNEL, 'history') },
      { from: 'ann', id: 2, ts: 0, broadcast: true, reliable: true, data: { type: 'chat', text: 'hi' } },
    ];
    loans.push(hostExperience(room, iframe, CHANNEL, { earlier }));
    room.receive('ann', envelope(CHANNEL, 'now'));
    pageLoaded(iframe);
    const port = helloFrom(iframe.contentWindow);
    ports.push(port);
    await until(() => port.received.length === 3, 'state and two messages');
    expect(port.received.slice(1)).toEqual([
      { t: 'message', from: 'ann', data: 'history' },
      { t: 'message', from: 'ann', data: 'now' },
    ]);
  });
});

describe('room events, as <p2p-frame> maps them', () => {
  it('members, host, errors and status reach the iframe in order', async () => {
    const { room, port } = await lent();
    room.addPeer('Ben');
    room.setLink('ben', 'connected'); // not an experience's business
    room.removePeer('ann');
    room.emit('error', new HuddleError('link_failed', 'no route to ben'));
    room.setStatus('reconnecting' as SessionStatus);
    await until(() => port.received.length === 6, 'five more frames');
    expect(port.received.slice(1)).toEqual([
      { t: 'peer_join', peer: { id: 'ben', name: 'Ben', transport: null, rttMs: null } },
      { t: 'peer_leave', id: 'ann' },
      { t: 'host', hostId: 'self' },
      { t: 'error', code: 'link_failed', message: 'no route to ben' },
      {
        t: 'state', selfId: 'self', hostId: 'self', connected: false,
        members: [{ id: 'self', name: 'Me', transport: null, rttMs: null }, { id: 'ben', name: 'Ben', transport: 'direct', rttMs: null }],
      },
    ]);
  });

  it('a send the room refuses, or a malformed frame, comes back as an error frame', async () => {
    const { room, port } = await lent();
    room.sendError = new HuddleError('send_queue_full', 'the queue to ann is full');
    port.post({ t: 'send', data: 1 });
    port.post({ t: 'send', data: { when: new Date(0) } });
    await until(() => port.received.length === 3, 'two errors');
    expect(port.received.slice(1)).toEqual([
      { t: 'error', code: 'send_queue_full', message: 'the queue to ann is full' },
      { t: 'error', code: 'data_invalid', message: expect.stringContaining('data.when is a Date') },
    ]);
    expect(room.sent).toEqual([]);
  });
});

describe('ending the loan', () => {
  it('tells the iframe it is detached, stops listening, and leaves the room joined', async () => {
    const { room, iframe, port, dispose } = await lent();
    dispose();
    dispose(); // twice is harmless
    await until(() => port.received.length === 2, 'the detached state');
    expect(port.received[1]).toEqual({ t: 'state', selfId: null, hostId: null, connected: false, members: [] });
    expect(room.listenerCount()).toBe(0);
    expect(room.leaveCalls).toBe(0);

    room.receive('ann', envelope(CHANNEL, 'too late'));
    port.post({ t: 'send', data: 'too late' });
    const again = helloFrom(iframe.contentWindow);
    ports.push(again);
    await settle();
    expect(port.received).toHaveLength(2);
    expect(again.received).toEqual([]);
    expect(room.sent).toEqual([]);
  });
});
