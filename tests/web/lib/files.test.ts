// @vitest-environment node
// File transfer (web/src/lib/files.ts and its parts) between FileExchanges on a simulated network
// (file_net.ts): chunking, windows paced by receipts, progress, cancelling from either side,
// damaged and hostile messages, members leaving, stalls. WebCrypto and Blob are Node's own.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FILE_STALL_MS, MAX_FILE_BYTES, MAX_FILES_PER_SENDER } from '../../../web/src/lib/file_limits';
import { toBase64 } from '../../../web/src/lib/base64';
import { fileEnvelope, MAX_CHUNK_BYTES, sha256Hex } from '../../../web/src/lib/file_wire';
import { DEFAULT_FILE_TUNING, type FileTuning } from '../../../web/src/lib/files';
import { LIBRARY_KEY } from '../../../web/src/lib/library_key';
import { MAX_APP_DATA_BYTES } from '../../../web/src/generated/core';
import { HuddleError, type FileReceiveProgress, type FileSendProgress, type Json } from '../../../web/src/lib/types';
import { bytesOf, FileNet, fileOp, randomFile, rejection, tooLargeFile, type Wire } from './file_net';

const TUNING: FileTuning = { chunkBytes: 1024, directWindow: 4, relayWindow: 2, stallMs: 60_000 };

afterEach(() => {
  vi.useRealTimers();
});

const chunksTo = (net: FileNet, to: string) => net.fileMessages('chunk', undefined, to);
const onWire = (to: string, op: string) => (w: Wire) => w.to === to && fileOp(w) === op;

describe('sending a file', () => {
  it('reaches every other member in chunks, byte for byte, and done names who has it', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    const { blob, bytes } = randomFile(10_000, 'image/png');
    const transfer = net.member('ann').exchange.sendFile(new File([blob], 'photo.png', { type: 'image/png' }));
    expect(transfer.to).toEqual(['ben', 'cat']);
    expect([transfer.name, transfer.size, transfer.type]).toEqual(['photo.png', 10_000, 'image/png']);
    await net.settle();

    for (const id of ['ben', 'cat']) {
      const [incoming] = net.member(id).incoming;
      expect([incoming.id, incoming.from, incoming.name, incoming.size, incoming.type]).toEqual([
        transfer.id, 'ann', 'photo.png', 10_000, 'image/png',
      ]);
      const got = await incoming.blob();
      expect(got.type).toBe('image/png');
      expect(await bytesOf(got)).toEqual(bytes);
      // 10 000 bytes in 1 KiB chunks: 10 chunks, the last one short.
      expect(chunksTo(net, id).map((w) => (w.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    expect(await transfer.done).toEqual({ delivered: ['ben', 'cat'], failed: [] });
    net.expectQueuesNeverFull();
  });

  it('sends to one member with `to`, and names a Blob "file" unless told', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(3000).blob, { to: 'cat' });
    const named = net.member('ann').exchange.sendFile(randomFile(10).blob, { to: 'cat', name: '../../etc/pass\u202ewd' });
    await net.settle();
    expect(t.name).toBe('file');
    expect(named.name).toBe('passwd');
    expect(net.member('ben').incoming).toEqual([]);
    expect(net.member('cat').incoming.map((f) => f.name)).toEqual(['file', 'passwd']);
    expect((await t.done).delivered).toEqual(['cat']);
  });

  it('has every chunk of the default size fit one app message', async () => {
    const net = new FileNet(['ann', 'ben'], { ...DEFAULT_FILE_TUNING, stallMs: FILE_STALL_MS });
    const { blob, bytes } = randomFile(3 * MAX_CHUNK_BYTES + 5);
    const t = net.member('ann').exchange.sendFile(blob);
    await net.settle();
    const sizes = net.log.map((w) => new TextEncoder().encode(JSON.stringify(w.data)).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_APP_DATA_BYTES);
    expect(Math.max(...sizes)).toBeGreaterThan(MAX_APP_DATA_BYTES - 1024); // and uses most of it
    expect(await bytesOf(await net.member('ben').incoming[0].blob())).toEqual(bytes);
    await t.done;
  });

  it('sends a file of no bytes', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const t = net.member('ann').exchange.sendFile(new Blob([]));
    await net.settle();
    expect((await net.member('ben').incoming[0].blob()).size).toBe(0);
    expect(await t.done).toEqual({ delivered: ['ben'], failed: [] });
  });

  it('throws before sending anything: too large, not a member, nobody else, not a Blob', () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const ann = net.member('ann').exchange;
    expect(() => ann.sendFile(tooLargeFile())).toThrow(expect.objectContaining({ code: 'file_too_large' }));
    expect(() => ann.sendFile(new Blob(['x']), { to: 'zed' })).toThrow(expect.objectContaining({ code: 'peer_not_in_room' }));
    expect(() => ann.sendFile(new Blob(['x']), { to: 'ann' })).toThrow(expect.objectContaining({ code: 'peer_not_in_room' }));
    expect(() => ann.sendFile('text' as unknown as Blob)).toThrow(expect.objectContaining({ code: 'data_invalid' }));
    const alone = new FileNet(['ann'], TUNING);
    expect(() => alone.member('ann').exchange.sendFile(new Blob(['x']))).toThrow(expect.objectContaining({ code: 'peer_not_in_room' }));
    expect(net.log).toEqual([]);
    // A file exactly at the cap is fine.
    expect(MAX_FILE_BYTES).toBe(64 * 1024 * 1024);
  });
});

describe('pacing on delivery receipts', () => {
  it('keeps at most a window of chunks unacknowledged per recipient, and goes on as receipts come', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    net.heldReceipts.add('ann>ben');
    const t = net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle();
    // A window of 4 messages: the offer and 3 chunks, then nothing until receipts come.
    expect(chunksTo(net, 'ben')).toHaveLength(3);
    expect(net.member('ann').unacked.get('ben')).toBe(4);
    net.releaseReceipts('ann>ben');
    await net.settle();
    expect(chunksTo(net, 'ben')).toHaveLength(20);
    expect(Math.max(...net.member('ann').mostUnacked.values())).toBe(4);
    await t.done;
  });

  it('uses the smaller relay window for a member reached through the server', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    net.member('ann').transports.set('cat', 'relay');
    net.heldReceipts.add('ann>ben');
    net.heldReceipts.add('ann>cat');
    net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle();
    expect(chunksTo(net, 'ben')).toHaveLength(TUNING.directWindow - 1); // and the offer
    expect(chunksTo(net, 'cat')).toHaveLength(TUNING.relayWindow - 1);
  });

  it('never throws send_queue_full: when the app has filled the queue, it waits for room', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    net.queueCap = 6;
    // The app's own messages, stuck (no receipts yet), leave room for only one more.
    net.heldReceipts.add('ann>ben');
    for (let i = 0; i < 5; i++) net.sendApp('ann', 'ben', `chat ${i}`);
    const t = net.member('ann').exchange.sendFile(randomFile(8 * 1024).blob);
    await net.settle();
    expect(net.fileMessages('offer')).toHaveLength(1);
    expect(chunksTo(net, 'ben')).toHaveLength(0);
    net.releaseReceipts('ann>ben');
    await net.settle();
    expect(chunksTo(net, 'ben')).toHaveLength(8);
    expect((await t.done).delivered).toEqual(['ben']);
  });

  it('sends one file at a time to each member, in the order they were sent', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const first = net.member('ann').exchange.sendFile(randomFile(4096).blob, { name: 'first' });
    const second = net.member('ann').exchange.sendFile(randomFile(4096).blob, { name: 'second' });
    await net.settle((w) => fileOp(w) === 'offer' || fileOp(w) === 'chunk');
    // Ben has all of the first file but has not confirmed it: the second is not offered yet.
    expect(net.fileMessages('offer').map((w) => (w.data as { name: string }).name)).toEqual(['first']);
    await net.settle();
    expect(net.fileMessages('offer').map((w) => (w.data as { name: string }).name)).toEqual(['first', 'second']);
    await Promise.all([first.done, second.done]);
  });
});

describe('progress', () => {
  it('reports the slowest recipient on the sending side and every chunk on the receiving side', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    const sent: FileSendProgress[] = [];
    const t = net.member('ann').exchange.sendFile(randomFile(5000).blob);
    t.on('progress', (p) => sent.push(p));
    const received: FileReceiveProgress[] = [];
    // Ben gets everything; Cat only its offer for now.
    await net.settle((w) => w.to === 'ben' || fileOp(w) === 'offer');
    net.member('cat').incoming[0].on('progress', (p) => received.push(p));
    expect(sent).toEqual([]); // Cat has nothing yet: the slowest counts
    await net.settle();
    expect(received).toEqual([1024, 2048, 3072, 4096, 5000].map((n) => ({ received: n, total: 5000 })));
    expect(sent.map((p) => p.sent)).toEqual([1024, 2048, 3072, 4096, 5000]);
    expect(sent.every((p) => p.total === 5000)).toBe(true);
    await t.done;
  });
});

describe('cancelling', () => {
  it('by the sender: done rejects, every recipient sees file_cancelled, no more chunks go', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(50 * 1024).blob);
    await net.settle((w) => fileOp(w) === 'offer');
    t.cancel();
    expect((await rejection(t.done)).code).toBe('file_cancelled');
    const chunksBefore = net.fileMessages('chunk').length;
    await net.settle();
    expect(net.fileMessages('chunk')).toHaveLength(chunksBefore);
    expect(net.fileMessages('cancel').map((w) => w.to)).toEqual(['ben', 'cat']);
    for (const id of ['ben', 'cat']) expect((await rejection(net.member(id).incoming[0].blob())).code).toBe('file_cancelled');
    // Late chunks of the cancelled transfer are not answered as unknown.
    expect(net.fileMessages('refuse')).toEqual([]);
  });

  it('by a recipient: the others still get it; done reports who cancelled', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(50 * 1024).blob);
    await net.settle(onWire('ben', 'offer'));
    net.member('ben').incoming[0].cancel();
    expect((await rejection(net.member('ben').incoming[0].blob())).code).toBe('file_cancelled');
    await net.settle();
    const done = await t.done;
    expect(done.delivered).toEqual(['cat']);
    expect(done.failed.map((f) => [f.peerId, f.error.code])).toEqual([['ben', 'file_cancelled']]);
    // Ann stopped sending to Ben once she heard (a window's worth may have been on the way).
    expect(chunksTo(net, 'ben').length).toBeLessThanOrEqual(TUNING.directWindow * 2);
  });

  it('by the only recipient: done rejects with file_cancelled', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(50 * 1024).blob);
    await net.settle(onWire('ben', 'offer'));
    net.member('ben').incoming[0].cancel();
    await net.settle();
    expect((await rejection(t.done)).code).toBe('file_cancelled');
  });

  it('is refused when nothing listens for files', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    net.member('ben').listening = false;
    const t = net.member('ann').exchange.sendFile(randomFile(4096).blob);
    await net.settle();
    expect(net.fileMessages('refuse').map((w) => (w.data as { reason: string }).reason)).toEqual(['declined']);
    expect((await rejection(t.done)).code).toBe('file_cancelled');
  });
});

describe('damage and hostile peers', () => {
  async function offerFrom(net: FileNet, bytes: Uint8Array<ArrayBuffer>, fields: Record<string, Json> = {}) {
    const offer = {
      op: 'offer' as const, id: 'HOSTILE-0000001', name: 'x.bin', size: bytes.length, type: '', chunk: 1024,
      sha256: await sha256Hex(bytes), ...fields,
    };
    net.send(net.member('mal'), 'ben', fileEnvelope(offer as never, LIBRARY_KEY));
    await net.settle();
  }
  const chunk = (net: FileNet, i: number, d: string, id = 'HOSTILE-0000001') =>
    net.send(net.member('mal'), 'ben', fileEnvelope({ op: 'chunk', id, i, d }, LIBRARY_KEY));

  it('rejects a file whose bytes do not match its SHA-256 (file_corrupt on both sides)', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(4000).blob);
    await net.settle(onWire('ben', 'offer'));
    // Flip the first byte of the second chunk on its way (same length, valid base64).
    const w = net.wire.find((x) => fileOp(x) === 'chunk' && (x.data as { i: number }).i === 1)!;
    const d = (w.data as { d: string }).d;
    (w.data as { d: string }).d = (d[0] === 'A' ? 'B' : 'A') + d.slice(1);
    await net.settle();
    expect((await rejection(net.member('ben').incoming[0].blob())).code).toBe('file_corrupt');
    expect((await rejection(t.done)).code).toBe('file_corrupt');
  });

  it('ends a transfer whose chunks are out of order, the wrong size or not base64', async () => {
    for (const bad of [
      (net: FileNet) => chunk(net, 1, toBase64(new Uint8Array(1024))), // index 1 where 0 is due
      (net: FileNet) => chunk(net, 0, toBase64(new Uint8Array(1000))), // short
      (net: FileNet) => chunk(net, 0, '!'.repeat(1368)), // right length, not base64
    ]) {
      const net = new FileNet(['mal', 'ben'], TUNING);
      await offerFrom(net, new Uint8Array(2048));
      bad(net);
      await net.settle();
      expect((await rejection(net.member('ben').incoming[0].blob())).code).toBe('file_corrupt');
      expect(net.fileMessages('refuse', 'ben').map((w) => (w.data as { reason: string }).reason)).toEqual(['corrupt']);
    }
  });

  it('ignores malformed offers, and refuses ones over the cap', async () => {
    const net = new FileNet(['mal', 'ben'], TUNING);
    const bytes = new Uint8Array(10);
    const malformed: Record<string, Json>[] = [
      { size: -1 }, { size: 1.5 }, { size: '10' }, { chunk: 10 }, { chunk: 1e9 }, { sha256: 'abc' },
      { id: 'short' }, { id: 'bad id with spaces' }, { name: 42 }, { op: 'offer!' },
    ];
    for (const fields of malformed) {
      await offerFrom(net, bytes, fields);
    }
    expect(net.member('ben').incoming).toEqual([]);
    expect(net.fileMessages('refuse')).toEqual([]);
    await offerFrom(net, bytes, { size: MAX_FILE_BYTES + 1, id: 'HOSTILE-TOO-BIG' });
    expect(net.fileMessages('refuse').map((w) => (w.data as { reason: string }).reason)).toEqual(['too_large']);
    expect(net.member('ben').incoming).toEqual([]);
  });

  it('refuses offers past the per-sender limit, and answers unknown chunks once', async () => {
    const net = new FileNet(['mal', 'ben'], TUNING);
    for (let i = 0; i < MAX_FILES_PER_SENDER + 2; i++) await offerFrom(net, new Uint8Array(10), { id: `HOSTILE-OFFER-${i}` });
    expect(net.member('ben').incoming).toHaveLength(MAX_FILES_PER_SENDER);
    expect(net.fileMessages('refuse').map((w) => (w.data as { reason: string }).reason)).toEqual(['busy', 'busy']);
    chunk(net, 0, 'AAAA', 'HOSTILE-NEVER-OFFERED');
    chunk(net, 1, 'AAAA', 'HOSTILE-NEVER-OFFERED');
    await net.settle();
    expect(net.fileMessages('refuse').map((w) => (w.data as { reason: string }).reason)).toEqual(['busy', 'busy', 'unknown']);
  });

  it('ignores a repeated offer, and verdicts from members the file was not sent to', async () => {
    const net = new FileNet(['ann', 'ben', 'mal'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(4096).blob, { to: 'ben' });
    net.send(net.member('mal'), 'ann', fileEnvelope({ op: 'refuse', id: t.id, reason: 'corrupt' }, LIBRARY_KEY));
    net.send(net.member('mal'), 'ann', fileEnvelope({ op: 'received', id: t.id }, LIBRARY_KEY));
    await net.settle();
    expect(await t.done).toEqual({ delivered: ['ben'], failed: [] });
    const offer = net.fileMessages('offer')[0];
    net.send(net.member('ann'), 'ben', offer.data);
    await net.settle();
    expect(net.member('ben').incoming).toHaveLength(1);
  });
});

describe('members leaving and stalls', () => {
  it('a recipient leaving mid-transfer: done resolves with those who got it', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle(onWire('cat', 'offer'));
    net.leave('cat');
    await net.settle();
    const done = await t.done;
    expect(done.delivered).toEqual(['ben']);
    expect(done.failed.map((f) => [f.peerId, f.error.code])).toEqual([['cat', 'peer_not_in_room']]);
  });

  it('the only recipient leaving: done rejects with peer_not_in_room', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const t = net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle(onWire('ben', 'offer'));
    net.leave('ben');
    expect((await rejection(t.done)).code).toBe('peer_not_in_room');
  });

  it('the sender leaving: every incoming copy rejects with peer_not_in_room', async () => {
    const net = new FileNet(['ann', 'ben', 'cat'], TUNING);
    net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle((w) => fileOp(w) === 'offer');
    net.leave('ann');
    for (const id of ['ben', 'cat']) expect((await rejection(net.member(id).incoming[0].blob())).code).toBe('peer_not_in_room');
  });

  it('leaving the room ends every transfer both ways with not_in_room', async () => {
    const net = new FileNet(['ann', 'ben'], TUNING);
    const out = net.member('ben').exchange.sendFile(randomFile(20 * 1024).blob);
    net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle((w) => fileOp(w) === 'offer');
    const error = { code: 'not_in_room' };
    net.member('ben').exchange.close(new HuddleError('not_in_room', 'left'));
    expect(await rejection(out.done)).toMatchObject(error);
    expect(await rejection(net.member('ben').incoming[0].blob())).toMatchObject(error);
    expect(() => net.member('ben').exchange.sendFile(new Blob(['x']))).toThrow(expect.objectContaining(error));
  });

  it('a recipient that acknowledges nothing for FILE_STALL_MS ends as file_stalled on both sides', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const net = new FileNet(['ann', 'ben'], { ...TUNING, stallMs: 1000 });
    const t = net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle(onWire('ben', 'offer'));
    net.heldReceipts.add('ann>ben');
    await net.settle((w) => fileOp(w) === 'chunk');
    vi.advanceTimersByTime(900);
    expect(net.fileMessages('cancel')).toEqual([]);
    vi.advanceTimersByTime(200);
    expect((await rejection(t.done)).code).toBe('file_stalled');
    await net.settle();
    expect((await rejection(net.member('ben').incoming[0].blob())).code).toBe('file_stalled');
  });

  it('a sender that goes quiet ends as file_stalled for the recipient', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const net = new FileNet(['ann', 'ben'], { ...TUNING, stallMs: 1000 });
    net.member('ann').exchange.sendFile(randomFile(20 * 1024).blob);
    await net.settle(onWire('ben', 'offer'));
    const incoming = net.member('ben').incoming[0];
    net.wire.length = 0; // everything after the offer is lost (the sender's page froze)
    vi.advanceTimersByTime(1100);
    expect((await rejection(incoming.blob())).code).toBe('file_stalled');
    expect(net.fileMessages('refuse', 'ben').map((w) => (w.data as { reason: string }).reason)).toEqual(['stalled']);
  });
});
