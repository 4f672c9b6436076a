// The room state's public types (room.state; docs/state.md), re-exported by types.ts.
import type { HuddleError, Json } from './types';

/** A change to the room state, as this member sees it (own writes included, at once). */
export interface StateChange {
  key: string;
  /** The key's value now; undefined: deleted. */
  value: Json | undefined;
  /** Who wrote it. */
  from: string;
}

/** Events of Room.state; `on(name, handler)` returns a function that unsubscribes. */
export interface RoomStateEvents {
  change: (change: StateChange) => void;
  /** This copy differed from the host's and was replaced (each key that changed was a `change`). */
  healed: () => void;
  /**
   * The host refused an own write when it sequenced it: `state_too_large` (writes from others
   * filled the document first); `get(key)` shows what the room holds. Without a listener, the
   * room's `error` event reports it.
   */
  refused: (key: string, error: HuddleError) => void;
}

/**
 * The room state: a key → JSON document every member holds a copy of. A write applies here at
 * once and reaches every member through the host, which orders writes: concurrent writes to one
 * key resolve the same everywhere (the later Lamport clock wins, then the higher peer id). A late
 * joiner gets the whole document before later changes; a new host continues from the most advanced
 * copy. Limits: MAX_STATE_BYTES, MAX_STATE_KEYS, MAX_STATE_KEY_BYTES, MAX_STATE_VALUE_BYTES.
 * Reading or listening makes this member take part (it asks the host for the document); a room
 * that never uses its state sends nothing for it.
 */
export interface RoomState {
  /** The key's value, or undefined. Until the host's document arrives, only own writes are here. */
  get(key: string): Json | undefined;
  /** Every key and its value, in key order. */
  entries(): [string, Json][];
  /**
   * Writes `value` under `key`. Throws HuddleError: `data_invalid` (a key of 1 to
   * MAX_STATE_KEY_BYTES bytes without control characters; a JSON value), `state_too_large`,
   * `send_queue_full` (MAX_STATE_PENDING_WRITES own writes wait for the host), `not_in_room`.
   */
  set(key: string, value: Json): void;
  /** Deletes `key` (as `set` for errors). */
  delete(key: string): void;
  on<E extends keyof RoomStateEvents>(event: E, handler: RoomStateEvents[E]): () => void;
}
