// The room state (room.state): a key → JSON document every member holds a copy of. The C++
// RoomState keeps it, sequences writes through the host, heals a copy that differs and hands the
// document over when the host changes (docs/protocol.md "Room state"). It lives in a Wasm module
// of its own, loaded the first time a page uses the state (state_module.ts). This file carries it:
// its frames go on the client's streams (WasmClient.sendState) and come back as state_frame
// events; it learns who is present and who is host from the room, and its clock ticks here. It
// also turns values into JSON text and back for the app.
//
// Dormant until used: nothing is loaded or sent until the app reads, writes or listens, or a
// member sends a state frame. While the module loads (tens of ms), writes are checked here, shown
// at once and kept in order, and members' frames wait (bounded); then both go to the module.
import { MAX_STATE_KEY_BYTES, MAX_STATE_PENDING_WRITES, MAX_STATE_VALUE_BYTES, STATE_TICK_MS } from '../generated/core';
import { Emitter } from './emitter';
import { toJsonText } from './json_text';
import { loadStateModule, type CoreState, type StateEvent, type StateModule, type StateStatus } from './state_module';
import { HuddleError, type Json, type Peer, type RoomState, type RoomStateEvents } from './types';
import type { WasmClient } from './wasm_module';

/**
 * Frames from members that may wait for the module. The protocol repairs what is dropped past it
 * (a member asks again, the host's hash announcement shows a gap), so the bound costs time, never
 * the document.
 */
export const MAX_WAITING_STATE_FRAMES = 4096;

/** What the room state needs of its room. */
export interface StateRoom {
  /** The room's client; null once the room was left. */
  client(): WasmClient | null;
  selfId(): string;
  peers(): readonly Peer[];
  hostId(): string;
  /** The room's `error` event: a refusal nobody listens for, a frame a member got wrong. */
  reportError(error: HuddleError): void;
  /** Loads the module; tests stand in for it. Default: loadStateModule. */
  load?: () => Promise<StateModule>;
}

/** A write made before the module was there: JSON text, or undefined for a delete. */
interface EarlyWrite {
  key: string;
  text: string | undefined;
}

export class WasmRoomState implements RoomState {
  private readonly events = new Emitter<RoomStateEvents>();
  private core: CoreState | null = null;
  private waking = false;
  private closed = false;
  private early: EarlyWrite[] = [];
  private waiting: { from: string; frame: string }[] = [];
  /** While early writes go to the module: what the app was shown of each key. */
  private shown: Map<string, string | undefined> | null = null;
  private told = '';
  private ticker: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly room: StateRoom) {}

  get(key: string): Json | undefined {
    return parse(this.textOf(String(key)));
  }

  entries(): [string, Json][] {
    if (this.core) return this.core.entries().map(([key, text]) => [key, JSON.parse(text) as Json]);
    const doc = new Map<string, string>();
    for (const w of this.early) {
      if (w.text === undefined) doc.delete(w.key);
      else doc.set(w.key, w.text);
    }
    return [...doc.keys()].sort(byCodePoint).map((key) => [key, JSON.parse(doc.get(key)!) as Json]);
  }

  set(key: string, value: Json): void {
    this.write(String(key), toJsonText(value));
  }

  delete(key: string): void {
    this.write(String(key), undefined);
  }

  on<E extends keyof RoomStateEvents>(event: E, handler: RoomStateEvents[E]): () => void {
    // Listening is taking part: the module asks the host for the document, whose keys then arrive
    // as changes.
    this.wake();
    return this.events.on(event, handler);
  }

  // ---- the room ----

  /** A state frame from a member (the client's state_frame event). */
  onFrame(from: string, frame: string): void {
    if (this.closed) return;
    if (this.core) return this.take(this.core.receive(from, frame), from);
    if (this.waiting.length < MAX_WAITING_STATE_FRAMES) this.waiting.push({ from, frame });
    this.wake();
  }

  /** Members, or the host, may have changed. */
  follow(peers: readonly Peer[]): void {
    if (!this.core) return;
    const host = this.room.hostId();
    const ids = peers.map((p) => p.id);
    const told = `${host} ${ids.join(' ')}`;
    if (told === this.told) return;
    this.told = told;
    this.core.setMembership(host, ids);
  }

  /** The room was left (or lost for good): the copy goes with it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ticker !== null) clearInterval(this.ticker);
    this.early = [];
    this.waiting = [];
    const core = this.core;
    this.core = null;
    // Not at once: this may run inside one of the module's own events.
    if (core) queueMicrotask(() => core.delete());
  }

  // ---- inside ----

  private textOf(key: string): string | undefined {
    if (this.core) return this.core.get(key);
    let text: string | undefined;
    for (const w of this.early) if (w.key === key) text = w.text;
    return text;
  }

  private write(key: string, text: string | undefined): void {
    if (this.closed || !this.room.client()) throw new HuddleError('not_in_room', 'this room was left');
    // Always here: crossing into the module would turn a lone surrogate into U+FFFD, another key.
    if (LONE_SURROGATE.test(key)) throw new HuddleError('data_invalid', 'a state key must be valid UTF-8 (it holds a lone surrogate)');
    if (this.core) return this.check(text === undefined ? this.core.remove(key) : this.core.set(key, text));
    // The module's own checks, made here while it loads, so a bad write throws as it would later.
    const problem = keyProblem(key) ?? (text !== undefined ? valueProblem(text) : null);
    if (problem) throw new HuddleError('data_invalid', problem);
    if (this.early.length >= MAX_STATE_PENDING_WRITES) {
      throw new HuddleError('send_queue_full', `${MAX_STATE_PENDING_WRITES} writes already wait for the host`);
    }
    const before = this.textOf(key);
    this.early.push({ key, text });
    if (text !== before) this.emitChange(key, text, this.room.selfId());
    this.wake();
  }

  private wake(): void {
    if (this.core || this.waking || this.closed || !this.room.client()) return;
    this.waking = true;
    (this.room.load ?? loadStateModule)().then(
      (module) => this.start(module),
      (err: unknown) => {
        this.waking = false;
        // The module comes from the server, as the client's did: the server is out of reach.
        this.room.reportError(new HuddleError('server_unreachable', `could not load the room state module: ${String(err)}`));
      },
    );
  }

  private start(module: StateModule): void {
    this.waking = false;
    if (this.closed || !this.room.client()) return;
    const core = new module.WasmRoomState(this.room.selfId(), { onEvent: (e) => this.onCoreEvent(e) });
    this.core = core;
    core.tick(performance.now());
    this.follow(this.room.peers());
    // The early writes, in order. The app saw each already: what the module says of them is not
    // told again, only where a key ends otherwise (a write the document had no room for).
    const early = this.early;
    this.early = [];
    const shown = new Map<string, string | undefined>();
    for (const w of early) shown.set(w.key, w.text);
    this.shown = shown;
    for (const w of early) {
      const result = w.text === undefined ? core.remove(w.key) : core.set(w.key, w.text);
      if (!result.ok) this.onRefused(w.key, new HuddleError(result.code, result.message));
    }
    this.shown = null;
    for (const [key, was] of shown) {
      const now = core.get(key);
      if (now !== was) this.emitChange(key, now, this.room.selfId());
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const { from, frame } of waiting) {
      if (this.core !== core) return; // left meanwhile (from an event handler)
      this.take(core.receive(from, frame), from);
    }
    this.ticker = setInterval(() => this.core?.tick(performance.now()), STATE_TICK_MS);
  }

  private onCoreEvent(e: StateEvent): void {
    const client = this.room.client();
    switch (e.type) {
      case 'send':
        // A full queue drops it like a lossy link would; the protocol's retries repair it.
        client?.sendState(e.to, e.frame);
        return;
      case 'broadcast':
        for (const peer of this.room.peers()) if (!peer.isSelf) client?.sendState(peer.id, e.frame);
        return;
      case 'change':
        // Early writes going in: the app saw them already.
        if (this.shown?.has(e.key)) return;
        this.emitChange(e.key, e.value, e.from);
        return;
      case 'healed':
        this.events.emit('healed');
        return;
      case 'refused':
        this.onRefused(e.key, new HuddleError(e.code, e.message));
        return;
    }
  }

  private emitChange(key: string, text: string | undefined, from: string): void {
    this.events.emit('change', { key, value: parse(text), from });
  }

  private onRefused(key: string, error: HuddleError): void {
    // Nobody listens for refusals: the room's `error` event says it, so it is not lost.
    if (this.events.has('refused')) this.events.emit('refused', key, error);
    else this.room.reportError(error);
  }

  /** What the module said of a member's frame: a refusal means the member broke the protocol. */
  private take(result: StateStatus, from: string): void {
    if (!result.ok) {
      this.room.reportError(new HuddleError('protocol_violation', `a room state frame from ${from} was refused: ${result.message}`));
    }
  }

  private check(result: StateStatus): void {
    if (!result.ok) throw new HuddleError(result.code, result.message);
  }
}

function parse(text: string | undefined): Json | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as Json);
}

function byCodePoint(a: string, b: string): number {
  // The module orders keys by their UTF-8 bytes, which is code point order; UTF-16 order differs
  // only past U+FFFF, where a code point comparison agrees with the bytes.
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;

function keyProblem(key: string): string | null {
  const bytes = encoder.encode(key).length;
  if (bytes === 0 || bytes > MAX_STATE_KEY_BYTES) return `a state key is 1 to ${MAX_STATE_KEY_BYTES} bytes of UTF-8`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'a state key may not hold control characters';
  return null;
}

function valueProblem(text: string): string | null {
  const bytes = encoder.encode(text).length;
  return bytes > MAX_STATE_VALUE_BYTES ? `a state value is at most ${MAX_STATE_VALUE_BYTES} bytes of JSON (this one is ${bytes})` : null;
}
