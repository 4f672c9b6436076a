// A place: what a reloaded page needs to take its place in a room back (the same peer id, join
// order and host role; the others see it come back): the room's code or name, the display name it
// joined with, its peer id and its resume token (room.resumeToken()). The huddle app and
// <p2p-frame> both keep theirs here, in sessionStorage: per tab, it survives a reload and is not
// shared with other tabs (two tabs resuming one id would take it from each other). The server keeps
// a page that went away for its grace period (30 s by default); after that the place is gone, and
// whoever fails to take it back forgets it. A page without storage just joins afresh.
import { PEER_ID_PATTERN, RESUME_TOKEN_PATTERN } from './peer_id';
import { browserSessionStore, safeStore, type KeyValueStore } from './storage';

/** One member's place in one room, as saved for a reload. */
export interface Place {
  /** The room's code or name, as joined. */
  readonly code: string;
  /** The display name the server knows this member by (a resume presents it again). */
  readonly name: string;
  readonly peerId: string;
  /** The room's resume token when the place was saved. */
  readonly token: string;
}

/** Where one place is kept. */
export interface PlaceSlot {
  /** The storage key. */
  readonly key: string;
  /**
   * The room, when the key already names it: the record then leaves the code out (as
   * <p2p-frame>'s records always have) and a load takes it from here.
   */
  readonly code?: string;
}

/** The huddle app's place: one per tab, whatever the room. */
export const APP_PLACE: PlaceSlot = { key: 'huddle.session' };

/** A <p2p-frame>'s place in room `sessionId` (its `session-id`) on huddle-server origin `server`. */
export function framePlace(server: string, sessionId: string): PlaceSlot {
  return { key: `huddle.p2p-frame ${server} ${sessionId}`, code: sessionId };
}

/** Longest room code or name, and display name, a saved place may hold (the server's are shorter). */
export const MAX_PLACE_TEXT = 256;

export interface PlaceStore {
  /**
   * The place saved in `slot`, or null when there is none, storage is denied, or the record is
   * not one a join could use: a peer id and token of the server's alphabet, a non-empty name and
   * code of at most MAX_PLACE_TEXT characters.
   */
  load(slot: PlaceSlot): Place | null;
  /** Saves `place` in `slot` (a place without a peer id or token is not worth keeping). */
  save(slot: PlaceSlot, place: Place): void;
  /** Drops what `slot` holds (a deliberate leave, or a place that could not be taken back). */
  forget(slot: PlaceSlot): void;
}

/** Places kept in `store` (default: this tab's sessionStorage); no method ever throws. */
export function createPlaceStore(store: KeyValueStore = browserSessionStore): PlaceStore {
  // A store a test (or page) passes in may throw too.
  const guarded = safeStore(() => store);
  return {
    load(slot) {
      const raw = guarded.getItem(slot.key);
      if (raw === null) return null;
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        return null;
      }
      if (v === null || typeof v !== 'object') return null;
      const record = v as Record<string, unknown>;
      const { name, peerId, token } = record;
      const code = slot.code ?? record.code;
      if (!isText(code) || !isText(name)) return null;
      if (typeof peerId !== 'string' || !PEER_ID_PATTERN.test(peerId)) return null;
      if (typeof token !== 'string' || !RESUME_TOKEN_PATTERN.test(token)) return null;
      return { code, name, peerId, token };
    },
    save(slot, place) {
      if (!place.peerId || !place.token) return;
      const { code, name, peerId, token } = place;
      guarded.setItem(slot.key, JSON.stringify(slot.code === undefined ? { code, name, peerId, token } : { peerId, token, name }));
    },
    forget(slot) {
      guarded.removeItem(slot.key);
    },
  };
}

function isText(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_PLACE_TEXT;
}

// Slots a live user on this page holds. Two <p2p-frame>s on one room would otherwise both resume
// the same id after a reload, each taking it from the other (session_replaced); the second joins
// afresh instead.
const claimed = new Set<string>();

/** True when `slot` was free on this page and is now the caller's, until releasePlace. */
export function claimPlace(slot: PlaceSlot): boolean {
  if (claimed.has(slot.key)) return false;
  claimed.add(slot.key);
  return true;
}

/** Gives `slot` up on this page (its holder is about to join again, or was removed). */
export function releasePlace(slot: PlaceSlot): void {
  claimed.delete(slot.key);
}
