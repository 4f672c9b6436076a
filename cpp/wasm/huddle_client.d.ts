// Types of the generated Emscripten module (build/wasm/.../huddle_client.js), copied next to it
// into web/src/generated/ by the build. Only web/src/lib/wasm_module.ts imports the module.

export interface WasmResult {
  ok: boolean;
  id?: number;
  code?: string;
  message?: string;
}

export interface WasmListener {
  onEvent(type: string, json: string): void;
}

export interface WasmClient {
  createRoom(name: string, maxMembers: number, relayOnly: boolean): WasmResult;
  joinRoom(code: string, name: string, create: boolean, maxMembers: number, relayOnly: boolean): WasmResult;
  leave(): void;
  send(json: string, reliable: boolean): WasmResult;
  sendTo(peer: string, json: string, reliable: boolean): WasmResult;
  status(): string;
  selfId(): string;
  roomCode(): string;
  host(): string;
  /** The token that resumes selfId() on a later connection ("" before the first welcome). */
  resumeToken(): string;
  relayOnly(): boolean;
  peersJson(): string;
  delete(): void;
}

/**
 * Timing and retry knobs of the client (ClientConfig); absent ones keep the core's defaults
 * (cpp/core/include/huddle/limits.hpp, listed in docs/protocol.md).
 */
export interface WasmTuning {
  /** How long a direct link may take to open before messages go through the server relay (5000). */
  linkOpenTimeoutMs?: number;
  /** How often the path to each member measures its round-trip time (2000). */
  linkPingIntervalMs?: number;
  /** An open link silent this long (pings unanswered) counts as failed (6000). */
  linkSilenceTimeoutMs?: number;
  /** After a failure, a new direct link is tried after this, doubling up to linkRetryMaxMs (5000, 60000). */
  linkRetryInitialMs?: number;
  linkRetryMaxMs?: number;
  /** The relay sends at most one frame per this many ms, batching (25). */
  relayFlushMs?: number;
  /** Relayed messages not acknowledged within this are sent again (3000). */
  relayResendMs?: number;
  /** Reconnect backoff: first delay, the cap, and the attempts before giving up (250, 8000, 30). */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  reconnectAttempts?: number;
  /** How long a member missing after a reconnect stays listed (away) before it counts as gone (30000). */
  memberGraceMs?: number;
}

export interface WasmClientOptions extends WasmTuning {
  peerId?: string;
  /** The token a previous connection of this peer id had (a reloaded page resuming its place). */
  resumeToken?: string;
  /** "relay": TURN candidates only (see ConnectOptions.iceTransportPolicy). */
  iceTransportPolicy?: 'all' | 'relay';
}

export interface HuddleModule {
  WasmClient: new (url: string, listener: WasmListener, options: WasmClientOptions) => WasmClient;
}

export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare function createHuddleModule(options?: ModuleOptions): Promise<HuddleModule>;
export default createHuddleModule;
