// Loads in_room.ts, the part of the app a room needs, as a chunk of its own. It starts loading
// when a person first uses the lobby (the pointer over it, a touch, a key: loadInRoomWhenUsed),
// so it is there by the time they press Create or Join, and in any case when a join or a resume
// starts, so it arrives while the server answers: the join takes the WebSocket's handshake and
// two round trips, the chunk one request. The app enters the room only once it is there. The
// lobby's first paint does not wait for it, and a page nobody uses never downloads it.
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

/**
 * Starts loadInRoom() when a person first uses `doc`: the pointer comes over it (a mouse moved, a
 * finger down), or a key is pressed. Not on focus: the lobby moves focus itself when it shows.
 * Returns the function that stops listening.
 */
export function loadInRoomWhenUsed(doc: Document): () => void {
  const events = ['pointerover', 'pointerdown', 'keydown'] as const;
  const stop = () => {
    for (const e of events) doc.removeEventListener(e, start, true);
  };
  const start = () => {
    stop();
    loadInRoom().catch(() => {}); // a join tries again and reports it
  };
  for (const e of events) doc.addEventListener(e, start, { capture: true, passive: true });
  return stop;
}
