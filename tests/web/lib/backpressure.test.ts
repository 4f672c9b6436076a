// @vitest-environment node
// Room.ready() and bufferedAmount() over the real Wasm client and a real huddle-server (a
// relay-only room: Node has no RTCPeerConnection): a stream that awaits ready() before each send
// never meets send_queue_full, however much it sends; one that does not, does.
import { describe, expect, it } from 'vitest';
import { HuddleError, type Room } from '../../../web/src/lib';
import { READY_QUEUED_BYTES, READY_QUEUED_MESSAGES } from '../../../web/src/lib/limits';
import { rejection, until, useServerAndRooms } from './wasm_env';

const { relayRoom } = useServerAndRooms();

/** Ann's relay-only room with Ben in it, and Ben's peer id (what Ann sends to). */
async function pair(): Promise<[Room, Room, string]> {
  const [ann, ben] = await relayRoom('Ann', 'Ben');
  return [ann, ben, ben.selfId];
}


describe('backpressure', () => {
  it('streams 3 MB awaiting ready() without ever meeting send_queue_full, in order', async () => {
    const [ann, ben, benId] = await pair();
    const COUNT = 3000;
    const chunk = 'x'.repeat(1000);
    let received = 0;
    let inOrder = true;
    ben.on('message', (m) => {
      const { n } = m.data as { n: number };
      inOrder &&= n === received;
      received++;
    });
    let mostBuffered = 0;
    let waits = 0;
    for (let n = 0; n < COUNT; n++) {
      const before = ann.bufferedAmount(benId);
      const ready = ann.ready(benId);
      let settled = false;
      void ready.then(() => (settled = true));
      await Promise.resolve();
      if (!settled) waits++;
      await ready;
      ann.sendTo(benId, { n, chunk }); // never throws: that is the point
      mostBuffered = Math.max(mostBuffered, before);
    }
    await until(() => received === COUNT, 'every chunk at Ben', 20_000);
    expect(inOrder).toBe(true);
    expect(waits).toBeGreaterThan(0); // it did hold the stream back
    expect(mostBuffered).toBeGreaterThan(0);
    // Held under the marks: a message's worth over at most.
    expect(mostBuffered).toBeLessThan(Math.min(READY_QUEUED_BYTES, READY_QUEUED_MESSAGES * 1100) + 1100);
    await until(() => ann.bufferedAmount(benId) === 0, 'everything acknowledged');
    expect(ann.bufferedAmount()).toBe(0);
  });

  it('without it, a burst past the queue throws send_queue_full', async () => {
    const [ann, , benId] = await pair();
    let error: unknown = null;
    try {
      for (let n = 0; n < 5000; n++) ann.sendTo(benId, { n });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'send_queue_full' });
    expect(ann.bufferedAmount(benId)).toBeGreaterThan(0);
    expect(ann.bufferedAmount()).toBe(ann.bufferedAmount(benId)); // the fullest member's
  });

  it('rejects for a non-member, for a member who leaves while waited for, and after leaving', async () => {
    const [ann, ben, benId] = await pair();
    expect((await rejection(ann.ready('NOSUCHPEER'))).code).toBe('peer_not_in_room');
    for (let n = 0; n < READY_QUEUED_MESSAGES + 10; n++) ann.sendTo(benId, { n });
    const waiting = ann.ready(benId);
    ben.leave();
    expect((await rejection(waiting)).code).toBe('peer_not_in_room');
    await ann.ready(); // nobody left to wait for
    ann.leave();
    expect((await rejection(ann.ready())).code).toBe('not_in_room');
  });
});
