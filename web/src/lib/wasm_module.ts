// Loads the Wasm client once per page. The only importer of the generated Emscripten module.
// Importing this file starts the load in a browser (see the end of the file).
import createHuddleModule, { type HuddleModule, type ModuleOptions } from '../generated/huddle_client.js';
import wasmUrl from '../generated/huddle_client.wasm?url';

export type {
  HuddleModule, Peer, WasmClient, WasmClientOptions, WasmError, WasmEvent, WasmSent, WasmStatus,
} from '../generated/huddle_client.js';

let loading: Promise<HuddleModule> | null = null;
let overrides: ModuleOptions = {};

/**
 * Where the module's bytes come from. Browsers fetch the .wasm file next to the bundle (streaming
 * compile); Node-based tests pass `wasmBinary`, because Emscripten 3.1.6 cannot fetch a relative
 * URL under Node. A load already started (at import) is dropped: the next load uses these options.
 */
export function configureWasm(options: ModuleOptions): void {
  overrides = options;
  loading = null;
}

/** The module, fetched, compiled and instantiated once; a failed load is retried by the next call. */
export function loadWasm(): Promise<HuddleModule> {
  if (!loading) {
    const options: ModuleOptions = { locateFile: (path) => (path.endsWith('.wasm') ? wasmUrl : path), ...overrides };
    // The factory throws at once where there is no WebAssembly: that, too, becomes a rejection.
    const attempt = new Promise<HuddleModule>((resolve) => resolve(createHuddleModule(options)));
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = null; // let a later call retry (unless configureWasm replaced it)
    });
  }
  return loading;
}

// Node (the tests) has `process.versions.node`; a browser has no process at all.
const underNode = typeof Reflect.get(globalThis, 'process')?.versions?.node === 'string';

// A page that imports huddle is about to use it: the module's download, compile and start-up
// (60-120 ms in a fresh page here, docs/decisions.md) start now instead of at the first joinRoom.
// Under Node the glue cannot fetch the file, and the tests give its bytes (configureWasm). A load
// that fails here is reported by the joinRoom that next asks for it, which then tries again.
if (!underNode) void loadWasm();
