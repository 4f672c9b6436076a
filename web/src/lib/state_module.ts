// Loads the room state's Wasm module (the room state and game sync) once per page, when a page
// first uses either: a page that never does never downloads it (docs/decisions.md, "The room state is a module of its own").
import type { StateModule, StateModuleOptions } from '../generated/huddle_state.js';

export type {
  CoreMemberInput,
  GameEvent,
  StateEvent,
  StateListener,
  StateModule,
  StateStatus,
  WasmGameSync as CoreGame,
  WasmRoomState as CoreState,
} from '../generated/huddle_state.js';

let loading: Promise<StateModule> | null = null;
let overrides: StateModuleOptions = {};

/** As configureWasm: Node-based tests pass the module's bytes (`wasmBinary`). */
export function configureStateWasm(options: StateModuleOptions): void {
  overrides = options;
  loading = null;
}

/** The module, fetched, compiled and instantiated once; a failed load is retried by the next call. */
export function loadStateModule(): Promise<StateModule> {
  if (!loading) {
    const attempt = import('./state_loader').then(({ createStateModule, stateWasmUrl }) =>
      createStateModule({ locateFile: (path) => (path.endsWith('.wasm') ? stateWasmUrl : path), ...overrides }),
    );
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = null;
    });
  }
  return loading;
}
