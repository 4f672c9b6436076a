// The Embind table of huddle_state.wasm: names only. Conversions live in wasm_room_state.cpp;
// huddle_state.d.ts declares it for TypeScript; only web/src/lib/state_module.ts loads it.
#include <emscripten/bind.h>

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
}
