// The whole app's state: identity, route, lobby and (while in a room) the room model.
// Built once in main.tsx with the real library; tests build it with fakes.
import { batch, computed, effect, signal, untracked, type ReadonlySignal } from '@preact/signals';
import type { ConnectOptions, HostExperience, HuddleApi, Room } from '../../lib';
import { APP_PLACE, createPlaceStore } from '../../lib/place';
import { browserStore, type KeyValueStore } from '../../lib/storage';
import { inRoom, loadInRoom } from '../load_in_room';
import type { FetchLike } from './experience';
import type { History, HistoryOptions } from './history';
import { createIdentity, type Identity } from './identity';
import { createLobby, type Lobby } from './lobby';
import type { RoomModel } from './room';
import { createRouter, type Router, type RouterWindow } from './router';

/** localStorage key that turns on the library's debug logging when set to "1". */
export const DEBUG_KEY = 'huddle.debug';

/** `?debug=1` in the URL or `huddle.debug=1` in localStorage. */
export function readDebug(search: string, store: KeyValueStore): boolean {
  return new URLSearchParams(search).get('debug') === '1' || store.getItem(DEBUG_KEY) === '1';
}

/**
 * `?ice=relay` in the URL: the privacy and troubleshooting switch. WebRTC then gathers only TURN
 * candidates, so no member learns your address; with no TURN server configured (the default), no
 * direct link can form and every member is reached through the huddle server's relay. It also
 * makes direct links fail on purpose, which end-to-end tests use to exercise the relay.
 */
export function readIcePolicy(search: string): ConnectOptions['iceTransportPolicy'] {
  return new URLSearchParams(search).get('ice') === 'relay' ? 'relay' : undefined;
}

export type AppWindow = RouterWindow;

/**
 * Starts a join and, alongside it, loading the room part of the app (load_in_room.ts); resolves
 * with the room once both are done. If the part fails to load, the room is left and the join
 * fails with that error, which the lobby shows like any other.
 */
async function withRoomPart(start: () => Promise<Room>): Promise<Room> {
  const part = loadInRoom();
  part.catch(() => {}); // reported below, once the join is through
  const room = await start();
  try {
    await part;
  } catch (err) {
    room.leave();
    throw err;
  }
  return room;
}

export interface AppDeps {
  readonly api: HuddleApi;
  /** Lends the room to an open experience's iframe; default: the bridge's (in the room part). */
  readonly hostExperience?: HostExperience;
  readonly win?: AppWindow;
  readonly store?: KeyValueStore;
  /** Per tab, survives a reload: the place to take back (lib/place.ts); default: sessionStorage. */
  readonly sessionStore?: KeyValueStore;
  /** For the experiences listing; default: the browser's fetch. */
  readonly fetch?: FetchLike;
  /** Opens a member's chat history (models/history.ts); default: IndexedDB. */
  readonly openHistory?: (options: HistoryOptions) => Promise<History>;
}

export interface AppModel {
  readonly identity: Identity;
  readonly router: Router;
  readonly lobby: Lobby;
  /** The room you are in, or null in the lobby. */
  readonly room: ReadonlySignal<RoomModel | null>;
  /** The room's share link (with its `#k=` secret when it has one), or '' in the lobby. */
  readonly shareUrl: ReadonlySignal<string>;
  /** Leaves the room (if any) and returns to the lobby at `/`. */
  leave(): void;
  /** Tears everything down (leaving any room); the model is unusable afterwards. */
  dispose(): void;
}

export function createAppModel(deps: AppDeps): AppModel {
  const win = deps.win ?? window;
  const store = deps.store ?? browserStore;
  const places = createPlaceStore(deps.sessionStore);
  const identity = createIdentity(store);
  const router = createRouter(win);
  const room = signal<RoomModel | null>(null);
  // The secret the current room's share link carries (lobby.ts onEnter), or null.
  const linkSecret = signal<string | null>(null);
  const fetchListing: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));

  // Runs once the room part has loaded: the lobby's joins go through withRoomPart.
  const enter = (joined: Room, secret: string | null) =>
    batch(() => {
      linkSecret.value = secret;
      const { createRoomModel, openHistory } = inRoom();
      room.value = createRoomModel(joined, {
        hostExperience: deps.hostExperience ?? inRoom().hostExperience,
        origin: win.location.origin,
        fetch: fetchListing,
        history: (deps.openHistory ?? openHistory)({ code: joined.code, selfId: joined.selfId }),
      });
      router.showRoom(joined.code, secret);
    });

  const lobby = createLobby({
    api: {
      createRoom: (options) => withRoomPart(() => deps.api.createRoom(options)),
      joinRoom: (options) => withRoomPart(() => deps.api.joinRoom(options)),
    },
    identity,
    debug: readDebug(win.location.search, store),
    iceTransportPolicy: readIcePolicy(win.location.search),
    inviteCode: router.routeCode.peek(),
    linkSecret: router.routeCode.peek() === null ? null : router.linkSecret,
    badRoomLink: router.badRoomLink.peek(),
    onEnter: enter,
  });

  // A reload of a page that was in a room (it did not leave: see room.leave()) takes its place
  // back at once, unless the URL now points at another room. If that fails (the grace period
  // ran out and the room is gone, the id is taken, …) the lobby shows why, as for any join.
  const saved = places.load(APP_PLACE);
  if (saved && (router.path.peek() === '/' || router.routeCode.peek() === saved.code)) {
    void lobby.resume(saved).then((entered) => {
      if (!entered) places.forget(APP_PLACE);
    });
  } else if (saved) {
    places.forget(APP_PLACE);
  }

  const leave = () => {
    const current = room.peek();
    if (!current) return;
    places.forget(APP_PLACE); // a deliberate leave: nothing to resume
    current.leave();
    batch(() => {
      room.value = null;
      linkSecret.value = null;
      lobby.reset();
      router.showLobby();
    });
  };

  // Owns the room subscriptions for as long as a room model is current. The page going away does
  // not leave (no pagehide handler): a reload must find its place kept for the grace period.
  // Meanwhile the place is saved when the room is joined and again whenever it is back
  // in_room (the token is read afresh each time), and dropped once the room is offline for good.
  const stop = effect(() => {
    const current = room.value;
    if (!current) return;
    const detach = untracked(() => current.attach());
    // The name the server knows this member by (what a resume must present again).
    const name = current.peers.peek().find((p) => p.isSelf)?.name ?? identity.trimmedName.peek();
    const keep = effect(() => {
      const status = current.status.value;
      if (status === 'in_room') {
        places.save(APP_PLACE, { code: current.code, name, peerId: current.selfId, token: current.resumeToken() });
      } else if (status === 'offline') {
        places.forget(APP_PLACE);
      }
    });
    return () => {
      keep();
      detach();
    };
  });

  return {
    identity,
    router,
    lobby,
    room,
    shareUrl: computed(() => (room.value ? router.shareUrl(room.value.code, linkSecret.value) : '')),
    leave,
    dispose() {
      leave();
      lobby.dispose();
      stop();
    },
  };
}
