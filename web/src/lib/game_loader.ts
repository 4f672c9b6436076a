// Game sync's module (huddle_game.js and .wasm), imported only by game_module.ts through import():
// a chunk of its own, fetched next to the script that imports it the first time a page starts a
// game.
export { default as createGameModule } from '../generated/huddle_game.js';
export { default as gameWasmUrl } from '../generated/huddle_game.wasm?url';
