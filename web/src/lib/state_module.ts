// Loads the room state's Wasm module once per page, when a page first uses the room state: a page
// that never does never downloads it (docs/decisions.md, "The room state is a module of its own").
import type { StateModule, StateModuleOptions } from '../generated/huddle_state.js';
import { loadOnce } from './load_once';

export type { StateEvent, StateListener, StateModule, StateStatus, WasmRoomState as CoreState } from '../generated/huddle_state.js';

let overrides: StateModuleOptions = {};
const load = loadOnce(() =>
  import('./state_loader').then(({ createStateModule, stateWasmUrl }) =>
    createStateModule({ locateFile: (path) => (path.endsWith('.wasm') ? stateWasmUrl : path), ...overrides }),
  ),
);

/** As configureWasm: Node-based tests pass the module's bytes (`wasmBinary`). */
export function configureStateWasm(options: StateModuleOptions): void {
  overrides = options;
  load.reset();
}

/** The module, fetched, compiled and instantiated once; a failed load is retried by the next call. */
export function loadStateModule(): Promise<StateModule> {
  return load.get();
}
