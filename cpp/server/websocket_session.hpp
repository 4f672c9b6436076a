// One signaling WebSocket (/ws) after its opening handshake (ws_handshake.hpp): reads frames into
// the Hub through SharedState and writes what the Hub sends back, speaking RFC 6455 itself on the
// TCP socket so that every read handles all the frames it brought and every write carries all the
// frames waiting (one syscall per burst, not per frame). Asynchronous, on its own strand: one read
// and at most one write in flight, plus a bounded outbound queue. Lifetime: held by its pending
// operations (shared_from_this); the read loop's end is the one place the Hub is told of the
// disconnect.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "huddle/hub.hpp"
#include "huddle/rate_limit.hpp"
#include "server/metrics.hpp"
#include "server/net.hpp"
#include "server/outbound_queue.hpp"
#include "server/read_buffer.hpp"
#include "server/ws_reader.hpp"

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
// When we close (slow client, shutdown, a broken rule), the close frame may be stuck behind a
// write the client never drains, or the client may never answer it. After this long the TCP
// connection is dropped instead.
inline constexpr std::chrono::seconds kCloseGrace{1};

// "ws #<id>", how log lines name a connection.
std::string sessionTag(ConnId id);

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  // `socket` has completed the opening handshake; its executor must be a strand. `id` was
  // reserved with SharedState::reserve().
  WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnId id);

  // Registers with SharedState and starts reading and the heartbeat; or, when the server began
  // stopping during the handshake, closes with going_away. Call once, on the socket's strand.
  void start();

  // Queues one text frame. Thread-safe and cheap: called by other sessions (SharedState hands
  // them the Hub's frames), it only appends to a list; the first frame since the last flush posts
  // one flush to this session's strand, so a burst costs one post. Frames keep the order of calls.
  void send(SharedFrame frame);
  // Starts the closing handshake with `code`, for `why` (counted when the connection ends).
  // Thread-safe; later sends are dropped.
  void close(websocket::close_code code, ConnectionEnd why);

 private:
  // Reading (every frame a read brought is handled before the next read).
  void doRead();
  void onRead(beast::error_code ec, std::size_t bytes);
  bool handleFrames();  // false when the read loop is over (the peer's close frame came)
  void onMessage(bool text, std::string_view payload, double nowMs);
  void onPeerClose(std::uint16_t code);
  void failConnection(std::uint16_t code, const char* problem);
  void finish(beast::error_code ec);

  // Writing.
  void onHandOff();
  void takeHandOffs(bool flushRan);
  void enqueue(ws::Opcode opcode, SharedFrame frame);
  void enqueueAnswer(SharedFrame frame);
  void writeWaiting();
  void onWrite(beast::error_code ec, std::size_t bytes);

  // Closing and the heartbeat (one timer for both).
  // `why`: what the connection's end is counted as; `reason`: the close frame's text (at most 123
  // bytes), saying what the peer did wrong.
  void startClose(std::uint16_t code, ConnectionEnd why, std::string_view reason = {});
  void armHeartbeat();
  void armCloseGrace();
  void onTimer(beast::error_code ec);
  // The hello deadline (ServerConfig::helloTimeoutMs): not welcomed by then, closed with 1008.
  void armHelloDeadline();
  void onHelloDeadline(beast::error_code ec);
  void closeSocket();

  tcp::socket socket_;
  // While open: ticks every heartbeatMs / 2. Once closing: the close grace.
  net::steady_timer timer_;
  net::steady_timer helloTimer_;  // the hello deadline; idle once welcomed
  std::shared_ptr<SharedState> state_;
  const ConnId id_;
  RateLimiter frames_;  // what this connection may send: config().rate
  RateLimiter bytes_;
  ReadBuffer readBuffer_;
  ws::MessageReader reader_;
  OutboundQueue outbound_;

  // Frames from other threads on their way to outbound_, in the order send() was called.
  std::mutex handOffMutex_;
  std::vector<SharedFrame> handOff_;  // guarded by handOffMutex_
  bool flushPosted_ = false;          // guarded by handOffMutex_

  const char* problem_ = nullptr;  // the rule the peer broke, for the log line
  // Why we ended the connection, once we decided to (the first decision wins); unset when the
  // peer ended it or the heartbeat gave up on it.
  std::optional<ConnectionEnd> endedBy_;
  std::uint16_t failedWith_ = 0;   // our close code when we failed the connection (1002, 1009)
  bool closing_ = false;     // our close frame is queued (or the connection is over): no more data frames
  bool closeSent_ = false;   // our close frame is written; we send nothing more
  bool peerClosed_ = false;  // the peer's close frame came
  bool finished_ = false;    // read loop over; the Hub has been told
  bool heard_ = false;       // something was read since the last heartbeat tick
  bool pinged_ = false;      // a heartbeat ping is out and nothing was read since
  bool timedOut_ = false;    // the heartbeat gave up on the peer
};

}  // namespace huddle::server
