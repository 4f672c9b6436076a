// Types of the generated Emscripten module huddle_state.js (the room state, loaded when a page
// first uses it), copied next to it into web/src/generated/ by the build. Its C++ half is in this
// directory: the methods in bindings.cpp, the events in wasm_room_state.cpp. Only
// web/src/lib/state_module.ts imports the module.
import type { ErrorCode } from './core';

export type StateStatus = { ok: true } | { ok: false; code: ErrorCode; message: string };

/** What the room state asks of the page, and what it tells: one event per call, in order. */
export type StateEvent =
  /** Send `frame` to member `to` (WasmClient.sendState). */
  | { type: 'send'; to: string; frame: string }
  /** Send `frame` to every other present member. */
  | { type: 'broadcast'; frame: string }
  /** `key` now holds `value` (JSON text; undefined: deleted), as written by `from`. Own writes too. */
  | { type: 'change'; key: string; value: string | undefined; from: string }
  /** This copy differed from the host's and was replaced. */
  | { type: 'healed' }
  /** An own write the host refused when it sequenced it (state_too_large). */
  | { type: 'refused'; key: string; code: ErrorCode; message: string };

export interface StateListener {
  onEvent(event: StateEvent): void;
}

/** One member's copy of the room state (huddle::RoomState). */
export interface WasmRoomState {
  set(key: string, json: string): StateStatus;
  remove(key: string): StateStatus;
  /** The value's JSON text, or undefined. */
  get(key: string): string | undefined;
  /** Every key and its value's JSON text, in key order. */
  entries(): [string, string][];
  /** Who is host ('' while unknown) and who is present (ids; self may be listed). */
  setMembership(host: string, present: string[]): void;
  /** A state frame from `from` (WasmClient's state_frame event). */
  receive(from: string, frame: string): StateStatus;
  /** The page's monotonic clock, ms: drives announcements, retries and hand-over. */
  tick(nowMs: number): void;
  delete(): void;
}

/** One member's input as the host's game gets it for a tick; JSON text throughout. */
export interface CoreMemberInput {
  member: string;
  /** The member's tick of `latest` (0: no input from it yet). */
  tick: number;
  /** Its newest input ('null' before the first). */
  latest: string;
  /** Every input that arrived since the host's previous tick, oldest first. */
  fresh: string[];
}

/** What game sync asks of the page, and what it tells: one event per call, in order. */
export type GameEvent =
  /** Send `frame` to member `to`, unreliably (WasmClient.sendGame). */
  | { type: 'send'; to: string; frame: string }
  /** Host: the inputs for its tick `tick`; simulate it, then publish the state. */
  | { type: 'inputs'; tick: number; inputs: CoreMemberInput[] }
  /** Member: a newer complete state (JSON text) of snapshot tick `tick`. */
  | { type: 'state'; tick: number; state: string }
  /** This member became the host: go on from `state` ('null' and 0 when it never had one). */
  | { type: 'hoststart'; tick: number; state: string }
  /** The host is away: the game stops. */
  | { type: 'pause' }
  | { type: 'resume' };

export interface GameListener {
  onEvent(event: GameEvent): void;
}

/** One member's game sync (huddle::GameSync). */
export interface WasmGameSync {
  /** Who is host ('' while unknown), whether it is away, and who is present (self may be listed). */
  setMembership(host: string, hostAway: boolean, present: string[]): void;
  /** The input (JSON text) sent from the next tick on. */
  setInput(json: string): StateStatus;
  /** Host: the state (JSON text, an object) after its tick. */
  publish(json: string): StateStatus;
  /** One tick of the game loop; the page's monotonic clock, ms. */
  tick(nowMs: number): void;
  /** A game frame from `from` (WasmClient's game_frame event). */
  receive(from: string, frame: string): StateStatus;
  /** The newest complete state as JSON text ('null' before any), and its tick. */
  state(): string;
  stateTick(): number;
  /** The state to draw at nowMs, interpolated between the last two (JSON text). */
  renderState(nowMs: number): string;
  isHost(): boolean;
  paused(): boolean;
  delete(): void;
}

export interface StateModule {
  WasmRoomState: new (self: string, listener: StateListener) => WasmRoomState;
  WasmGameSync: new (self: string, listener: GameListener) => WasmGameSync;
}

export interface StateModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare function createStateModule(options?: StateModuleOptions): Promise<StateModule>;
export default createStateModule;
