// Access to localStorage that never throws: private modes and sandboxed frames can deny it,
// and the app must still work (it just forgets the name).

/** The subset of Storage the app uses. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
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
  };
}

/** The browser's localStorage, guarded. */
export const browserStore: KeyValueStore = safeStore(() => globalThis.localStorage);
