// Requests across the bridge on the page's side: the iframe's `request` becomes room.request
// (through the scope), and while events are forwarded the room's request handler asks the iframe
// and waits for its `answer`. Also the frame checks for both frames.
import { describe, expect, it } from 'vitest';
import { checkIframeFrame } from '../../../web/src/bridge/frame_check';
import type { ParentFrame } from '../../../web/src/bridge/protocol';
import { WHOLE_ROOM, channelScope, forwardRoomEvents, sendFromIframe } from '../../../web/src/bridge/room_bridge';
import { HuddleError } from '../../../web/src/lib/types';
import { FakeRoom } from '../app/fake_room';

function capture(): { frames: ParentFrame[]; post: (f: ParentFrame) => void } {
  const frames: ParentFrame[] = [];
  return { frames, post: (f) => frames.push(f) };
}

describe('the iframe asks', () => {
  it('a request frame becomes room.request, wrapped by the scope, and its outcome a response frame', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { frames, post } = capture();
    sendFromIframe(room, { t: 'request', id: 1, to: 'ann', data: 5, timeoutMs: 300 }, channelScope('c'), post);
    sendFromIframe(room, { t: 'request', id: 2, to: 'ann', data: 6 }, WHOLE_ROOM, post);
    expect(room.requests.map((r) => [r.peerId, r.data, r.timeoutMs])).toEqual([
      ['ann', { type: 'experience', channel: 'c', data: 5 }, 300],
      ['ann', 6, undefined],
    ]);
    room.requests[1].fail(new HuddleError('request_timeout', 'no answer'));
    room.requests[0].answer({ ok: true });
    await expect.poll(() => frames.length).toBe(2);
    expect(frames).toEqual([
      { t: 'response', id: 2, code: 'request_timeout', message: 'no answer' },
      { t: 'response', id: 1, data: { ok: true } },
    ]);
  });
});

describe('a member asks the iframe', () => {
  it('the room’s handler posts a request frame and resolves with the iframe’s answer', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { frames, post } = capture();
    const stop = forwardRoomEvents(room, { post }, channelScope('c'));
    const answer = room.requestHandler!('ann', { type: 'experience', channel: 'c', data: 'q' });
    expect(frames).toEqual([{ t: 'request', id: 1, from: 'ann', data: 'q' }]);
    sendFromIframe(room, { t: 'answer', id: 1, data: 'a' }, channelScope('c'), post);
    await expect(answer).resolves.toBe('a');
    stop();
    expect(room.requestHandler).toBeNull();
  });

  it('a refusal from the iframe rejects: no_handler as that code, request_failed as a plain error', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { post } = capture();
    forwardRoomEvents(room, { post }, WHOLE_ROOM);
    const threw = room.requestHandler!('ann', 1) as Promise<unknown>;
    const none = room.requestHandler!('ann', 2) as Promise<unknown>;
    sendFromIframe(room, { t: 'answer', id: 1, code: 'request_failed', message: 'boom' }, WHOLE_ROOM, post);
    sendFromIframe(room, { t: 'answer', id: 2, code: 'no_handler', message: 'none' }, WHOLE_ROOM, post);
    await expect(threw).rejects.toThrow('boom');
    await expect(threw).rejects.not.toBeInstanceOf(HuddleError);
    await expect(none).rejects.toMatchObject({ code: 'no_handler' });
  });

  it('a request of another channel is refused without asking the iframe', () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { frames, post } = capture();
    forwardRoomEvents(room, { post }, channelScope('c'));
    expect(() => room.requestHandler!('ann', { type: 'experience', channel: 'other', data: 1 })).toThrow();
    expect(frames).toEqual([]);
  });

  it('stopping the bridge fails what the iframe has not answered yet', async () => {
    const room = new FakeRoom({ others: ['Ann'] });
    const { post } = capture();
    const stop = forwardRoomEvents(room, { post }, WHOLE_ROOM);
    const pending = room.requestHandler!('ann', 1) as Promise<unknown>;
    stop();
    await expect(pending).rejects.toThrow(/closed/);
  });
});

describe('frame checks', () => {
  it('accept well-formed request and answer frames', () => {
    expect(checkIframeFrame({ t: 'request', id: 1, to: 'ann', data: [1] })).toEqual({ frame: { t: 'request', id: 1, to: 'ann', data: [1] } });
    expect(checkIframeFrame({ t: 'request', id: 1, to: 'ann', data: 1, timeoutMs: 5 })).toEqual({
      frame: { t: 'request', id: 1, to: 'ann', data: 1, timeoutMs: 5 },
    });
    expect(checkIframeFrame({ t: 'answer', id: 3, data: null })).toEqual({ frame: { t: 'answer', id: 3, data: null } });
    expect(checkIframeFrame({ t: 'answer', id: 3, code: 'no_handler', message: 'x' })).toEqual({
      frame: { t: 'answer', id: 3, code: 'no_handler', message: 'x' },
    });
  });

  it('refuse malformed ones', () => {
    const bad: unknown[] = [
      { t: 'request', id: -1, to: 'ann', data: 1 },
      { t: 'request', id: 1, to: 'a b', data: 1 },
      { t: 'request', id: 1, to: 'ann' },
      { t: 'request', id: 1, to: 'ann', data: 1, timeoutMs: '5' },
      { t: 'answer', id: 'x', data: 1 },
      { t: 'answer', id: 1 },
      { t: 'answer', id: 1, code: 'internal', message: 'x' },
    ];
    for (const frame of bad) expect(checkIframeFrame(frame)).toHaveProperty('error');
    expect(checkIframeFrame({ t: 'request', id: 1, to: 'ann', data: undefined })).toMatchObject({ error: { code: 'data_invalid' } });
  });
});
