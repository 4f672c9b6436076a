// What the on-demand modules' bound classes hand JavaScript: a call's status, and an event
// object. Shared by WasmRoomState and WasmGameSync (huddle_state.d.ts, huddle_game.d.ts).
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include <emscripten/val.h>

#include "huddle/error.hpp"

namespace huddle::wasm {

// {ok: true} or {ok: false, code, message}.
inline emscripten::val statusResult(const Status& s) {
  emscripten::val r = emscripten::val::object();
  r.set("ok", s.ok());
  if (!s) {
    r.set("code", std::string(errorCodeName(s.error().code)));
    r.set("message", s.error().message);
  }
  return r;
}

// {type, ...fields}, in the order the module's .d.ts lists them.
inline emscripten::val event(const char* type, std::initializer_list<std::pair<const char*, emscripten::val>> fields) {
  emscripten::val e = emscripten::val::object();
  e.set("type", type);
  for (const auto& [key, value] : fields) e.set(key, value);
  return e;
}

}  // namespace huddle::wasm
