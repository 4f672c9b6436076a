#include "server/ws_handshake.hpp"

#include <utility>

#include "server/shared_state.hpp"
#include "server/websocket_session.hpp"

namespace huddle::server {
namespace {

class Handshake : public std::enable_shared_from_this<Handshake> {
 public:
  Handshake(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnId id)
      : ws_(std::move(socket)), state_(std::move(state)), id_(id) {}

  void run(http::request<http::string_body> request) {
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = kWebSocketHandshakeTimeout;
    // The session keeps its own heartbeat; Beast's idle timer would only run until we leave.
    timeout.idle_timeout = websocket::stream_base::none();
    timeout.keep_alive_pings = false;
    ws_.set_option(timeout);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(http::field::server, kServerName); }));
    // With the request already read, Beast only writes the response: it reads nothing more from
    // the socket, so no byte of the data phase is left behind in its buffer.
    ws_.async_accept(request, beast::bind_front_handler(&Handshake::onAccept, shared_from_this()));
  }

 private:
  void onAccept(beast::error_code ec) {
    if (ec) {
      if (!isNormalClose(ec)) state_->log(sessionTag(id_) + " handshake failed: " + ec.message());
      state_->release(id_);
      return;
    }
    std::make_shared<WebSocketSession>(std::move(ws_.next_layer()), std::move(state_), id_)->start();
  }

  websocket::stream<tcp::socket> ws_;
  std::shared_ptr<SharedState> state_;
  const ConnId id_;
};

}  // namespace

void acceptWebSocket(tcp::socket&& socket, http::request<http::string_body> request,
                     std::shared_ptr<SharedState> state, ConnId id) {
  auto executor = socket.get_executor();
  net::dispatch(executor, [handshake = std::make_shared<Handshake>(std::move(socket), std::move(state), id),
                           request = std::move(request)]() mutable { handshake->run(std::move(request)); });
}

}  // namespace huddle::server
