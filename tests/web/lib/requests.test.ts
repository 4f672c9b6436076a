// @vitest-environment node
// room.request / room.onRequest over the real Wasm client and a real huddle-server (relay-only
// rooms: Node has no RTCPeerConnection): answers, promised answers, and each way a request fails
// with its own code.
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../web/src/lib';
import { MAX_REQUEST_ERROR_BYTES, MAX_REQUEST_TIMEOUT_MS } from '../../../web/src/lib/limits';
import { rejection, until, useServerAndRooms } from './wasm_env';

const { relayRoom } = useServerAndRooms();

describe('room.request', () => {
  it('resolves with what the other member’s handler returns, and the handler hears who asked', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    const asked: [string, Json][] = [];
    ben.onRequest((from, data) => {
      asked.push([from, data]);
      return { sum: (data as number[]).reduce((a, b) => a + b, 0) };
    });
    await expect(ann.request(ben.selfId, [1, 2, 3])).resolves.toEqual({ sum: 6 });
    expect(asked).toEqual([[ann.selfId, [1, 2, 3]]]);
  });

  it('awaits a handler that returns a promise, and matches several answers to their requests', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    ben.onRequest(async (_from, data) => {
      await new Promise((r) => setTimeout(r, data === 'slow' ? 50 : 0));
      return `${String(data)}!`;
    });
    const slow = ann.request(ben.selfId, 'slow');
    const fast = ann.request(ben.selfId, 'fast');
    await expect(Promise.all([slow, fast])).resolves.toEqual(['slow!', 'fast!']);
  });

  it('a handler that returns nothing answers null', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    ben.onRequest(() => undefined);
    await expect(ann.request(ben.selfId, 1)).resolves.toBeNull();
  });

  it('a handler that throws (or rejects) refuses with request_failed and its message, cut to the limit', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    ben.onRequest((_from, data) => {
      if (data === 'long') throw new Error('x'.repeat(MAX_REQUEST_ERROR_BYTES * 2));
      if (data === 'reject') return Promise.reject(new Error('no luck'));
      throw new Error('boom');
    });
    const thrown = await rejection(ann.request(ben.selfId, 'throw'));
    expect(thrown.code).toBe('request_failed');
    expect(thrown.message).toBe('boom');
    expect((await rejection(ann.request(ben.selfId, 'reject'))).message).toBe('no luck');
    expect((await rejection(ann.request(ben.selfId, 'long'))).message).toHaveLength(MAX_REQUEST_ERROR_BYTES);
  });

  it('an answer that is not JSON refuses with request_failed', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    ben.onRequest(() => (() => 1) as unknown as Json);
    expect((await rejection(ann.request(ben.selfId, 1))).code).toBe('request_failed');
  });

  it('without a handler (or after removing it) the request fails with no_handler', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    expect((await rejection(ann.request(ben.selfId, 1))).code).toBe('no_handler');
    const off = ben.onRequest(() => 'yes');
    await expect(ann.request(ben.selfId, 1)).resolves.toBe('yes');
    off();
    expect((await rejection(ann.request(ben.selfId, 1))).code).toBe('no_handler');
  });

  it('no answer within timeoutMs fails with request_timeout', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    ben.onRequest(() => new Promise<Json>(() => {}));
    const failed = await rejection(ann.request(ben.selfId, 1, { timeoutMs: 200 }));
    expect(failed.code).toBe('request_timeout');
  });

  it('the member leaving before it answers fails with peer_not_in_room, at once', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    let asked = false;
    ben.onRequest(() => {
      asked = true;
      return new Promise<Json>(() => {});
    });
    const request = ann.request(ben.selfId, 1, { timeoutMs: 60_000 });
    await until(() => asked, 'Ben to be asked');
    const started = Date.now();
    ben.leave();
    expect((await rejection(request)).code).toBe('peer_not_in_room');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('leaving fails our own requests with not_in_room, and a left room refuses new ones', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    ben.onRequest(() => new Promise<Json>(() => {}));
    const request = ann.request(ben.selfId, 1);
    ann.leave();
    expect((await rejection(request)).code).toBe('not_in_room');
    expect((await rejection(ann.request(ben.selfId, 1))).code).toBe('not_in_room');
  });

  it('bad requests are refused with clear codes before anything is sent', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    expect((await rejection(ann.request('NOBODY0000', 1))).code).toBe('peer_not_in_room');
    expect((await rejection(ann.request(ann.selfId, 1))).code).toBe('peer_not_in_room');
    expect((await rejection(ann.request(ben.selfId, undefined as unknown as Json))).code).toBe('data_invalid');
    expect((await rejection(ann.request(ben.selfId, 1, { timeoutMs: MAX_REQUEST_TIMEOUT_MS + 1 }))).code).toBe('data_invalid');
    expect((await rejection(ann.request(ben.selfId, 1, { timeoutMs: 0 }))).code).toBe('data_invalid');
  });

  it('requests and messages share one ordered stream: a message sent before a request arrives before it', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    const seen: string[] = [];
    ben.on('message', (m) => seen.push(`message ${String(m.data)}`));
    ben.onRequest((_from, data) => {
      seen.push(`request ${String(data)}`);
      return 'ok';
    });
    ann.sendTo(ben.selfId, 1);
    const answer = ann.request(ben.selfId, 2);
    ann.sendTo(ben.selfId, 3);
    await answer;
    await until(() => seen.length === 3, 'all three');
    expect(seen).toEqual(['message 1', 'request 2', 'message 3']);
  });
});
