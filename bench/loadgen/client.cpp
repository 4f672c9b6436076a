#include "client.hpp"

#include <chrono>
#include <cstring>
#include <random>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace loadgen {
namespace {

// Enough for dozens of relay frames per read; a larger message grows the buffer (kept small
// because an idle run holds 10k connections).
constexpr std::size_t kReadBufferBytes = 8 * 1024;
// Larger server messages are a bug in the server or the generator; huddle's own cap is 1 MiB.
constexpr std::size_t kMaxMessageBytes = 1 << 20;

std::int64_t steadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Client::Client(net::io_context& io, ClientEvents& events, std::uint32_t index, std::uint32_t seed)
    : socket_(io), events_(events), index_(index) {
  std::mt19937 random(seed ^ (index * 2654435761u));
  for (auto& b : mask_) b = static_cast<std::uint8_t>(random());
}

Client::~Client() = default;

void Client::connect(const tcp::endpoint& endpoint, const std::string& host, const std::string& path) {
  host_ = &host;
  path_ = &path;
  socket_.async_connect(endpoint, [this](const boost::system::error_code& ec) { onConnect(ec); });
}

void Client::onConnect(const boost::system::error_code& ec) {
  if (ec) return finish("connect: " + ec.message());
  // We batch frames ourselves; Nagle would only add delay to the last frame of a batch.
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  handshake_ = std::make_unique<boost::beast::websocket::stream<tcp::socket&>>(socket_);
  handshake_->async_handshake(*host_, *path_, [this](const boost::system::error_code& e) { onHandshake(e); });
}

void Client::onHandshake(const boost::system::error_code& ec) {
  // Destroyed later, not inside its own completion handler.
  net::post(socket_.get_executor(), [h = std::shared_ptr<void>(std::move(handshake_))] {});
  if (ec) return finish("handshake: " + ec.message());
  // Neither server sends anything before our first frame, so Beast's read buffer is empty and
  // nothing is lost by reading the socket directly from here on.
  read_.resize(kReadBufferBytes);
  open_ = true;
  doRead();
  events_.onOpen(*this);
}

void Client::doRead() {
  socket_.async_read_some(net::buffer(read_.data() + readLength_, read_.size() - readLength_),
                          [this](const boost::system::error_code& ec, std::size_t n) { onRead(ec, n); });
}

void Client::onRead(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec) return finish(ec == net::error::eof ? "closed by the server" : ec.message());
  readLength_ += bytes;
  const std::int64_t now = steadyNs();  // one clock read for every message of this read
  std::size_t at = 0;
  while (!finished_) {
    ServerFrame frame;
    const long used = parseServerFrame(read_.data() + at, readLength_ - at, kMaxMessageBytes, frame);
    if (used < 0) return finish("message over 1 MiB");
    if (used == 0) break;
    at += static_cast<std::size_t>(used);
    handleFrame(frame, now);
  }
  if (finished_) return;
  if (at > 0) {
    std::memmove(read_.data(), read_.data() + at, readLength_ - at);
    readLength_ -= at;
  }
  if (readLength_ == read_.size()) read_.resize(read_.size() * 2);  // one frame larger than the buffer
  events_.afterRead(now);
  if (!finished_) doRead();
}

void Client::handleFrame(const ServerFrame& frame, std::int64_t nowNs) {
  switch (frame.opcode) {
    case Opcode::Text:
    case Opcode::Binary:
      if (frame.fin) return events_.onMessage(*this, frame.payload, nowNs);
      fragments_.assign(frame.payload);
      return;
    case Opcode::Continuation:
      fragments_.append(frame.payload);
      if (frame.fin) events_.onMessage(*this, fragments_, nowNs);
      return;
    case Opcode::Ping:  // huddle-server pings after half its idle timeout
      appendClientFrame(out_, Opcode::Pong, frame.payload, mask_);
      return flush();
    case Opcode::Pong:
      return;
    case Opcode::Close:
      closeReceived_ = true;
      if (closeSent_) {
        boost::system::error_code ignored;
        socket_.close(ignored);  // the read then ends with operation_aborted
        return;
      }
      // The server closes first: answer with its code, then close once that is written.
      appendClientFrame(out_, Opcode::Close, frame.payload.substr(0, 2), mask_);
      closeSent_ = true;
      return flush();
  }
}

void Client::sendText(std::string_view text) {
  appendClientFrame(out_, Opcode::Text, text, mask_);
  flush();
}

void Client::flush() {
  if (writeInFlight_ || out_.empty() || finished_) return;
  // Swapping keeps both buffers' capacity: after warm-up a write allocates nothing.
  std::swap(out_, writing_);
  writeInFlight_ = true;
  net::async_write(socket_, net::buffer(writing_),
                   [this](const boost::system::error_code& ec, std::size_t) { onWrite(ec); });
}

void Client::onWrite(const boost::system::error_code& ec) {
  writeInFlight_ = false;
  writing_.clear();
  if (ec) {
    boost::system::error_code ignored;
    socket_.close(ignored);  // the read loop reports it
    return;
  }
  if (closeReceived_ && closeSent_ && out_.empty()) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    return;
  }
  flush();
}

void Client::close() {
  if (!open_) return forceClose();  // still connecting: nothing to say goodbye on
  closing_ = true;
  if (closeSent_ || finished_) return;
  closeSent_ = true;
  const char normal[2] = {static_cast<char>(1000 >> 8), static_cast<char>(1000 & 0xFF)};
  appendClientFrame(out_, Opcode::Close, std::string_view(normal, 2), mask_);
  flush();
}

void Client::forceClose() {
  boost::system::error_code ignored;
  closing_ = true;
  socket_.close(ignored);
}

void Client::finish(std::string_view why) {
  if (finished_) return;
  finished_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
  events_.onClosed(*this, why, closing_);
}

}  // namespace loadgen
