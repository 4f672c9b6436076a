// A real Beast WebSocket client for tests. Single-threaded: it owns an io_context that only runs
// inside its own calls, so while a test is not calling into a client, that client reads nothing
// (and answers no pings) -- which is exactly how the heartbeat test plays a silent client.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace huddle::test {

using namespace std::chrono_literals;
using Json = nlohmann::json;

class WsClient {
 public:
  // Connects to ws://127.0.0.1:port<target> and completes the handshake; throws on failure.
  // `receiveBufferBytes` > 0 shrinks the socket's receive buffer (SO_RCVBUF), so a client that
  // stops reading fills up after little data.
  // `localAddress` (e.g. "127.0.0.5"): the address the connection comes from, for the limits per
  // address; "" lets the OS pick (127.0.0.1).
  explicit WsClient(unsigned short port, const std::string& target = "/ws", int receiveBufferBytes = 0,
                    const std::string& localAddress = "");
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Tries the handshake only; returns the HTTP status the server answered with (101 on success).
  static int handshakeStatus(unsigned short port, const std::string& target = "/ws");

  void sendText(std::string_view text);
  void sendBinary(std::string_view bytes);
  // One text message sent as several WebSocket frames of at most `fragmentBytes` each.
  void sendFragmented(std::string_view text, std::size_t fragmentBytes);
  void send(const Json& frame) { sendText(frame.dump()); }

  // The next text frame, parsed; nullopt when none arrives within `timeout` or the connection ends.
  std::optional<Json> next(std::chrono::milliseconds timeout = 1500ms);
  // The next frame, which must have "t" == type; throws (failing the test) otherwise.
  Json expect(std::string_view type, std::chrono::milliseconds timeout = 1500ms);
  // The next frame must be {"t":"error","code":code}; returns it.
  Json expectError(std::string_view code, std::chrono::milliseconds timeout = 1500ms);
  // True when no frame arrives for `period` (the connection keeps answering pings meanwhile).
  bool quietFor(std::chrono::milliseconds period);
  // Waits until the server closes the connection; returns its close code (0: closed without one),
  // nullopt on timeout. Frames arriving meanwhile are discarded.
  std::optional<int> waitClosed(std::chrono::milliseconds timeout = 1500ms);
  bool closed() const { return closed_; }
  // The reason text of the server's close frame ("" when none came).
  const std::string& closeReason() const { return closeReason_; }
  // Sends a close frame and waits for the server's answer.
  void close();

  // ---- protocol shortcuts (each waits for and returns the server's answer) -------------------
  // hello -> welcome; remembers and returns the peer id.
  Json hello();
  Json create(const std::string& name, int maxMembers = 0);  // -> room_joined
  Json join(const std::string& code, const std::string& name);  // -> room_joined
  const std::string& id() const { return id_; }

 private:
  void startRead();
  // Runs the io_context until `done()` or the deadline; false on timeout.
  template <class Pred>
  bool runUntil(Pred done, std::chrono::steady_clock::time_point deadline);

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> inbox_;
  bool closed_ = false;
  int closeCode_ = 0;
  std::string closeReason_;
  std::string id_;
};

// Frames a client sends.
namespace frames {
Json hello(int version = 1);
Json create(const std::string& name, int maxMembers = 0);
Json join(const std::string& code, const std::string& name);
Json leave();
Json offer(const std::string& to, const std::string& sdp);
Json answer(const std::string& to, const std::string& sdp);
Json candidate(const std::string& to, const std::string& candidate);
Json ping(std::uint64_t id);
}  // namespace frames

}  // namespace huddle::test
