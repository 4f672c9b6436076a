// P2P.request and P2P.onRequest on the iframe's side of the bridge, against a fake embedding page.
import { afterEach, describe, expect, it } from 'vitest';
import { P2PError, type P2PApi } from '../../../web/src/p2p/p2p_api';
import { p2pWithParent, settle, state, until, type PortEnd } from '../bridge/bridge_fakes';

const ports: PortEnd[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

async function connected(): Promise<{ p2p: P2PApi; parent: PortEnd }> {
  const s = p2pWithParent();
  ports.push(s.parent);
  s.parent.post(state('me', ['me', 'ann']));
  await until(() => s.p2p.isConnected(), 'connected');
  return s;
}

async function failure(p: Promise<unknown>): Promise<P2PError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(P2PError);
  return err as P2PError;
}

describe('P2P.request', () => {
  it('posts a request frame and resolves with the response of the same id', async () => {
    const { p2p, parent } = await connected();
    const first = p2p.request('ann', { q: 1 });
    const second = p2p.request('ann', 2, { timeoutMs: 500 });
    await until(() => parent.received.length === 2, 'two request frames');
    expect(parent.received).toEqual([
      { t: 'request', id: 1, to: 'ann', data: { q: 1 } },
      { t: 'request', id: 2, to: 'ann', data: 2, timeoutMs: 500 },
    ]);
    const secondFailed = failure(second);
    parent.post({ t: 'response', id: 2, code: 'request_failed', message: 'boom' });
    parent.post({ t: 'response', id: 1, data: { a: 1 } });
    await expect(first).resolves.toEqual({ a: 1 });
    const err = await secondFailed;
    expect(err.code).toBe('request_failed');
    expect(err.message).toBe('boom');
  });

  it('refuses bad data, bad options and non-members at once, posting nothing', async () => {
    const { p2p, parent } = await connected();
    expect((await failure(p2p.request('bob', 1))).code).toBe('peer_not_in_room');
    expect((await failure(p2p.request('ann', undefined as never))).code).toBe('data_invalid');
    expect((await failure(p2p.request('ann', 1, { timeoutMs: 'soon' } as never))).code).toBe('data_invalid');
    expect((await failure(p2p.request('ann', 1, { timeout: 5 } as never))).code).toBe('data_invalid');
    await settle();
    expect(parent.received).toEqual([]);
  });
});

describe('P2P.onRequest', () => {
  it('answers a request frame with what the handler returns or resolves to', async () => {
    const { p2p, parent } = await connected();
    p2p.onRequest = async (from, data) => ({ from, echo: data });
    parent.post({ t: 'request', id: 4, from: 'ann', data: [1] });
    await until(() => parent.received.length === 1, 'the answer');
    expect(parent.received).toEqual([{ t: 'answer', id: 4, data: { from: 'ann', echo: [1] } }]);
  });

  it('a throw, a rejection or an answer that is not JSON answers request_failed with the message', async () => {
    const { p2p, parent } = await connected();
    p2p.onRequest = (_from, data) => {
      if (data === 1) throw new Error('boom');
      if (data === 2) return Promise.reject(new Error('nope'));
      return (() => 3) as never;
    };
    for (const id of [1, 2, 3]) parent.post({ t: 'request', id, from: 'ann', data: id });
    await until(() => parent.received.length === 3, 'three answers');
    expect(parent.received[0]).toEqual({ t: 'answer', id: 1, code: 'request_failed', message: 'boom' });
    expect(parent.received[1]).toEqual({ t: 'answer', id: 2, code: 'request_failed', message: 'nope' });
    expect(parent.received[2]).toMatchObject({ t: 'answer', id: 3, code: 'request_failed' });
  });

  it('without a handler answers no_handler', async () => {
    const { parent } = await connected();
    parent.post({ t: 'request', id: 9, from: 'ann', data: 1 });
    await until(() => parent.received.length === 1, 'the answer');
    expect(parent.received[0]).toMatchObject({ t: 'answer', id: 9, code: 'no_handler' });
  });
});
