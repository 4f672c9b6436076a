// @vitest-environment node
// Room expiry through the facade, with the real Wasm client and a real huddle-server started with
// a short --room-idle-ms: a room whose members' apps send nothing is closed (each member sees
// room_expired and goes offline, and the code is gone), while a room whose app keeps sending stays
// open past several timeouts: its client reports activity with pings, as the server announced.
import { afterEach, describe, expect, it } from 'vitest';
import { createRoom, joinRoom, type HuddleError, type Room } from '../../../web/src/lib';
import { rejection, startServer, until, useRealWasm, type RunningServer } from './wasm_env';

useRealWasm();
const IDLE_MS = 800;
const servers: RunningServer[] = [];
const rooms: Room[] = [];
const timers: ReturnType<typeof setInterval>[] = [];

afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  for (const room of rooms.splice(0)) room.leave();
  for (const s of servers.splice(0)) await s.stop();
});

async function serve(): Promise<RunningServer> {
  const s = await startServer(['--room-idle-ms', String(IDLE_MS)]);
  servers.push(s);
  return s;
}

const options = (server: RunningServer) => ({ server: server.origin, reconnectInitialMs: 50, reconnectMaxMs: 200 });

async function pair(server: RunningServer): Promise<{ ann: Room; ben: Room; errors: HuddleError[] }> {
  const ann = await createRoom({ ...options(server), name: 'Ann' });
  rooms.push(ann);
  const ben = await joinRoom({ ...options(server), code: ann.code, name: 'Ben' });
  rooms.push(ben);
  const errors: HuddleError[] = [];
  for (const room of [ann, ben]) room.on('error', (e) => errors.push(e));
  return { ann, ben, errors };
}

describe('room expiry', () => {
  it('closes a room nobody sends in, and tells every member', async () => {
    const server = await serve();
    const { ann, ben, errors } = await pair(server);
    await until(() => ann.status() === 'offline' && ben.status() === 'offline', 'both members to be closed out', 4 * IDLE_MS);
    expect(errors.map((e) => e.code)).toEqual(['room_expired', 'room_expired']);
    expect(errors[0].message).toMatch(/nobody was active in it/);
    const late = await rejection(joinRoom({ ...options(server), code: ann.code, name: 'Cy' }));
    expect(late.code).toBe('room_not_found');
  });

  it('keeps a room open for as long as one member’s app sends', async () => {
    const server = await serve();
    const { ann, ben, errors } = await pair(server);
    timers.push(setInterval(() => ann.send({ tick: Date.now() }), 100));
    await new Promise((resolve) => setTimeout(resolve, 3 * IDLE_MS) /* three timeouts */);
    expect(errors).toEqual([]);
    expect([ann.status(), ben.status()]).toEqual(['in_room', 'in_room']);
  });
});
