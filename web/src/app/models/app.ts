// The whole app's state: identity, route, lobby and (while in a room) the session.
// Built once in main.tsx with the real library; tests build it with a fake HuddleApi.
import { batch, effect, signal, untracked, type ReadonlySignal } from '@preact/signals';
import type { HuddleApi, Room } from '../../lib';
import type { FetchLike } from './experience';
import { createIdentity, type Identity } from './identity';
import { createLobby, type Lobby } from './lobby';
import { createRouter, type Router, type RouterWindow } from './router';
import { createSession, type Session } from './session';
import { browserStore, type KeyValueStore } from './storage';

/** localStorage key that turns on the library's debug logging when set to "1". */
export const DEBUG_KEY = 'huddle.debug';

/** `?debug=1` in the URL or `huddle.debug=1` in localStorage. */
export function readDebug(search: string, store: KeyValueStore): boolean {
  return new URLSearchParams(search).get('debug') === '1' || store.getItem(DEBUG_KEY) === '1';
}

export type AppWindow = RouterWindow & Pick<Window, 'addEventListener' | 'removeEventListener'>;

export interface AppDeps {
  readonly api: HuddleApi;
  readonly win?: AppWindow;
  readonly store?: KeyValueStore;
  /** For the experiences listing; default: the browser's fetch. */
  readonly fetch?: FetchLike;
}

export interface AppModel {
  readonly identity: Identity;
  readonly router: Router;
  readonly lobby: Lobby;
  /** The room you are in, or null in the lobby. */
  readonly session: ReadonlySignal<Session | null>;
  /** Leaves the room (if any) and returns to the lobby at `/`. */
  leave(): void;
  /** Tears everything down (leaving any room); the model is unusable afterwards. */
  dispose(): void;
}

export function createAppModel(deps: AppDeps): AppModel {
  const win = deps.win ?? window;
  const store = deps.store ?? browserStore;
  const identity = createIdentity(store);
  const router = createRouter(win);
  const session = signal<Session | null>(null);
  const fetchListing: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));

  const enter = (room: Room) =>
    batch(() => {
      session.value = createSession(room, { api: deps.api, origin: win.location.origin, fetch: fetchListing });
      router.showRoom(room.code);
    });

  const lobby = createLobby({
    api: deps.api,
    identity,
    debug: readDebug(win.location.search, store),
    inviteCode: router.routeCode.peek(),
    onEnter: enter,
  });

  const leave = () => {
    const current = session.peek();
    if (!current) return;
    current.leave();
    batch(() => {
      session.value = null;
      lobby.reset();
      router.showLobby();
    });
  };

  // Owns the room subscriptions for as long as a session is current, and leaves the room
  // when the page goes away (tab closed, navigated off) so others see it at once.
  const stop = effect(() => {
    const current = session.value;
    if (!current) return;
    const detach = untracked(() => current.attach());
    const onPageHide = () => leave();
    win.addEventListener('pagehide', onPageHide);
    return () => {
      win.removeEventListener('pagehide', onPageHide);
      detach();
    };
  });

  return {
    identity,
    router,
    lobby,
    session,
    leave,
    dispose() {
      leave();
      lobby.dispose();
      stop();
    },
  };
}
