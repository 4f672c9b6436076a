// A KeyValueStore in memory (web/src/lib/storage.ts), optionally holding `init` already.
import type { KeyValueStore } from '../../../web/src/lib/storage';

export function memoryStore(init: Record<string, string> = {}): KeyValueStore {
  const m = new Map(Object.entries(init));
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}
