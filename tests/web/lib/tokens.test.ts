// @vitest-environment node
// Signed join tokens through the facade, with the real Wasm client and a real huddle-server
// started with --auth-secret (issue 13, hole 6): joinRoom({ token }) alone joins the token's room
// as its id and name, and a second page with the same token (a new tab: no resume token) takes
// the place over instead of getting peer_id_taken.
import { afterEach, describe, expect, it } from 'vitest';
import { joinRoom, type Room } from '../../../web/src/lib';
import { joinToken } from '../../support/join_token';
import { rejection, startServer, until, useRealWasm, type RunningServer } from './wasm_env';

useRealWasm();
const SECRET = 'vitest-secret-that-is-at-least-32-bytes';
const servers: RunningServer[] = [];
const rooms: Room[] = [];

afterEach(async () => {
  for (const room of rooms.splice(0)) room.leave();
  for (const s of servers.splice(0)) await s.stop();
});

async function serve(): Promise<RunningServer> {
  const s = await startServer(['--auth-secret', SECRET, '--member-grace-ms', '5000']);
  servers.push(s);
  return s;
}

async function join(server: RunningServer, token: string): Promise<Room> {
  const room = await joinRoom({ server: server.origin, token, reconnectInitialMs: 50, reconnectMaxMs: 200 });
  rooms.push(room);
  return room;
}

describe('join tokens', () => {
  it('joins the token’s room as its id and name, with nothing else given', async () => {
    const server = await serve();
    const room = await join(server, joinToken(SECRET, { room: 'standup-42', peer: 'user_42', name: 'Ann' }));
    expect(room.code).toBe('standup-42');
    expect(room.selfId).toBe('user_42');
    expect(room.peers().map((p) => p.name)).toEqual(['Ann']);
  });

  it('lets a second tab with the token take the place over from the open one', async () => {
    const server = await serve();
    const token = joinToken(SECRET, { room: 'standup-42', peer: 'user_42', name: 'Ann' });
    const ben = await join(server, joinToken(SECRET, { room: 'standup-42', peer: 'ben', name: 'Ben' }));
    const first = await join(server, token);
    await until(() => ben.peers().length === 2, 'Ben to see Ann');
    const second = await join(server, token);
    expect(second.selfId).toBe('user_42');
    await until(() => first.status() === 'offline', 'the first tab to stop (session_replaced)');
    expect(second.peers().map((p) => p.id)).toEqual(['ben', 'user_42']);
  });

  it('is token_required for a named room without a token', async () => {
    const server = await serve();
    const err = await rejection(joinRoom({ server: server.origin, code: 'standup-42', name: 'Eve', create: true }));
    expect(err.code).toBe('token_required');
  });
});
