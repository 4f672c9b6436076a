// The options object a WasmClient is made with (WasmClientOptions in huddle_client.d.ts), read
// into a ClientConfig. The knobs come from HUDDLE_CLIENT_KNOBS, so a new knob needs no change here.
#pragma once

#include <string>

#include <emscripten/val.h>

#include "huddle/client_config.hpp"

namespace huddle::wasm {

// Every knob given as a number, peerId and resumeToken given as strings; the rest keep defaults.
ClientConfig configFrom(const emscripten::val& options);
// options.socket, the WebSocket the facade opened while the module loaded; else undefined.
emscripten::val preopenedSocketFrom(const emscripten::val& options);
// "relay" when options.iceTransportPolicy says so, else "" (the browser's default, "all").
std::string iceTransportPolicyFrom(const emscripten::val& options);

}  // namespace huddle::wasm
