// What a reloaded page needs to take its place in the room back: the room, the name, its peer id
// and resume token (room.resumeToken()). Kept in sessionStorage, which is per tab and survives a
// reload but is not shared with other tabs (two tabs resuming one id would replace each other).
// The server keeps a page that went away for its grace period (30 s by default); after that the
// room may be gone (room_not_found) and the record is dropped.
import type { KeyValueStore } from './storage';

/** sessionStorage key of the record. */
export const RESUME_KEY = 'huddle.session';

export interface SavedSession {
  readonly code: string;
  readonly name: string;
  readonly peerId: string;
  readonly token: string;
}

/** The saved record, or null when there is none or it is malformed. */
export function loadSession(store: KeyValueStore): SavedSession | null {
  const raw = store.getItem(RESUME_KEY);
  if (raw === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const { code, name, peerId, token } = v as Record<string, unknown>;
  const ok = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
  return ok(code) && ok(name) && ok(peerId) && ok(token) ? { code, name, peerId, token } : null;
}

export function saveSession(store: KeyValueStore, session: SavedSession): void {
  store.setItem(RESUME_KEY, JSON.stringify(session));
}

export function clearSession(store: KeyValueStore): void {
  store.removeItem(RESUME_KEY);
}
