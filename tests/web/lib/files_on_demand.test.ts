// @vitest-environment node
// The file code loaded on demand (web/src/lib/files_on_demand.ts): sendFile's stand-in transfer
// while the code loads, the queue of file messages that arrive meanwhile, and a code that cannot
// load. Members of a simulated network (file_net.ts) whose file code loads when the test says.
import { describe, expect, it } from 'vitest';
import * as filesModule from '../../../web/src/lib/files';
import type { FileTuning } from '../../../web/src/lib/files';
import { FILE_DEPS, type FilesModule } from '../../../web/src/lib/files_on_demand';
import { HuddleError, type FileSendProgress } from '../../../web/src/lib/types';
import { bytesOf, FileNet, fileOp, randomFile, rejection, tooLargeFile } from './file_net';

const TUNING: FileTuning = { chunkBytes: 1024, directWindow: 4, relayWindow: 2, stallMs: 60_000 };

/** A load of the file code that the test finishes (or fails) when it wants; counts its calls. */
function controlledLoad() {
  const calls: { resolve: (m: FilesModule) => void; reject: (err: Error) => void }[] = [];
  return {
    calls,
    load: () => new Promise<FilesModule>((resolve, reject) => calls.push({ resolve, reject })),
    arrive: async (at = calls.length - 1) => {
      calls[at].resolve(filesModule);
      await new Promise((r) => setImmediate(r));
    },
    fail: async (at = calls.length - 1) => {
      calls[at].reject(new TypeError('Failed to fetch dynamically imported module'));
      await new Promise((r) => setImmediate(r));
    },
  };
}

describe('sendFile before the file code is there', () => {
  it('returns the transfer at once, which sends, reports progress and settles once the code arrives', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING, { ann: { load: code.load } });
    const { blob, bytes } = randomFile(10_000, 'image/png');
    const t = net.member('ann').exchange.sendFile(new File([blob], 'a/photo.png', { type: 'image/png' }));
    expect([t.to, t.name, t.size, t.type]).toEqual([['ben', 'cat'], 'photo.png', 10_000, 'image/png']);
    expect(t.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const progress: FileSendProgress[] = [];
    t.on('progress', (p) => progress.push(p));
    expect(code.calls).toHaveLength(1); // loading since the call
    await net.settle();
    expect(net.log).toEqual([]); // nothing can go before the code is there

    await code.arrive();
    await net.settle();
    expect(await t.done).toEqual({ delivered: ['ben', 'cat'], failed: [] });
    for (const id of ['ben', 'cat']) {
      const [incoming] = net.member(id).incoming;
      expect(incoming.id).toBe(t.id);
      expect(await bytesOf(await incoming.blob())).toEqual(bytes);
    }
    expect(progress.at(-1)).toEqual({ sent: 10_000, total: 10_000 });
    // From now on the real transfer comes straight back.
    expect(code.calls).toHaveLength(1);
    const next = net.member('ann').exchange.sendFile(randomFile(10).blob);
    await net.settle();
    expect((await next.done).delivered).toEqual(['ben', 'cat']);
  });

  it('throws what sendFile throws, before loading anything', () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ann: { load: code.load } });
    const ann = net.member('ann').exchange;
    expect(() => ann.sendFile(tooLargeFile())).toThrow(expect.objectContaining({ code: 'file_too_large' }));
    expect(() => ann.sendFile(new Blob(['x']), { to: 'zed' })).toThrow(expect.objectContaining({ code: 'peer_not_in_room' }));
    expect(() => ann.sendFile('text' as unknown as Blob)).toThrow(expect.objectContaining({ code: 'data_invalid' }));
    expect(code.calls).toHaveLength(0);
  });

  it('cancelled before the code arrives: done rejects at once, nothing is sent, the next file goes', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ann: { load: code.load } });
    const ann = net.member('ann').exchange;
    const first = ann.sendFile(randomFile(5000).blob, { name: 'first' });
    const second = ann.sendFile(randomFile(3000).blob, { name: 'second' });
    first.cancel();
    const error = await rejection(first.done); // without the code
    expect([error.code, error.message]).toEqual(['file_cancelled', 'the transfer was cancelled']);
    await code.arrive();
    await net.settle();
    expect((await second.done).delivered).toEqual(['ben']);
    expect(net.member('ben').incoming.map((f) => f.name)).toEqual(['second']);
    expect(net.fileMessages('cancel')).toEqual([]);
    first.cancel(); // still nothing
  });

  it('cancelled after the code arrived: cancels the real transfer', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ann: { load: code.load } });
    const t = net.member('ann').exchange.sendFile(randomFile(50 * 1024).blob);
    await code.arrive();
    await net.settle((w) => fileOp(w) === 'offer');
    t.cancel();
    expect((await rejection(t.done)).code).toBe('file_cancelled');
    await net.settle();
    expect(net.fileMessages('cancel').map((w) => w.to)).toEqual(['ben']);
    expect((await rejection(net.member('ben').incoming[0].blob())).code).toBe('file_cancelled');
  });

  it('a recipient leaving meanwhile fails for that recipient, as before', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING, { ann: { load: code.load } });
    const t = net.member('ann').exchange.sendFile(randomFile(4000).blob);
    net.leave('cat');
    await code.arrive();
    await net.settle();
    const done = await t.done;
    expect(done.delivered).toEqual(['ben']);
    expect(done.failed.map((f) => [f.peerId, f.error.code])).toEqual([['cat', 'peer_not_in_room']]);
  });

  it('the room left meanwhile: done rejects with its error, and sendFile throws not_in_room', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ann: { load: code.load } });
    const ann = net.member('ann').exchange;
    const t = ann.sendFile(randomFile(4000).blob);
    ann.close(new HuddleError('not_in_room', 'the room was left'));
    expect((await rejection(t.done)).code).toBe('not_in_room');
    expect(() => ann.sendFile(randomFile(1).blob)).toThrow(expect.objectContaining({ code: 'not_in_room' }));
    await code.arrive();
    await net.settle();
    expect(net.log).toEqual([]);
  });

  it('leaves the app its own delivery receipts', () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ann: { load: code.load } });
    net.member('ann').exchange.sendFile(randomFile(10).blob);
    expect(net.member('ann').exchange.onDelivered('ben', 12345)).toBe(false);
  });
});

describe('a file code that cannot load', () => {
  it('ends the transfers waiting for it with a clear error; the next sendFile tries again', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ann: { load: code.load } });
    const ann = net.member('ann').exchange;
    const t = ann.sendFile(randomFile(4000).blob);
    const progress: FileSendProgress[] = [];
    t.on('progress', (p) => progress.push(p));
    await code.fail();
    const error = await rejection(t.done);
    expect(error.code).toBe('server_unreachable');
    expect(error.message).toMatch(/could not load huddle's file transfer code: TypeError: Failed to fetch/);
    expect(progress).toEqual([]);

    const again = ann.sendFile(randomFile(4000).blob);
    expect(code.calls).toHaveLength(2);
    await code.arrive();
    await net.settle();
    expect((await again.done).delivered).toEqual(['ben']);
  });
});

describe('file messages that arrive before the file code', () => {
  it('wait, in order, and are handled when it arrives: the file is complete', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ben: { load: code.load } });
    const { blob, bytes } = randomFile(20_000);
    const t = net.member('ann').exchange.sendFile(blob, { name: 'early' });
    // The sender does not wait for Ben's code: every chunk is delivered (and acknowledged by the
    // core) while it loads.
    await net.settle();
    expect(net.fileMessages('chunk')).toHaveLength(20);
    expect(code.calls).toHaveLength(1); // the offer started the load
    expect(net.member('ben').incoming).toEqual([]);

    await code.arrive();
    await net.settle();
    const [incoming] = net.member('ben').incoming;
    expect(incoming.name).toBe('early');
    expect(await bytesOf(await incoming.blob())).toEqual(bytes);
    expect((await t.done).delivered).toEqual(['ben']);
  });

  it('are bounded: a chunk that does not fit is dropped, and its transfer ends on both sides', async () => {
    const code = controlledLoad();
    // Room for the offer and five 1 KiB chunks (1368 characters of base64 each).
    const net = new FileNet(['ann', 'ben'], TUNING, { ben: { load: code.load, maxQueuedBytes: 5 * 1368 } });
    const t = net.member('ann').exchange.sendFile(randomFile(20_000).blob);
    await net.settle();
    await code.arrive();
    await net.settle();
    const received = await rejection(net.member('ben').incoming[0].blob());
    expect([received.code, received.message]).toEqual(['file_cancelled', 'file from ann came faster than this page could take it']);
    const sent = await rejection(t.done);
    expect([sent.code, sent.message]).toEqual(['file_cancelled', 'ben is receiving too much at once']);
    // The chunks that fitted were handled, in order, before it ended.
    expect(net.fileMessages('refuse').map((w) => (w.data as { reason: string }).reason)).toEqual(['busy']);
  });

  it('with a code that cannot load, are dropped; the sender is told once it loads', async () => {
    const code = controlledLoad();
    const net = new FileNet(['ann', 'ben'], TUNING, { ben: { load: code.load } });
    const ann = net.member('ann').exchange;
    const t = ann.sendFile(randomFile(2000).blob);
    await net.settle((w) => fileOp(w) === 'offer');
    await code.fail();
    await net.settle(); // the chunks start another load
    expect(code.calls).toHaveLength(2);
    await code.arrive();
    await net.settle();
    expect(net.member('ben').incoming).toEqual([]);
    expect((await rejection(t.done)).code).toBe('file_cancelled'); // "no longer knows this transfer"
  });
});

describe('what the file code is handed', () => {
  it('errors are the HuddleError of the library that made the exchange, one per copy of the library', async () => {
    // Two copies of huddle.js on one page (two URLs) share the chunk: each exchange keeps its own.
    class AnnError extends HuddleError {}
    class BenError extends HuddleError {}
    const net = new FileNet(['ann', 'ben'], TUNING, {}, {
      ann: { ...FILE_DEPS, HuddleError: AnnError },
      ben: { ...FILE_DEPS, HuddleError: BenError },
    });
    const ann = net.member('ann').exchange;
    const cancelled = ann.sendFile(randomFile(10).blob);
    cancelled.cancel();
    const own = await rejection(cancelled.done);
    expect([own.code, own instanceof AnnError]).toEqual(['file_cancelled', true]);
    expect(() => ann.sendFile(randomFile(1).blob, { to: 'zed' })).toThrow(HuddleError); // planFile: the library's own

    const refused = ann.sendFile(randomFile(5000).blob);
    await net.settle((w) => fileOp(w) === 'offer');
    net.member('ben').incoming[0].cancel();
    const theirs = await rejection(net.member('ben').incoming[0].blob());
    expect([theirs.code, theirs instanceof BenError, theirs instanceof AnnError]).toEqual(['file_cancelled', true, false]);
    await net.settle();
    const sent = await rejection(refused.done);
    expect([sent.code, sent instanceof AnnError]).toEqual(['file_cancelled', true]);
  });
});
