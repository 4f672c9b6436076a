// The Embind table of huddle_state.wasm: names only. Conversions live in wasm_room_state.cpp and
// wasm_game_sync.cpp; huddle_state.d.ts declares it for TypeScript; only
// web/src/lib/state_module.ts loads it.
#include <emscripten/bind.h>

#include "wasm_game_sync.hpp"
#include "wasm_room_state.hpp"

EMSCRIPTEN_BINDINGS(huddle_state) {
  using huddle::wasm::WasmRoomState;
  emscripten::class_<WasmRoomState>("WasmRoomState")
      .constructor<std::string, emscripten::val>()
      .function("set", &WasmRoomState::set)
      .function("remove", &WasmRoomState::remove)
      .function("get", &WasmRoomState::get)
      .function("entries", &WasmRoomState::entries)
      .function("setMembership", &WasmRoomState::setMembership)
      .function("receive", &WasmRoomState::receive)
      .function("tick", &WasmRoomState::tick);
  using huddle::wasm::WasmGameSync;
  emscripten::class_<WasmGameSync>("WasmGameSync")
      .constructor<std::string, emscripten::val>()
      .function("setMembership", &WasmGameSync::setMembership)
      .function("setInput", &WasmGameSync::setInput)
      .function("publish", &WasmGameSync::publish)
      .function("tick", &WasmGameSync::tick)
      .function("receive", &WasmGameSync::receive)
      .function("state", &WasmGameSync::state)
      .function("stateTick", &WasmGameSync::stateTick)
      .function("renderState", &WasmGameSync::renderState)
      .function("isHost", &WasmGameSync::isHost)
      .function("paused", &WasmGameSync::paused);
}
