// @vitest-environment node
// room.sendFile through the real Wasm client and a real huddle-server, in a relay-only room (Node
// has no WebRTC): chunks travel as relay frames, file messages never reach the app's `message`
// or `delivered` events, and the app cannot forge them.
import { describe, expect, it } from 'vitest';
import type { IncomingFile, ReceivedMessage } from '../../../web/src/lib';
import { bytesOf, randomFile, rejection } from './file_net';
import { until, useServerAndRooms } from './wasm_env';

const { relayRoom } = useServerAndRooms();

// Rooms, the Wasm module and a few relay frames (40 a second): more than Vitest's default 5 s when
// the machine is busy.
const SLOW = 20_000;

describe('sendFile over the relay', () => {
  it('reaches both other members intact; the app sees no file message or receipt', async () => {
    const [ann, ben, cat] = await relayRoom('Ann', 'Ben', 'Cat');
    const appMessages: ReceivedMessage[] = [];
    const receipts: number[] = [];
    const incoming: IncomingFile[] = [];
    for (const room of [ben, cat]) {
      room.on('message', (m) => appMessages.push(m));
      room.on('file', (f) => incoming.push(f));
    }
    ann.on('delivered', (_peer, id) => receipts.push(id));
    const { blob, bytes } = randomFile(150_000);
    const transfer = ann.sendFile(blob, { name: 'data.bin' });
    const chat = ann.send({ text: 'after the file' });
    const progress: number[] = [];
    transfer.on('progress', (p) => progress.push(p.sent));

    const sent = await transfer.done;
    expect(sent).toEqual({ delivered: [ben.selfId, cat.selfId], failed: [] });
    expect(incoming.map((f) => [f.from, f.name, f.size])).toEqual([
      [ann.selfId, 'data.bin', 150_000],
      [ann.selfId, 'data.bin', 150_000],
    ]);
    for (const f of incoming) expect(await bytesOf(await f.blob())).toEqual(bytes);
    expect(progress.at(-1)).toBe(150_000);
    await until(() => appMessages.length === 2 && receipts.length === 2, 'the chat message and its receipts');
    expect(appMessages.map((m) => m.data)).toEqual([{ text: 'after the file' }, { text: 'after the file' }]);
    expect(receipts).toEqual([chat, chat]);
  }, SLOW);

  it('refuses app data that uses the reserved key, and does not hand it on', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    expect(() => ann.send({ $huddle: 'file', op: 'offer' })).toThrow(expect.objectContaining({ code: 'data_invalid' }));
    expect(() => ann.sendTo(ben.selfId, { $huddle: 'x' })).toThrow(expect.objectContaining({ code: 'data_invalid' }));
    // Nested deeper it is ordinary data.
    expect(() => ann.send({ wrapped: { $huddle: 'file' } })).not.toThrow();
  }, SLOW);

  it('a recipient leaving mid-transfer does not hold done up', async () => {
    const [ann, ben, cat] = await relayRoom('Ann', 'Ben', 'Cat');
    ben.on('file', () => {});
    let catLeft = false;
    cat.on('file', (f) => {
      f.on('progress', () => {
        if (catLeft) return;
        catLeft = true;
        cat.leave();
      });
    });
    const transfer = ann.sendFile(randomFile(400_000).blob);
    const sent = await transfer.done;
    expect(sent.delivered).toEqual([ben.selfId]);
    expect(sent.failed.map((f) => [f.peerId, f.error.code])).toEqual([[cat.selfId, 'peer_not_in_room']]);
  }, SLOW);

  it('cancelling on the receiving side rejects both ends with file_cancelled', async () => {
    const [ann, ben] = await relayRoom('Ann', 'Ben');
    let incoming: IncomingFile | null = null;
    ben.on('file', (f) => {
      incoming = f;
      f.on('progress', () => f.cancel());
    });
    const transfer = ann.sendFile(randomFile(400_000).blob);
    expect((await rejection(transfer.done)).code).toBe('file_cancelled');
    expect((await rejection(incoming!.blob())).code).toBe('file_cancelled');
  }, SLOW);
});
