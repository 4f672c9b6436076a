// @vitest-environment node
// docs/tokens.md's Node minting example (tests/support/join_token.ts) against a real huddle-server started with
// --auth-secret: the server takes the token (the id and name are the token's), refuses a named
// room without one, and refuses one signed with another secret. Raw WebSockets: no Wasm needed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinToken } from '../../support/join_token';
import { startServer, type RunningServer } from '../../support/huddle_server.mjs';
import { connect } from '../../support/raw_client';

const SECRET = 'vitest-secret-that-is-at-least-32-bytes';

describe('huddle-server with --auth-secret and a token minted in Node', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(['--auth-secret', SECRET]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('admits the token to its room with its id, name and rules', async () => {
    const client = await connect(server);
    const token = joinToken(SECRET, { room: 'standup-42', peer: 'user_42', name: 'Ann', maxMembers: 3 });
    client.send({ t: 'hello', v: 1, joinToken: token });
    expect((await client.next('welcome')).id).toBe('user_42');
    client.send({ t: 'join', code: 'standup-42', name: 'someone else', create: true });
    const joined = await client.next('room_joined');
    expect(joined.maxMembers).toBe(3);
    expect(joined.peers).toEqual([{ id: 'user_42', name: 'Ann', joinOrder: 1 }]);
    client.close();
  });

  it('refuses a named room without a token, and a token signed with another secret', async () => {
    const anyone = await connect(server);
    anyone.send({ t: 'hello', v: 1 });
    await anyone.next('welcome');
    anyone.send({ t: 'join', code: 'standup-42', name: 'Eve', create: true });
    expect((await anyone.next('error')).code).toBe('token_required');
    const forger = await connect(server);
    forger.send({ t: 'hello', v: 1, joinToken: joinToken('x'.repeat(40), { room: 'standup-42', peer: 'user_42', name: 'Eve' }) });
    expect((await forger.next('error')).code).toBe('invalid_token');
    anyone.close();
    forger.close();
  });
});
