// Loads game sync's Wasm module once per page, when a page first starts a game: a page that never
// does never downloads it (docs/decisions.md, "Game sync is a module of its own").
import type { GameModule, GameModuleOptions } from '../generated/huddle_game.js';
import { loadOnce } from './load_once';

export type {
  CoreMemberInput,
  GameEvent,
  GameModule,
  GameStatus,
  WasmGameSync as CoreGame,
} from '../generated/huddle_game.js';

let overrides: GameModuleOptions = {};
const load = loadOnce(() =>
  import('./game_loader').then(({ createGameModule, gameWasmUrl }) =>
    createGameModule({ locateFile: (path) => (path.endsWith('.wasm') ? gameWasmUrl : path), ...overrides }),
  ),
);

/** As configureWasm: Node-based tests pass the module's bytes (`wasmBinary`). */
export function configureGameWasm(options: GameModuleOptions): void {
  overrides = options;
  load.reset();
}

/** The module, fetched, compiled and instantiated once; a failed load is retried by the next call. */
export function loadGameModule(): Promise<GameModule> {
  return load.get();
}
