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

export interface StateModule {
  WasmRoomState: new (self: string, listener: StateListener) => WasmRoomState;
}

export interface StateModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare function createStateModule(options?: StateModuleOptions): Promise<StateModule>;
export default createStateModule;
