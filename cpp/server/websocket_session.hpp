// One signaling WebSocket (/ws): reads frames into the Hub through SharedState and writes what the
// Hub sends back. Asynchronous, on its own strand: one read and at most one write in flight, plus
// a bounded outbound queue. Lifetime: held by its pending operations (shared_from_this); it ends
// when the read loop ends, which is also the one place the Hub is told of the disconnect.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "huddle/hub.hpp"
#include "huddle/rate_limit.hpp"
#include "server/net.hpp"

namespace huddle::server {

class SharedState;

// Largest WebSocket message the transport reads. Well above limits::kMaxFrameBytes on purpose:
// a frame a little over the protocol limit reaches the Hub and gets a frame_too_large error while
// the connection stays usable; only messages over this cap close the connection (code 1009).
inline constexpr std::size_t kTransportMaxMessageBytes = 1024 * 1024;

// The outbound queue is bounded by ServerConfig::sendQueueMaxFrames/-Bytes (1024 frames, 4 MiB).
// A client that lets more than that pile up is too slow to keep: it is closed with policy_error
// (1008) and a log line.

// Time allowed for the opening handshake, and for the peer's answer to our close frame.
inline constexpr std::chrono::seconds kWebSocketHandshakeTimeout{5};
// When we close (slow client, shutdown), the close frame may be stuck behind a write the client
// never drains. After this long the TCP connection is dropped instead.
inline constexpr std::chrono::seconds kCloseGrace{1};

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  // `id` was reserved with SharedState::reserve(); the socket's executor must be a strand.
  WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnId id);

  // Completes the WebSocket handshake for the upgrade request `request`, then starts reading.
  void run(http::request<http::string_body> request);

  // Queues one text frame. Thread-safe (posts to the session's strand).
  void send(SharedFrame frame);
  // Starts the closing handshake with `code`. Thread-safe; later sends are dropped.
  void close(websocket::close_code code);

 private:
  void onAccept(beast::error_code ec);
  void doRead();
  void onRead(beast::error_code ec, std::size_t bytes);
  void finish(beast::error_code ec);
  void enqueue(SharedFrame frame);
  void doWrite();
  void onWrite(beast::error_code ec, std::size_t bytes);
  void startClose(websocket::close_code code);
  void armCloseTimer();
  void dropQueued();
  std::string tag() const;

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer closeTimer_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  const ConnId id_;
  RateLimiter limiter_;
  std::deque<SharedFrame> queue_;  // front() is being written while writing_
  std::size_t queuedBytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;   // close started (by us or because the connection failed)
  bool finished_ = false;  // read loop over; the Hub has been told
  bool timedOut_ = false;  // a write saw the idle timeout before the read did
};

}  // namespace huddle::server
