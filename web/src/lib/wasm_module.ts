// Loads the Wasm client once per page. The only importer of the generated Emscripten module.
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
 * URL under Node.
 */
export function configureWasm(options: ModuleOptions): void {
  overrides = options;
  loading = null;
}

export function loadWasm(): Promise<HuddleModule> {
  if (!loading) {
    const options: ModuleOptions = { locateFile: (path) => (path.endsWith('.wasm') ? wasmUrl : path), ...overrides };
    loading = createHuddleModule(options);
    loading.catch(() => {
      loading = null; // let a later call retry
    });
  }
  return loading;
}
