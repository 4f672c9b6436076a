// The Embind table: names only. Conversions live in wasm_client.cpp, wasm_events.cpp and
// wasm_options.cpp; huddle_client.d.ts declares all of it for TypeScript; the typed facade in
// web/src/lib is the only code that sees these names.
#include <emscripten/bind.h>

#include "wasm_client.hpp"

EMSCRIPTEN_BINDINGS(huddle) {
  using huddle::wasm::LinkEvent;
  using huddle::wasm::WasmClient;
  emscripten::class_<WasmClient>("WasmClient")
      .constructor<std::string, emscripten::val, emscripten::val>()
      .function("createRoom", &WasmClient::createRoom)
      .function("joinRoom", &WasmClient::joinRoom)
      .function("leave", &WasmClient::leave)
      .function("send", &WasmClient::send)
      .function("sendTo", &WasmClient::sendTo)
      .function("request", &WasmClient::request)
      .function("respond", &WasmClient::respond)
      .function("refuse", &WasmClient::refuse)
      .function("sendState", &WasmClient::sendState)
      .function("sendGame", &WasmClient::sendGame)
      .function("status", &WasmClient::status)
      .function("selfId", &WasmClient::selfId)
      .function("roomCode", &WasmClient::roomCode)
      .function("host", &WasmClient::host)
      .function("resumeToken", &WasmClient::resumeToken)
      .function("relayOnly", &WasmClient::relayOnly)
      .function("peers", &WasmClient::peers)
      .function("queued", &WasmClient::queued);
  // What rtc_bridge.cpp's JavaScript reports, by name (Module.LinkEvent.Open, ...).
  emscripten::enum_<LinkEvent>("LinkEvent")
      .value("LocalDescription", LinkEvent::LocalDescription)
      .value("LocalCandidate", LinkEvent::LocalCandidate)
      .value("Open", LinkEvent::Open)
      .value("Message", LinkEvent::Message)
      .value("Failed", LinkEvent::Failed)
      .value("Closed", LinkEvent::Closed);
  emscripten::function("huddleLinkEvent", &WasmClient::dispatchLinkEvent);
  emscripten::function("huddleTimerFired", &huddle::wasm::TimerBridge::fired);
}
