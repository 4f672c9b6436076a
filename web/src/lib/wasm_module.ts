// Loads the Wasm client once per page. The only importer of the generated Emscripten module.
// Importing this file starts the load in a browser (see the end of the file).
import createHuddleModule, { type HuddleModule, type ModuleOptions } from '../generated/huddle_client.js';
import wasmUrl from '../generated/huddle_client.wasm?url';
import { loadOnce } from './load_once';

export type {
  HuddleModule, Peer, WasmClient, WasmClientOptions, WasmError, WasmEvent, WasmSent, WasmStatus,
} from '../generated/huddle_client.js';

let overrides: ModuleOptions = {};
const load = loadOnce(() => createHuddleModule({ locateFile: (path) => (path.endsWith('.wasm') ? wasmUrl : path), ...overrides }));

/**
 * Where the module's bytes come from. Browsers fetch the .wasm file next to the bundle (streaming
 * compile); Node-based tests pass `wasmBinary`, because Emscripten 3.1.6 cannot fetch a relative
 * URL under Node. A load already started (at import) is dropped: the next load uses these options.
 */
export function configureWasm(options: ModuleOptions): void {
  overrides = options;
  load.reset();
}

/** The module, fetched, compiled and instantiated once; a failed load is retried by the next call. */
export function loadWasm(): Promise<HuddleModule> {
  return load.get();
}

// Node (the tests) has `process.versions.node`; a browser has no process at all.
const underNode = typeof Reflect.get(globalThis, 'process')?.versions?.node === 'string';

// A page that imports huddle is about to use it: the module's download, compile and start-up
// (60-120 ms in a fresh page here, docs/decisions.md) start now instead of at the first joinRoom.
// Under Node the glue cannot fetch the file, and the tests give its bytes (configureWasm). A load
// that fails here is reported by the joinRoom that next asks for it, which then tries again.
if (!underNode) void loadWasm();
