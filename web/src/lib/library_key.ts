// The reserved key that marks the library's own messages (docs/protocol.md "Files"). Apart from
// file_wire.ts because room.ts routes every incoming message by it, while the file code behind
// it loads on demand (files_on_demand.ts).
import type { Json } from './types';

/**
 * App data that is an object with this key is the library's own (room.ts routes it by the key's
 * value, e.g. "file"), never the app's: it never reaches `message`, and `send`/`sendTo` refuse it.
 */
export const LIBRARY_KEY = '$huddle';

/** The library kind of `data` ("file"), or null for the app's own data. */
export function libraryKind(data: Json): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.hasOwn(data, LIBRARY_KEY)) return null;
  const kind = data[LIBRARY_KEY];
  return typeof kind === 'string' ? kind : '';
}
