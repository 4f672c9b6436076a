// Path routing for the two places the app has: the lobby at `/` and a room at `/r/CODE`.
// The app only ever replaces the current entry (no history stack to walk back through a room).
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
  /** The share link of a room: `${origin}/r/CODE`. */
  shareUrl(code: string): string;
  /** Shows `/r/CODE` in the address bar (after creating or joining). */
  showRoom(code: string): void;
  /** Shows `/` in the address bar (after leaving). */
  showLobby(): void;
}

export function createRouter(win: RouterWindow): Router {
  const path = signal(win.location.pathname);
  const routeCode = computed(() => parseRoomPath(path.value));
  const badRoomLink = computed(() => routeCode.value === null && isRoomPath(path.value));

  const replace = (next: string) => {
    // Keep the query (e.g. ?debug=1) so a reload behaves the same.
    win.history.replaceState(null, '', next + win.location.search);
    path.value = next;
  };

  return {
    path,
    routeCode,
    badRoomLink,
    shareUrl: (code) => `${win.location.origin}${roomPath(code)}`,
    showRoom: (code) => replace(roomPath(code)),
    showLobby: () => replace('/'),
  };
}
