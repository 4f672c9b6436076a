// Types of the generated Emscripten module huddle_game.js (game sync, loaded when a page first
// starts a game), copied next to it into web/src/generated/ by the build. Its C++ half is in this
// directory: the methods in bindings.cpp, the events in wasm_game_sync.cpp. Only
// web/src/lib/game_module.ts imports the module.
import type { ErrorCode } from './core';

export type GameStatus = { ok: true } | { ok: false; code: ErrorCode; message: string };

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
  setInput(json: string): GameStatus;
  /** Host: the state (JSON text, an object) after its tick. */
  publish(json: string): GameStatus;
  /** One tick of the game loop; the page's monotonic clock, ms. */
  tick(nowMs: number): void;
  /** A game frame from `from` (WasmClient's game_frame event). */
  receive(from: string, frame: string): GameStatus;
  /** The newest complete state as JSON text ('null' before any), and its tick. */
  state(): string;
  stateTick(): number;
  /** The state to draw at nowMs, interpolated between the last two (JSON text). */
  renderState(nowMs: number): string;
  isHost(): boolean;
  paused(): boolean;
  delete(): void;
}

export interface GameModule {
  WasmGameSync: new (self: string, listener: GameListener) => WasmGameSync;
}

export interface GameModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare function createGameModule(options?: GameModuleOptions): Promise<GameModule>;
export default createGameModule;
