// Room passwords on the page's side (docs/protocol.md "Room passwords"): a typed password, or a
// generated secret for rooms "only people with the link" may join, which the app carries in the
// share link's fragment (`/r/CODE#k=…`: a fragment never goes to the server with the request).
import { MAX_ROOM_PASSWORD_BYTES } from '../generated/core';
import { HuddleError } from './types';

/** Random bytes in a generated room secret: 128 bits, beyond guessing even without the backoff. */
export const ROOM_SECRET_BYTES = 16;

/** A fresh secret for a room's password: 16 random bytes as base64url (22 characters). */
export function newRoomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(ROOM_SECRET_BYTES));
  // btoa, not ./base64: that module belongs to the file chunk, which huddle.js loads only when a
  // file moves (importing it here would make it a chunk huddle.js imports before anything runs).
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The password to send ('' for none); throws bad_frame for one over the server's byte cap. */
export function checkedPassword(password: string | undefined): string {
  const text = password ?? '';
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_ROOM_PASSWORD_BYTES) {
    throw new HuddleError('bad_frame', `a room password is at most ${MAX_ROOM_PASSWORD_BYTES} bytes (this one is ${bytes})`);
  }
  return text;
}
