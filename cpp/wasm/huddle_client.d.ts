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
  createRoom(name: string, maxMembers: number): WasmResult;
  joinRoom(code: string, name: string, create: boolean, maxMembers: number): WasmResult;
  leave(): void;
  send(json: string): WasmResult;
  sendTo(peer: string, json: string): WasmResult;
  status(): string;
  selfId(): string;
  roomCode(): string;
  host(): string;
  peersJson(): string;
  delete(): void;
}

/** ClientConfig fields; absent ones keep the core's defaults (cpp/core/include/huddle/limits.hpp). */
export interface WasmClientOptions {
  peerId?: string;
  linkOpenTimeoutMs?: number;
  linkPingIntervalMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  reconnectAttempts?: number;
  memberGraceMs?: number;
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
