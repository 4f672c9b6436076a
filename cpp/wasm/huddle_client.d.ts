// Types of the generated Emscripten module (build/wasm/.../huddle_client.js), copied next to it
// into web/src/generated/ by the build. This file is the boundary's one declaration; its C++ half
// is in this directory: the methods in bindings.cpp, the events in wasm_events.cpp, the options in
// wasm_options.cpp. The words (statuses, states, codes) and the knobs come from core.ts, which
// huddle-codegen writes from the C++ core. Only web/src/lib/wasm_module.ts imports the module.
import type { ClientTuning, ErrorCode, LeaveReason, LinkState, SessionStatus, TransportName } from './core';

/** A refusal: one of the stable codes and a sentence for people. */
export interface WasmError {
  ok: false;
  code: ErrorCode;
  message: string;
}
export type WasmStatus = { ok: true } | WasmError;
/** A send: the message id (for `delivered` events) or a refusal. */
export type WasmSent = { ok: true; id: number } | WasmError;

/** A member of the room, as this client sees it. */
export interface Peer {
  readonly id: string;
  readonly name: string;
  /** Increases with every join; the lowest present joinOrder is the host. */
  readonly joinOrder: number;
  readonly isSelf: boolean;
  readonly isHost: boolean;
  /** The direct link to this member; null for yourself. */
  readonly link: LinkState | null;
  /** What carries messages to this member now; null for yourself, or while the first link is being made. */
  readonly transport: Exclude<TransportName, 'none'> | null;
  /** Its connection to the server dropped (or it was missing when this client came back); it has a grace period to return. */
  readonly away: boolean;
  /** Smoothed round-trip time to this member over the current transport, ms; null for yourself or until measured. */
  readonly rttMs: number | null;
}

/** What the client tells its listener, one object per event (wasm_events.cpp). */
export type WasmEvent =
  | { type: 'status'; status: SessionStatus }
  | { type: 'welcome'; id: string }
  | { type: 'room_joined'; code: string; you: string; host: string; maxMembers: number; relayOnly: boolean;
      /** The room needs a password to join. */
      password: boolean }
  | { type: 'peer_joined'; id: string }
  | { type: 'peer_left'; id: string; reason: LeaveReason }
  | { type: 'peer_away'; id: string }
  | { type: 'peer_back'; id: string }
  | { type: 'host_changed'; host: string }
  | { type: 'link_state'; peer: string; state: LinkState }
  | { type: 'transport'; peer: string; transport: TransportName }
  | { type: 'link_rtt'; peer: string; rttMs: number }
  /** `data` is the message's JSON text. */
  | { type: 'message'; from: string; id: number; ts: number; broadcast: boolean; reliable: boolean; data: string }
  | { type: 'delivered'; peer: string; id: number }
  /** A member asks; answer with respond(id, ...) or refuse(id, ...). `id` is this client's number for it; `data` is JSON text. */
  | { type: 'request'; from: string; id: number; data: string }
  /** The answer (JSON text) to our request `id`. */
  | { type: 'response'; id: number; data: string }
  /** Our request `id` failed: request_timeout, peer_not_in_room, not_in_room, request_failed, no_handler, too_many_requests. */
  | { type: 'request_failed'; id: number; code: ErrorCode; message: string }
  /** A room state frame from a member, for the page's WasmRoomState (huddle_state.d.ts). */
  | { type: 'state_frame'; from: string; frame: string }
  /** A game sync frame from a member, for the page's WasmGameSync (huddle_game.d.ts). */
  | { type: 'game_frame'; from: string; frame: string }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'log'; line: string };

export interface WasmListener {
  onEvent(event: WasmEvent): void;
}

export interface WasmClient {
  /** password: '' for none. */
  createRoom(name: string, maxMembers: number, relayOnly: boolean, password: string): WasmStatus;
  joinRoom(code: string, name: string, create: boolean, maxMembers: number, relayOnly: boolean,
    password: string): WasmStatus;
  leave(): void;
  send(json: string, reliable: boolean): WasmSent;
  sendTo(peer: string, json: string, reliable: boolean): WasmSent;
  /** Asks `peer`; the id names the request in its `response` or `request_failed` event. */
  request(peer: string, json: string, timeoutMs: number): WasmSent;
  /** Answers request `id` (from a `request` event), once. */
  respond(id: number, json: string): WasmStatus;
  /** Refuses request `id`: code 'request_failed' (with the handler's message) or 'no_handler'. */
  refuse(id: number, code: ErrorCode, message: string): WasmStatus;
  /** Sends a room state frame (from WasmRoomState's send/broadcast events) to `peer`, on its reliable stream. */
  sendState(peer: string, frame: string): WasmStatus;
  /** Sends a game sync frame (from WasmGameSync's send events) to `peer`, unreliably. */
  sendGame(peer: string, frame: string): WasmStatus;
  status(): SessionStatus;
  selfId(): string;
  roomCode(): string;
  host(): string;
  /** The token that resumes selfId() on a later connection ("" before the first welcome). */
  resumeToken(): string;
  relayOnly(): boolean;
  /** Every member including yourself, in join order. */
  peers(): Peer[];
  /** Reliable messages to `peer` not yet acknowledged and the bytes of their data ("": the most to any member). */
  queued(peer: string): { messages: number; bytes: number };
  delete(): void;
}

/** Knobs (ClientTuning) plus who the client is. */
export interface WasmClientOptions extends ClientTuning {
  peerId?: string;
  /** The token a previous connection of this peer id had (a reloaded page resuming its place). */
  resumeToken?: string;
  /** A signed join token (docs/tokens.md), sent in every hello: it names our id and takes its place over. */
  joinToken?: string;
  /** false: send the server no stats frame (ClientConfig::reportStats). Default true. */
  reportStats?: boolean;
  /** "relay": TURN candidates only (see ConnectOptions.iceTransportPolicy). */
  iceTransportPolicy?: 'all' | 'relay';
  /**
   * A WebSocket to the client's signaling URL that the page opened while the module loaded; the
   * first connection takes it over if it is still opening or open (else it is closed and a new
   * one made). Owned by the client from here on.
   */
  socket?: WebSocket;
}

export interface HuddleModule {
  WasmClient: new (url: string, listener: WasmListener, options: WasmClientOptions) => WasmClient;
}

/** The only options the module reads (INCOMING_MODULE_JS_API in CMakeLists.txt lists the same two). */
export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare function createHuddleModule(options?: ModuleOptions): Promise<HuddleModule>;
export default createHuddleModule;
