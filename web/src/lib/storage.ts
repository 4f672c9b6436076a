// Access to localStorage and sessionStorage that never throws: private modes and sandboxed frames
// can deny them (some throw on merely reading `sessionStorage`), and the app and <p2p-frame> must
// still work (they just forget the name, or cannot take their place in a room back: place.ts).

/** The subset of Storage huddle uses; tests pass their own. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Wraps `storage` (or nothing) so reads return null and writes are dropped on failure. */
export function safeStore(storage: () => KeyValueStore | null | undefined): KeyValueStore {
  return {
    getItem(key) {
      try {
        return storage()?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        storage()?.setItem(key, value);
      } catch {
        // Quota or security error: remembering is a convenience, not a requirement.
      }
    },
    removeItem(key) {
      try {
        storage()?.removeItem(key);
      } catch {
        // Same as setItem: nothing to do about it.
      }
    },
  };
}

/** The browser's localStorage, guarded. */
export const browserStore: KeyValueStore = safeStore(() => globalThis.localStorage);

/** The browser's sessionStorage (this tab only, survives a reload), guarded. */
export const browserSessionStore: KeyValueStore = safeStore(() => globalThis.sessionStorage);
