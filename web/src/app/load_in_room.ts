// Loads in_room.ts, the part of the app a room needs, as a chunk of its own. The lobby starts
// loading it when a join (or a resume) starts, so it arrives while the server answers: the join
// itself takes at least the WebSocket's handshake and two round trips, the chunk one request on a
// connection the page already has. The app enters the room only once it is there.
import type * as InRoomModule from './in_room';

export type InRoom = typeof InRoomModule;

let loading: Promise<InRoom> | null = null;
let loaded: InRoom | null = null;

/**
 * Starts loading the room part (once; a failure is not kept, but the browser may keep it: a
 * failed import() of a module can fail again until the page reloads); resolves when it is there.
 */
export function loadInRoom(): Promise<InRoom> {
  loading ??= import('./in_room').then(
    (m) => (loaded = m),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** The room part, for code that runs only once loadInRoom() has resolved. */
export function inRoom(): InRoom {
  if (!loaded) throw new Error('huddle: the room part of the app is not loaded yet');
  return loaded;
}
