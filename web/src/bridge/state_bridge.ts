// The room state across the bridge (P2P.state; docs/experiences.md, "The P2P API"). The iframe
// keeps a mirror of the document so that its reads are synchronous: once it asks (`state_watch`,
// on its first use of P2P.state and again on every later connection), this end sends the whole
// document (`state_doc`) and then every change (`state_change`). The iframe's writes become
// room.state.set / delete, each answered by a `state_ack` with what the room then holds, so the
// iframe can put its mirror back when the room refused the write (the `error` frame says why).
// Until the iframe asks, the room state is left alone: touching it would load its module and
// make this member take part, for every experience, also those that never use it.
import { MAX_STATE_KEYS } from '../generated/core';
import type { Json, Room } from '../lib/types';
import type { IframeFrame, ParentFrame } from './protocol';
import type { FrameSink, MessageScope } from './room_bridge';

type StateFrame = Extract<IframeFrame, { t: 'state_watch' | 'state_set' | 'state_delete' }>;

/**
 * Who wrote each key of a room's document, as far as this page has seen it (change events carry
 * it; entries() does not). Kept per room from the first watch for the room's life, so an
 * experience opened again later still learns who wrote what was drawn before it.
 */
const writersOf = new WeakMap<Room, Map<string, string>>();

/**
 * Writers remembered per room: every key the document can hold, and as many deleted ones (an ack
 * of a delete names who deleted). Keys come and go for the room's life (the host collects deleted
 * ones), so the oldest-written go first past this.
 */
export const MAX_KNOWN_WRITERS = 2 * MAX_STATE_KEYS;

function writers(room: Room): Map<string, string> {
  let map = writersOf.get(room);
  if (!map) {
    const known = new Map<string, string>();
    map = known;
    writersOf.set(room, known);
    room.state.on('change', ({ key, from }) => {
      known.delete(key); // to the end: a Map iterates in insertion order, oldest first
      known.set(key, from);
      if (known.size > MAX_KNOWN_WRITERS) known.delete(known.keys().next().value!);
    });
  }
  return map;
}

/** Forwards a room's state changes to one iframe, from its first `state_watch` on. */
class StateForward {
  private off: (() => void) | null = null;

  constructor(private readonly room: Room, private readonly sink: FrameSink, private readonly scope: MessageScope) {}

  watch(): void {
    const { room, scope } = this;
    const known = writers(room);
    this.off ??= room.state.on('change', ({ key, value, from }) => {
      const own = scope.ownKey(key);
      if (own !== undefined) this.sink.post(value === undefined ? { t: 'state_change', key: own, from } : { t: 'state_change', key: own, value, from });
    });
    const entries: [string, Json, string][] = [];
    for (const [key, value] of room.state.entries()) {
      const own = scope.ownKey(key);
      if (own !== undefined) entries.push([own, value, known.get(key) ?? '']);
    }
    this.sink.post({ t: 'state_doc', entries });
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }
}

// The forwarder of each bridged room: stateFromIframe sees the `state_watch` frames, and only the room.
const forwardsOf = new WeakMap<Room, StateForward>();

/** Lets the iframe behind `sink` watch `room`'s state until the returned function is called. */
export function forwardRoomState(room: Room, sink: FrameSink, scope: MessageScope): () => void {
  const forward = new StateForward(room, sink, scope);
  forwardsOf.set(room, forward);
  return () => {
    forward.stop();
    if (forwardsOf.get(room) === forward) forwardsOf.delete(room);
  };
}

/** Carries the iframe's `state_watch`, `state_set` or `state_delete` to the room. */
export function stateFromIframe(room: Room, frame: StateFrame, scope: MessageScope, post: (frame: ParentFrame) => void): void {
  if (frame.t === 'state_watch') {
    forwardsOf.get(room)?.watch();
    return;
  }
  const key = scope.stateKey(frame.key);
  const known = writers(room); // before the write, so that it hears who made it
  try {
    if (frame.t === 'state_set') room.state.set(key, frame.value);
    else room.state.delete(key);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    post({ t: 'error', code: e.code ?? 'internal', message: e.message ?? String(err) });
  }
  // What the room holds now: the write, or (refused) what was there, for the iframe's mirror.
  const value = room.state.get(key);
  const from = known.get(key) ?? '';
  post(value === undefined ? { t: 'state_ack', key: frame.key, from } : { t: 'state_ack', key: frame.key, value, from });
}
