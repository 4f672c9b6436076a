// The mapping between a Room and the port frames, without a port: unreliable sends and messages,
// and how members' transports and round-trip times reach the iframe (and how often).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RTT_UPDATE_INTERVAL_MS } from '../../../web/src/bridge/link_updates';
import { WHOLE_ROOM, channelScope, forwardRoomEvents, messageFrame, roomState, sendFromIframe } from '../../../web/src/bridge/room_bridge';
import { HuddleError } from '../../../web/src/lib/types';
import type { ParentFrame } from '../../../web/src/bridge/protocol';
import { FakeRoom } from '../app/fake_room';
import { LinkRoom } from './link_room';

describe('sends from the iframe', () => {
  // What sendFromIframe posted back to the iframe.
  let posted: ParentFrame[] = [];
  const post = (frame: ParentFrame) => posted.push(frame);
  beforeEach(() => {
    posted = [];
  });

  it('an unreliable send or send_to reaches the room with {reliable: false}', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const send = vi.spyOn(room, 'send');
    const sendTo = vi.spyOn(room, 'sendTo');
    sendFromIframe(room, { t: 'send', data: 1, reliable: false }, WHOLE_ROOM, post);
    sendFromIframe(room, { t: 'send_to', to: 'ann', data: 2, reliable: false }, channelScope('c'), post);
    expect(posted).toEqual([]);
    expect(send).toHaveBeenCalledWith(1, { reliable: false });
    expect(sendTo).toHaveBeenCalledWith('ann', { type: 'experience', channel: 'c', data: 2 }, { reliable: false });
  });

  it('a reliable one reaches it with the default (no options)', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const send = vi.spyOn(room, 'send');
    const sendTo = vi.spyOn(room, 'sendTo');
    sendFromIframe(room, { t: 'send', data: 1 }, WHOLE_ROOM, post);
    sendFromIframe(room, { t: 'send_to', to: 'ann', data: 2 }, WHOLE_ROOM, post);
    // (FakeRoom's send takes no options, hence the widening.)
    expect((send.mock.calls[0] as unknown[])[1]).toBeUndefined();
    expect((sendTo.mock.calls[0] as unknown[])[2]).toBeUndefined();
  });

  it('a refused unreliable send comes back as an error frame', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    room.unreliableSendError = new HuddleError('not_in_room', 'this room was left');
    sendFromIframe(room, { t: 'send', data: 1, reliable: false }, WHOLE_ROOM, post);
    expect(posted).toEqual([{ t: 'error', code: 'not_in_room', message: 'this room was left' }]);
  });

  it('a ready is answered with its id once the room is ready, or with why not', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const ready = vi.spyOn(room, 'ready');
    sendFromIframe(room, { t: 'ready', id: 7, to: 'ann' }, WHOLE_ROOM, post);
    ready.mockRejectedValueOnce(new HuddleError('peer_not_in_room', 'ann left the room'));
    sendFromIframe(room, { t: 'ready', id: 8, to: 'ann' }, WHOLE_ROOM, post);
    await vi.waitFor(() => expect(posted).toHaveLength(2));
    expect(ready).toHaveBeenCalledWith('ann');
    expect(posted).toEqual([
      { t: 'ready', id: 7 },
      { t: 'ready', id: 8, code: 'peer_not_in_room', message: 'ann left the room' },
    ]);
  });
});

describe('received messages', () => {
  const received = (reliable: boolean) => ({ from: 'ann', id: 1, ts: 0, broadcast: true, reliable, data: { x: 1 } });

  it('an unreliable one says so; a reliable one looks as it always did', () => {
    expect(messageFrame(received(false), WHOLE_ROOM)).toEqual({ t: 'message', from: 'ann', data: { x: 1 }, reliable: false });
    expect(messageFrame(received(true), WHOLE_ROOM)).toStrictEqual({ t: 'message', from: 'ann', data: { x: 1 } });
  });
});

describe('transports and round-trip times', () => {
  let frames: ParentFrame[];
  let room: LinkRoom;
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    frames = [];
    room = new LinkRoom({ others: ['Ann', 'Ben'] });
    stop = forwardRoomEvents(room, { post: (f) => frames.push(f) }, WHOLE_ROOM);
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  const links = () => frames.filter((f) => f.t === 'links');

  it('the state describes every member with its transport and round-trip time', () => {
    room.setTransport('ben', 'relay');
    room.measure('ben', 87.6);
    expect(roomState(room)).toMatchObject({
      members: [
        { id: 'ann', transport: 'direct', rttMs: null },
        { id: 'ben', transport: 'relay', rttMs: 88 },
        { id: 'self', transport: null, rttMs: null },
      ],
    });
  });

  it('a transport change is posted at once', () => {
    room.setTransport('ann', 'relay');
    expect(links()).toEqual([{ t: 'links', links: [{ id: 'ann', transport: 'relay', rttMs: null }] }]);
  });

  it('round-trip times are posted at most once a second, the latest of them, all members in one frame', () => {
    room.measure('ann', 10);
    expect(links()).toEqual([{ t: 'links', links: [{ id: 'ann', transport: 'direct', rttMs: 10 }] }]);
    room.measure('ann', 11);
    room.measure('ben', 20);
    room.measure('ann', 12);
    vi.advanceTimersByTime(RTT_UPDATE_INTERVAL_MS - 1);
    expect(links()).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(links()).toHaveLength(2);
    expect(links()[1]).toEqual({
      t: 'links', links: [{ id: 'ann', transport: 'direct', rttMs: 12 }, { id: 'ben', transport: 'direct', rttMs: 20 }],
    });
    vi.advanceTimersByTime(10 * RTT_UPDATE_INTERVAL_MS);
    expect(links()).toHaveLength(2); // nothing new, nothing posted
  });

  it('a member that left while its time waited is not posted', () => {
    room.measure('ann', 10);
    room.measure('ben', 20);
    room.removePeer('ben');
    vi.advanceTimersByTime(RTT_UPDATE_INTERVAL_MS);
    expect(links()).toHaveLength(1);
  });

  it('nothing is posted once forwarding stops, not even what was waiting', () => {
    room.measure('ann', 10);
    room.measure('ann', 11);
    stop();
    vi.advanceTimersByTime(RTT_UPDATE_INTERVAL_MS);
    room.setTransport('ann', 'relay');
    expect(links()).toHaveLength(1);
  });
});
