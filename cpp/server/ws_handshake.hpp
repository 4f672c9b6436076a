// The WebSocket opening handshake (RFC 6455 4.2), done by Beast: it checks the upgrade request,
// answers 101 with our Server header, and enforces kWebSocketHandshakeTimeout. Then the socket
// alone goes to a new WebSocketSession, which speaks the data phase itself; Beast's stream (a few
// KiB with its buffers and timer) is gone once the handshake is over.
#pragma once

#include <memory>

#include "huddle/hub.hpp"
#include "server/net.hpp"

namespace huddle::server {

class SharedState;

// Answers the upgrade request `request`, already read from `socket`, and starts the session for
// connection `id` (reserved with SharedState::reserve()). On failure the slot is released and
// the failure logged. The socket's executor must be a strand.
void acceptWebSocket(tcp::socket&& socket, http::request<http::string_body> request,
                     std::shared_ptr<SharedState> state, ConnId id);

}  // namespace huddle::server
