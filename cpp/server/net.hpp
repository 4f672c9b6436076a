// Boost.Beast/Asio names used across huddle-server, and the one rule for which errors are an
// ordinary end of a connection (not worth a log line).
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace huddle::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Sent as the Server header of every HTTP response and WebSocket handshake.
inline constexpr const char* kServerName = "huddle-server";

// True for errors that only mean "the other side went away" or "we are shutting down":
// operation_aborted, websocket closed, eof/end_of_stream, not_connected ("Transport endpoint is
// not connected", seen when a browser closes without a close frame), connection reset, broken pipe.
bool isNormalClose(const beast::error_code& ec);

}  // namespace huddle::server
