// The room state on the page's side of the bridge, without a port: nothing touches room.state
// until the iframe watches; then the document and every change of the experience's keys reach it,
// and each of its writes becomes room.state.set / delete answered by a state_ack. Also the frame
// checks for the three new iframe frames.
import { describe, expect, it, vi } from 'vitest';
import { checkIframeFrame } from '../../../web/src/bridge/frame_check';
import type { ParentFrame } from '../../../web/src/bridge/protocol';
import { WHOLE_ROOM, channelScope, forwardRoomEvents, sendFromIframe } from '../../../web/src/bridge/room_bridge';
import { MAX_KNOWN_WRITERS } from '../../../web/src/bridge/state_bridge';
import { HuddleError } from '../../../web/src/lib/types';
import { FakeRoom } from '../app/fake_room';

function capture(): { frames: ParentFrame[]; post: (f: ParentFrame) => void } {
  const frames: ParentFrame[] = [];
  return { frames, post: (f) => frames.push(f) };
}

const stateFrames = (frames: ParentFrame[]) => frames.filter((f) => f.t.startsWith('state_'));

describe('watching', () => {
  it('leaves room.state alone until the iframe watches: forwarding events alone reads and listens to nothing', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const on = vi.spyOn(room.state, 'on');
    const entries = vi.spyOn(room.state, 'entries');
    const { frames, post } = capture();
    forwardRoomEvents(room, { post }, WHOLE_ROOM);
    room.state.put('k', 1, 'ann');
    expect(on).not.toHaveBeenCalled();
    expect(entries).not.toHaveBeenCalled();
    expect(stateFrames(frames)).toEqual([]);
  });

  it('a watch posts the document with who wrote each key, then every change', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { frames, post } = capture();
    forwardRoomEvents(room, { post }, WHOLE_ROOM);
    sendFromIframe(room, { t: 'state_watch' }, WHOLE_ROOM, post);
    room.state.put('b', { n: 2 }, 'ann');
    room.state.put('a', 1, 'ann');
    sendFromIframe(room, { t: 'state_watch' }, WHOLE_ROOM, post); // a later connection asks again
    room.state.put('b', undefined, 'ann');
    expect(stateFrames(frames)).toEqual([
      { t: 'state_doc', entries: [] },
      { t: 'state_change', key: 'b', value: { n: 2 }, from: 'ann' },
      { t: 'state_change', key: 'a', value: 1, from: 'ann' },
      { t: 'state_doc', entries: [['a', 1, 'ann'], ['b', { n: 2 }, 'ann']] },
      { t: 'state_change', key: 'b', from: 'ann' },
    ]);
  });

  it('in a shared room the experience sees only its channel’s keys, without the prefix', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    room.state.put('chat/x', 1, 'ann');
    room.state.put('c/mine', 2, 'ann');
    room.state.put('other/y', 3, 'ann');
    const { frames, post } = capture();
    forwardRoomEvents(room, { post }, channelScope('c'));
    sendFromIframe(room, { t: 'state_watch' }, channelScope('c'), post);
    room.state.put('other/z', 4, 'ann');
    room.state.put('c/next', 5, 'ann');
    expect(stateFrames(frames)).toEqual([
      { t: 'state_doc', entries: [['mine', 2, '']] }, // written before anyone on this page listened
      { t: 'state_change', key: 'next', value: 5, from: 'ann' },
    ]);
  });

  it('stopping the bridge stops the changes', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { frames, post } = capture();
    const stop = forwardRoomEvents(room, { post }, WHOLE_ROOM);
    sendFromIframe(room, { t: 'state_watch' }, WHOLE_ROOM, post);
    stop();
    room.state.put('k', 1, 'ann');
    expect(stateFrames(frames)).toEqual([{ t: 'state_doc', entries: [] }]);
  });
});

describe('writes from the iframe', () => {
  it('become room.state.set / delete on the scoped key, each answered by a state_ack after its change', () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    const { frames, post } = capture();
    const scope = channelScope('draw');
    forwardRoomEvents(room, { post }, scope);
    sendFromIframe(room, { t: 'state_watch' }, scope, post);
    sendFromIframe(room, { t: 'state_set', key: 's/1', value: [1, 2] }, scope, post);
    expect(room.state.get('draw/s/1')).toEqual([1, 2]);
    sendFromIframe(room, { t: 'state_delete', key: 's/1' }, scope, post);
    expect(room.state.get('draw/s/1')).toBeUndefined();
    expect(stateFrames(frames).slice(1)).toEqual([
      { t: 'state_change', key: 's/1', value: [1, 2], from: 'me' },
      { t: 'state_ack', key: 's/1', value: [1, 2], from: 'me' },
      { t: 'state_change', key: 's/1', from: 'me' },
      { t: 'state_ack', key: 's/1', from: 'me' },
    ]);
  });

  it('a write the room refuses posts its error, then an ack with what the room holds', () => {
    const room = new FakeRoom({ selfId: 'me', others: ['Ann'] });
    const { frames, post } = capture();
    forwardRoomEvents(room, { post }, WHOLE_ROOM);
    sendFromIframe(room, { t: 'state_watch' }, WHOLE_ROOM, post);
    room.state.put('k', 'theirs', 'ann');
    vi.spyOn(room.state, 'set').mockImplementation(() => {
      throw new HuddleError('state_too_large', 'the document is full');
    });
    sendFromIframe(room, { t: 'state_set', key: 'k', value: 'mine' }, WHOLE_ROOM, post);
    expect(frames.slice(-2)).toEqual([
      { t: 'error', code: 'state_too_large', message: 'the document is full' },
      { t: 'state_ack', key: 'k', value: 'theirs', from: 'ann' },
    ]);
  });
});

describe('frame checks', () => {
  it('accept well-formed state frames', () => {
    expect(checkIframeFrame({ t: 'state_watch' })).toEqual({ frame: { t: 'state_watch' } });
    expect(checkIframeFrame({ t: 'state_set', key: 'k', value: { a: [1] } })).toEqual({ frame: { t: 'state_set', key: 'k', value: { a: [1] } } });
    expect(checkIframeFrame({ t: 'state_delete', key: 'k' })).toEqual({ frame: { t: 'state_delete', key: 'k' } });
  });

  it('refuse malformed ones', () => {
    for (const frame of [{ t: 'state_set', key: 1, value: 1 }, { t: 'state_set', key: 'k' }, { t: 'state_delete' }]) {
      expect(checkIframeFrame(frame)).toMatchObject({ error: { code: 'bad_frame' } });
    }
    expect(checkIframeFrame({ t: 'state_set', key: 'k', value: Number.NaN })).toMatchObject({ error: { code: 'data_invalid' } });
  });
});

describe('who wrote what', () => {
  it('is remembered for a bounded number of keys, the oldest-written forgotten first', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { frames, post } = capture();
    forwardRoomEvents(room, { post }, WHOLE_ROOM);
    sendFromIframe(room, { t: 'state_watch' }, WHOLE_ROOM, post);
    room.state.put('first', 1, 'ann');
    room.state.put('again', 1, 'ann');
    // Keys that come and go for hours (the host collects deleted ones): each passes through.
    for (let i = 0; i < MAX_KNOWN_WRITERS; i++) {
      room.state.put(`gone/${i}`, i, 'ben');
      room.state.put(`gone/${i}`, undefined, 'ben');
      if (i === 10) room.state.put('again', 2, 'ann'); // written again: newer than most
    }
    room.state.put('late', 3, 'ann');
    frames.length = 0;
    sendFromIframe(room, { t: 'state_watch' }, WHOLE_ROOM, post);
    expect(frames).toEqual([{ t: 'state_doc', entries: [['again', 2, 'ann'], ['first', 1, ''], ['late', 3, 'ann']] }]);
  });
});
