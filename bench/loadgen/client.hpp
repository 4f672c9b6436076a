// One WebSocket connection of the generator: Beast does the opening handshake (HTTP upgrade,
// Sec-WebSocket-Accept check); after that the connection reads and writes raw frames itself
// (frames.hpp says why). Single-threaded: it lives on one io_context and is only touched there.
//
// Writes are batched: callers append frames to outBuffer() and call flush(); while a write is in
// flight, frames gather in the other of two buffers and go out together when it completes. One
// read is always outstanding; every frame it brought is handed to the ClientEvents, then
// afterRead() runs once, so the events can flush everything the frames caused in one go.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket/stream_fwd.hpp>

#include "frames.hpp"

namespace loadgen {

namespace net = boost::asio;
using tcp = net::ip::tcp;

class Client;

// What a Client reports to its owner. Called on the client's io_context thread.
class ClientEvents {
 public:
  virtual ~ClientEvents() = default;
  // The WebSocket is open; the client may send.
  virtual void onOpen(Client& client) = 0;
  // A complete text (or binary) message; `nowNs` is when the read that brought it completed.
  virtual void onMessage(Client& client, std::string_view message, std::int64_t nowNs) = 0;
  // After all messages of one read were handled.
  virtual void afterRead(std::int64_t nowNs) = 0;
  // The connection is over (once per client). `expected`: we closed it (close()/forceClose()).
  virtual void onClosed(Client& client, std::string_view why, bool expected) = 0;
};

class Client {
 public:
  Client(net::io_context& io, ClientEvents& events, std::uint32_t index, std::uint32_t seed);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects and upgrades; `host` and `path` must outlive the handshake.
  void connect(const tcp::endpoint& endpoint, const std::string& host, const std::string& path);

  // Appends one text frame and flushes.
  void sendText(std::string_view text);
  // Frames appended here go out at the next flush().
  std::string& outBuffer() { return out_; }
  // Starts a write of everything appended, unless one is in flight (then it follows that one).
  void flush();
  // Sends a close frame (1000); the socket closes when the server's close frame arrives.
  void close();
  // Closes the socket now.
  void forceClose();

  std::uint32_t index() const { return index_; }
  const MaskKey& mask() const { return mask_; }

 private:
  void onConnect(const boost::system::error_code& ec);
  void onHandshake(const boost::system::error_code& ec);
  void doRead();
  void onRead(const boost::system::error_code& ec, std::size_t bytes);
  void handleFrame(const ServerFrame& frame, std::int64_t nowNs);
  void onWrite(const boost::system::error_code& ec);
  void finish(std::string_view why);

  tcp::socket socket_;
  ClientEvents& events_;
  const std::uint32_t index_;
  MaskKey mask_{};
  // Only during the opening handshake; wraps socket_ by reference.
  std::unique_ptr<boost::beast::websocket::stream<tcp::socket&>> handshake_;
  const std::string* host_ = nullptr;
  const std::string* path_ = nullptr;
  std::vector<char> read_;     // bytes read and not yet parsed are read_[0, readLength_)
  std::size_t readLength_ = 0;
  std::string fragments_;      // a message the server sent in several frames (neither server does)
  std::string out_;            // frames waiting for the next write
  std::string writing_;        // the write in flight
  bool writeInFlight_ = false;
  bool open_ = false;          // the handshake is done
  bool closing_ = false;       // the owner asked for the end (close/forceClose)
  bool closeSent_ = false;     // we sent a close frame
  bool closeReceived_ = false; // the server sent one
  bool finished_ = false;
};

}  // namespace loadgen
