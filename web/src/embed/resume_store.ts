// What a reloaded page's <p2p-frame> needs to take its place in the room back: its peer id, the
// resume token (room.resumeToken()) and the name it joined with. Kept in sessionStorage: per tab,
// it survives a reload and is not shared with other tabs (two pages resuming one id would replace
// each other). The server keeps a page that went away for its grace period (30 s by default).
// Every access is guarded: sandboxed frames and private modes may throw on merely reading
// `sessionStorage`, and the element must work without it (it then joins afresh after a reload).
import { PEER_ID_PATTERN } from '../bridge/protocol';

export interface SavedPlace {
  readonly peerId: string;
  readonly token: string;
  readonly name: string;
}

// Tokens are 22 characters of the peer-id alphabet (docs/protocol.md); a little slack costs nothing.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const MAX_NAME_CHARS = 256;

/** The sessionStorage key for one room on one server. */
export function placeKey(server: string, sessionId: string): string {
  return `huddle.p2p-frame ${server} ${sessionId}`;
}

/** The place saved under `key`, or null when there is none, it is malformed, or storage is denied. */
export function loadPlace(key: string): SavedPlace | null {
  let v: unknown;
  try {
    const raw = sessionStorage.getItem(key);
    if (raw === null) return null;
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const { peerId, token, name } = v as Record<string, unknown>;
  if (typeof peerId !== 'string' || !PEER_ID_PATTERN.test(peerId)) return null;
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return null;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_CHARS) return null;
  return { peerId, token, name };
}

/** Saves `place` under `key` (a place without an id or token is not worth keeping). */
export function savePlace(key: string, place: SavedPlace): void {
  if (!place.peerId || !place.token) return;
  try {
    sessionStorage.setItem(key, JSON.stringify(place));
  } catch {
    // Quota or security error: resuming is a convenience, not a requirement.
  }
}

export function forgetPlace(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Denied storage holds nothing to forget.
  }
}

// Keys a live element of this page uses. Two elements on one room would otherwise both resume the
// same id after a reload, each taking it from the other (session_replaced); the second joins afresh.
const claimed = new Set<string>();

/** True when `key` was free and is now the caller's, until releasePlace. */
export function claimPlace(key: string): boolean {
  if (claimed.has(key)) return false;
  claimed.add(key);
  return true;
}

export function releasePlace(key: string): void {
  claimed.delete(key);
}
