// Path routing for the two places the app has: the lobby at `/` and a room at `/r/CODE`.
// The app only ever replaces the current entry (no history stack to walk back through a room).
// A room only people with the link may join has its secret in the fragment, `/r/CODE#k=SECRET`:
// browsers never send a fragment to the server, so the secret stays out of requests and logs.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { isRoomPath, parseRoomPath, roomPath } from './codes';

/** The parts of `window` the router touches; tests may pass jsdom's. */
export interface RouterWindow {
  readonly location: Pick<Location, 'pathname' | 'search' | 'hash' | 'origin'>;
  readonly history: Pick<History, 'replaceState'>;
}

export interface Router {
  readonly path: ReadonlySignal<string>;
  /** The room code in the current path, if it is `/r/CODE` with a well-formed code. */
  readonly routeCode: ReadonlySignal<string | null>;
  /**
   * True when the path looks like a share link (`/r/...`) but holds no valid code: a mistyped or
   * cut-off link, which the lobby must call out rather than ignore.
   */
  readonly badRoomLink: ReadonlySignal<boolean>;
  /** The room secret in the link the page was opened with (`#k=…`), or null. */
  readonly linkSecret: string | null;
  /** The share link of a room: `${origin}/r/CODE`, with `#k=SECRET` when it has a link secret. */
  shareUrl(code: string, secret?: string | null): string;
  /** Shows `/r/CODE` (and `#k=SECRET`) in the address bar (after creating or joining). */
  showRoom(code: string, secret?: string | null): void;
  /** Shows `/` in the address bar (after leaving). */
  showLobby(): void;
}

/** The `k` of a fragment like `#k=SECRET`, or null. */
export function readLinkSecret(hash: string): string | null {
  const secret = new URLSearchParams(hash.replace(/^#/, '')).get('k');
  return secret ? secret : null;
}

const fragment = (secret?: string | null) => (secret ? `#k=${encodeURIComponent(secret)}` : '');

export function createRouter(win: RouterWindow): Router {
  const path = signal(win.location.pathname);
  const routeCode = computed(() => parseRoomPath(path.value));
  const badRoomLink = computed(() => routeCode.value === null && isRoomPath(path.value));

  const replace = (next: string, hash = '') => {
    // Keep the query (e.g. ?debug=1) so a reload behaves the same.
    win.history.replaceState(null, '', next + win.location.search + hash);
    path.value = next;
  };

  return {
    path,
    routeCode,
    badRoomLink,
    linkSecret: readLinkSecret(win.location.hash),
    shareUrl: (code, secret) => `${win.location.origin}${roomPath(code)}${fragment(secret)}`,
    showRoom: (code, secret) => replace(roomPath(code), fragment(secret)),
    showLobby: () => replace('/'),
  };
}
