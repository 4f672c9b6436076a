// JSON text <-> protocol structs, with full validation. Decoders never throw: every malformed
// frame becomes an Error whose code is the one the peer is told (BadJson, BadFrame, UnknownType,
// FrameTooLarge). The same codec runs in huddle-server and, compiled to Wasm, in the browser.
#pragma once

#include <string>
#include <string_view>

#include "huddle/error.hpp"
#include "huddle/message.hpp"

namespace huddle {

// Server side: parse what a client sent.
Result<ClientMessage> decodeClientMessage(std::string_view text);
std::string encode(const ServerMessage& message);

// Client side: parse what the server sent.
Result<ServerMessage> decodeServerMessage(std::string_view text);
std::string encode(const ClientMessage& message);

// Best effort: the "t" of a frame, for error refs; "" when the frame has none.
std::string frameType(std::string_view text);

}  // namespace huddle
