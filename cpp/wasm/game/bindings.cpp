// The Embind table of huddle_game.wasm: names only. Conversions live in wasm_game_sync.cpp;
// huddle_game.d.ts declares it for TypeScript; only web/src/lib/game_module.ts loads it.
#include <emscripten/bind.h>

#include "wasm_game_sync.hpp"

EMSCRIPTEN_BINDINGS(huddle_game) {
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
