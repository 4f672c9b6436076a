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
  joinRoom(code: string, name: string): WasmResult;
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

export interface HuddleModule {
  WasmClient: new (url: string, listener: WasmListener, options: { linkOpenTimeoutMs?: number }) => WasmClient;
}

export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

declare function createHuddleModule(options?: ModuleOptions): Promise<HuddleModule>;
export default createHuddleModule;
