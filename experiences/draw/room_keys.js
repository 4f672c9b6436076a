'use strict';
// Draw's bookkeeping of the room state it keeps its drawing in (protocol.js lists the keys): how
// full the document is, and deleting the keys of cleared strokes a few at a time.

/**
 * What the room state holds, as far as this page has seen it: each key's cost as the room counts
 * it (key + value + 32 bytes; a deleted key still costs its key and counts as a key). The room's
 * own count may be a little higher (deleted keys this page never saw, a prefix in the huddle app,
 * each writer's record), so DrawLimits keeps a margin below 1 MiB and 4096 keys.
 */
class StateBudget {
  constructor() {
    this.sizes = new Map();
    this.bytes = 0;
    this.refused = false; // the room refused a stroke for lack of room (until the next clear)
  }

  track(key, value) {
    const bytes = key.length + 32 + (value === undefined ? 0 : JSON.stringify(value).length);
    this.bytes += bytes - (this.sizes.get(key) || 0);
    this.sizes.set(key, bytes);
  }

  full() {
    return this.refused || this.bytes > DrawLimits.stateBytes || this.sizes.size > DrawLimits.stateKeys;
  }
}

/**
 * Deletes keys in the background, `batch` every `intervalMs`: the room takes at most 256 of one
 * member's writes in flight, and a clear may leave thousands of keys to delete. `remove(key)`
 * deletes one; `ready()` says whether deleting now is any use (connected).
 */
class KeySweeper {
  constructor(remove, ready, batch = 64, intervalMs = 250) {
    this.remove = remove;
    this.ready = ready;
    this.batch = batch;
    this.intervalMs = intervalMs;
    this.keys = new Set();
    this.timer = 0;
  }

  add(key) {
    this.keys.add(key);
    this.start();
  }

  /** Goes on deleting (after a reconnection: `ready()` was false when the timer last ran). */
  start() {
    if (this.timer || this.keys.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = 0;
      if (!this.ready()) return;
      let n = 0;
      for (const key of this.keys) {
        if (n++ === this.batch) break;
        this.keys.delete(key);
        this.remove(key);
      }
      this.start();
    }, this.intervalMs);
  }
}
