// @vitest-environment node
// Room passwords against a real huddle-server (docs/protocol.md "Room passwords"): a room created
// with one is entered only with it, a wrong one is wrong_password, counted on /metrics and as a
// failed join of its address (so guessing meets the backoff), one address's guessing holds up no
// other. Clients come from several 127.0.0.x addresses (all loopback on Linux).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../support/huddle_server.mjs';
import { connect, type RawClient } from '../../support/raw_client';

// 6 a minute with bursts of 40 s of it: 4 failed joins at once, then one every 10 s.
const FAILED_JOIN_BURST = 4;

async function greeted(server: RunningServer, address: string): Promise<RawClient> {
  const client = await connect(server, address);
  client.send({ t: 'hello', v: 1 });
  await client.next('welcome');
  return client;
}

async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no ${name} on /metrics`);
  return Number(line.split(' ')[1]);
}

describe('huddle-server room passwords', () => {
  let server: RunningServer;
  let ann: RawClient;
  let code: string;
  beforeAll(async () => {
    server = await startServer(['--failed-joins-per-minute', '6']);
    ann = await greeted(server, '127.0.0.2');
    ann.send({ t: 'create', name: 'Ann', password: 'correct horse' });
    const joined = await ann.next('room_joined');
    expect(joined.password).toBe(true);
    code = String(joined.code);
  });
  afterAll(async () => {
    ann?.close();
    await server?.stop();
  });

  it('lets in only a join with the password, and says which was missing or wrong', async () => {
    const bob = await greeted(server, '127.0.0.3');
    bob.send({ t: 'join', code, name: 'Bob' });
    expect(await bob.next('error')).toMatchObject({ code: 'wrong_password', message: `room ${code} needs a password` });
    bob.send({ t: 'join', code, name: 'Bob', password: 'Correct horse' });
    expect(await bob.next('error')).toMatchObject({ code: 'wrong_password', message: `wrong password for room ${code}` });
    bob.send({ t: 'join', code, name: 'Bob', password: 'correct horse' });
    const joined = await bob.next('room_joined');
    expect(joined.password).toBe(true);
    expect((await ann.next('peer_joined')).peer).toMatchObject({ name: 'Bob' });
    bob.close();
  });

  it('counts wrong passwords as failed joins of the address, and on /metrics', async () => {
    const before = await metric(server, 'huddle_wrong_passwords_total');
    const guesser = await greeted(server, '127.0.0.9');
    for (let i = 0; i < FAILED_JOIN_BURST; ++i) {
      guesser.send({ t: 'join', code, name: 'Eve', password: `guess ${i}`, create: true });
      expect((await guesser.next('error')).code).toBe('wrong_password');
    }
    // In backoff even the right password is refused alike, and a new connection changes nothing.
    const again = await greeted(server, '127.0.0.9');
    again.send({ t: 'join', code, name: 'Eve', password: 'correct horse' });
    const refusal = await again.next('error');
    expect(refusal.code).toBe('rate_limited');
    expect(refusal.retryMs).toBeGreaterThan(0);
    expect(await metric(server, 'huddle_wrong_passwords_total')).toBe(before + FAILED_JOIN_BURST);
    // Another address is not held up.
    const cy = await greeted(server, '127.0.0.10');
    cy.send({ t: 'join', code, name: 'Cy', password: 'correct horse' });
    await cy.next('room_joined');
    for (const c of [guesser, again, cy]) c.close();
  });

  it('refuses a password over 128 bytes with bad_frame', async () => {
    const dee = await greeted(server, '127.0.0.11');
    dee.send({ t: 'create', name: 'Dee', password: 'p'.repeat(129) });
    const e = await dee.next('error');
    expect(e.code).toBe('bad_frame');
    expect(String(e.message)).toContain('create.password');
    dee.close();
  });
});
