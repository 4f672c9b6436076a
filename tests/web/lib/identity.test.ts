// @vitest-environment node
// Identity and resilience through the facade, with the real Wasm client and real huddle-server
// processes: rooms by name, peer ids you choose, and coming back after the server dies.
import { afterEach, describe, expect, it } from 'vitest';
import { HuddleError, joinRoom, type Room, type SessionStatus } from '../../../web/src/lib';
import { startServer, until, useRealWasm, withRecordedSockets, type RunningServer } from './wasm_env';

useRealWasm();
const servers: RunningServer[] = [];
const rooms: Room[] = [];

afterEach(async () => {
  for (const room of rooms.splice(0)) room.leave();
  for (const s of servers.splice(0)) await s.stop();
});

async function serve(args: string[] = []): Promise<RunningServer> {
  const s = await startServer(args);
  servers.push(s);
  return s;
}

async function join(server: RunningServer, options: Partial<Parameters<typeof joinRoom>[0]>): Promise<Room> {
  const room = await joinRoom({ server: server.origin, code: 'session_123', name: 'Ann', create: true,
    reconnectInitialMs: 50, reconnectMaxMs: 200, ...options });
  rooms.push(room);
  return room;
}

describe('rooms by name', () => {
  it('creates the room on first join and lets the next member in', async () => {
    const server = await serve();
    const ann = await join(server, { name: 'Ann' });
    const ben = await join(server, { name: 'Ben' });
    expect(ann.code).toBe('session_123');
    expect(ben.code).toBe('session_123');
    expect(ben.peers().map((p) => p.name)).toEqual(['Ann', 'Ben']);
    expect(ben.shareUrl).toBe(`${server.origin}/r/session_123`);
  });

  it('is room_not_found without create', async () => {
    const server = await serve();
    await expect(join(server, { create: false })).rejects.toMatchObject({ code: 'room_not_found' });
  });
});

describe('peer ids', () => {
  it('gives you the id you ask for', async () => {
    const server = await serve();
    const room = await join(server, { peerId: 'peer_456' });
    expect(room.selfId).toBe('peer_456');
    expect(room.peers()[0].id).toBe('peer_456');
  });

  it('refuses an id a live member holds with peer_id_taken, and a malformed one with invalid_peer_id', async () => {
    const server = await serve();
    await join(server, { peerId: 'peer_456' });
    const taken = await join(server, { peerId: 'peer_456', name: 'Ben' }).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(HuddleError);
    expect((taken as HuddleError).code).toBe('peer_id_taken');
    await expect(join(server, { peerId: 'no spaces', name: 'Cy' })).rejects.toMatchObject({ code: 'invalid_peer_id' });
  });
});

describe('a page that moves on', () => {
  it('may join another room with its id while its old place is still held, and leaves the old one', async () => {
    const server = await serve();
    // Every socket, so Ann's tab can "close" without a goodbye (its place is then held for her).
    const { result: ann, sockets } = await withRecordedSockets(() => join(server, { peerId: 'ann_1', code: 'lobby_1', reconnectAttempts: 0 }));
    const ben = await join(server, { name: 'Ben', code: 'lobby_1' });
    await until(() => ann.peers().length === 2, 'Ann to see Ben');
    const token = ann.resumeToken();
    const left: [string, string][] = [];
    ben.on('peerLeave', (id, reason) => left.push([id, reason]));
    sockets[0].terminate();
    await until(() => ben.peers().some((p) => p.id === 'ann_1' && p.away), 'Ann away for Ben');
    // A new page of Ann's (same id and token: a site that reuses its users' ids) goes to a match.
    const match = await join(server, { peerId: 'ann_1', resumeToken: token, code: 'match_1' });
    expect(match.code).toBe('match_1');
    expect(match.selfId).toBe('ann_1');
    await until(() => left.length === 1, 'Ben to see Ann leave the lobby');
    expect(left).toEqual([['ann_1', 'left']]);
    expect(ben.peers().map((p) => p.id)).not.toContain('ann_1');
  });
});

describe('when the server dies', () => {
  it('reconnects to the restarted server with the same peer id and room', async () => {
    const first = await serve();
    const port = new URL(first.origin).port;
    const ann = await join(first, { name: 'Ann' });
    const ben = await join(first, { name: 'Ben' });
    const annStatus: SessionStatus[] = [];
    ann.on('status', (s) => annStatus.push(s));
    const annId = ann.selfId;
    const benId = ben.selfId;
    // Ben's join resolves on his room_joined; Ann hears of him a moment later (peer_joined), and a
    // server killed in between never tells her.
    await until(() => ann.peers().length === 2, 'Ann to see Ben');

    await first.kill();
    await until(() => ann.status() === 'reconnecting' && ben.status() === 'reconnecting', 'both reconnecting');
    expect(ann.peers().length).toBe(2); // the room outlives the connection
    const second = await serve(['--port', port]);
    await until(() => ann.status() === 'in_room' && ben.status() === 'in_room', 'both back in the room', 10000);

    expect(ann.selfId).toBe(annId);
    expect(ben.selfId).toBe(benId);
    await until(() => ann.peers().every((p) => !p.away) && ann.peers().length === 2, 'Ben back in Ann’s list');
    expect(annStatus).toEqual(['reconnecting', 'in_room']);
    const health = await second.health();
    expect(health.members).toBe(2);
    expect(health.rooms).toBe(1);
  });

  it('gives up with server_unreachable after the configured attempts', async () => {
    const server = await serve();
    const ann = await join(server, { reconnectAttempts: 2, reconnectInitialMs: 20, reconnectMaxMs: 40 });
    const errors: HuddleError[] = [];
    ann.on('error', (e) => errors.push(e));
    await server.kill();
    await until(() => ann.status() === 'offline', 'offline', 5000);
    expect(errors.map((e) => e.code)).toEqual(['server_unreachable']);
    expect(ann.peers()).toEqual([]);
  });
});
