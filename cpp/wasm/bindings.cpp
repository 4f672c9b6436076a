// The Embind table: names only. Conversions live in wasm_client.cpp; the typed facade in
// web/src/lib is the only code that sees these names.
#include <emscripten/bind.h>

#include "wasm_client.hpp"

EMSCRIPTEN_BINDINGS(huddle) {
  using huddle::wasm::WasmClient;
  emscripten::class_<WasmClient>("WasmClient")
      .constructor<std::string, emscripten::val, emscripten::val>()
      .function("createRoom", &WasmClient::createRoom)
      .function("joinRoom", &WasmClient::joinRoom)
      .function("leave", &WasmClient::leave)
      .function("send", &WasmClient::send)
      .function("sendTo", &WasmClient::sendTo)
      .function("status", &WasmClient::status)
      .function("selfId", &WasmClient::selfId)
      .function("roomCode", &WasmClient::roomCode)
      .function("host", &WasmClient::host)
      .function("resumeToken", &WasmClient::resumeToken)
      .function("relayOnly", &WasmClient::relayOnly)
      .function("peersJson", &WasmClient::peersJson);
  emscripten::function("huddleLinkEvent", &WasmClient::dispatchLinkEvent);
}
