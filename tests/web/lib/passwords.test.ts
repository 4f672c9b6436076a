// @vitest-environment node
// Room passwords through the typed facade, the real Wasm client and a real huddle-server:
// createRoom({ password }) makes a room only that password opens, joinRoom({ password }) gets in,
// and a missing or wrong one is the typed HuddleError 'wrong_password'.
import { describe, expect, it } from 'vitest';
import { createRoom, joinRoom, MAX_ROOM_PASSWORD_BYTES, newRoomSecret } from '../../../web/src/lib';
import { rejection, useServerAndRooms } from './wasm_env';

const { server, open } = useServerAndRooms();

describe('room passwords', () => {
  it('open a room only to joins that bring the password', async () => {
    const secret = newRoomSecret();
    const ann = await createRoom({ server: server.origin, name: 'Ann', password: secret });
    open.push(ann);
    expect(ann.password).toBe(true);
    expect(ann.shareUrl).not.toContain(secret);
    const none = await rejection(joinRoom({ server: server.origin, code: ann.code, name: 'Eve' }));
    expect(none.code).toBe('wrong_password');
    expect(none.message).toContain('needs a password');
    const wrong = await rejection(joinRoom({ server: server.origin, code: ann.code, name: 'Eve', password: 'guess' }));
    expect(wrong.code).toBe('wrong_password');
    expect(wrong.message).toContain('wrong password');
    const ben = await joinRoom({ server: server.origin, code: ann.code, name: 'Ben', password: secret });
    open.push(ben);
    expect(ben.password).toBe(true);
  });

  it('leave rooms without one as they were', async () => {
    const ann = await createRoom({ server: server.origin, name: 'Ann' });
    open.push(ann);
    expect(ann.password).toBe(false);
  });

  it('refuse a password over the cap before anything is sent', async () => {
    const tooLong = 'é'.repeat(MAX_ROOM_PASSWORD_BYTES / 2 + 1); // 2 bytes each in UTF-8
    const err = await rejection(createRoom({ server: 'http://127.0.0.1:9', name: 'Ann', password: tooLong }));
    expect(err.code).toBe('bad_frame');
    expect(err.message).toContain(`at most ${MAX_ROOM_PASSWORD_BYTES} bytes`);
  });
});

describe('newRoomSecret', () => {
  it('is 128 random bits as 22 base64url characters, never the same twice', () => {
    const secrets = new Set(Array.from({ length: 100 }, () => newRoomSecret()));
    expect(secrets.size).toBe(100);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
