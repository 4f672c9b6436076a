// The room state's module (huddle_state.js and .wasm), imported only by state_module.ts through
// import(): a chunk of its own, fetched next to the script that imports it the first time a page
// uses the room state.
export { default as createStateModule } from '../generated/huddle_state.js';
export { default as stateWasmUrl } from '../generated/huddle_state.wasm?url';
