#include "ws_client.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>

namespace huddle::test {
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kConnectTimeout = 2s;
}

template <class Pred>
bool WsClient::runUntil(Pred done, Clock::time_point deadline) {
  while (!done()) {
    if (ioc_.stopped()) ioc_.restart();
    if (ioc_.run_one_until(deadline) == 0) {
      if (Clock::now() >= deadline) return done();
      if (ioc_.stopped() && done()) return true;
      if (ioc_.stopped()) return done();  // no work left: nothing more can happen
    }
  }
  return true;
}

WsClient::WsClient(unsigned short port, const std::string& target, int receiveBufferBytes,
                   const std::string& localAddress)
    : ws_(ioc_) {
  const auto deadline = Clock::now() + kConnectTimeout;
  beast::error_code result = net::error::would_block;
  auto& socket = beast::get_lowest_layer(ws_).socket();
  if (receiveBufferBytes > 0 || !localAddress.empty()) socket.open(tcp::v4());
  if (receiveBufferBytes > 0) socket.set_option(net::socket_base::receive_buffer_size(receiveBufferBytes));
  // (all of 127/8 is loopback on Linux: a client may come from 127.0.0.5 to the server on 127.0.0.1)
  if (!localAddress.empty()) socket.bind(tcp::endpoint(net::ip::make_address(localAddress), 0));
  beast::get_lowest_layer(ws_).async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                                             [&](beast::error_code ec) { result = ec; });
  runUntil([&] { return result != net::error::would_block; }, deadline);
  if (result) throw std::runtime_error("connect failed: " + result.message());

  result = net::error::would_block;
  ws_.async_handshake("127.0.0.1:" + std::to_string(port), target, [&](beast::error_code ec) { result = ec; });
  runUntil([&] { return result != net::error::would_block; }, deadline);
  if (result) throw std::runtime_error("websocket handshake failed: " + result.message());
  startRead();
}

WsClient::~WsClient() {
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().close(ec);
}

int WsClient::handshakeStatus(unsigned short port, const std::string& target) {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).expires_after(kConnectTimeout);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  websocket::response_type response;
  int status = 0;
  ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), target,
                     [&](beast::error_code) { status = static_cast<int>(response.result_int()); });
  ioc.run_for(kConnectTimeout);
  return status;
}

void WsClient::startRead() {
  ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
    if (ec) {
      closed_ = true;
      closeCode_ = static_cast<int>(ws_.reason().code);
      closeReason_ = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
      return;
    }
    inbox_.push_back(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    startRead();
  });
}

void WsClient::sendText(std::string_view text) {
  bool done = false;
  beast::error_code result;
  ws_.text(true);
  ws_.async_write(net::buffer(text.data(), text.size()), [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!runUntil([&] { return done; }, Clock::now() + 2s)) throw std::runtime_error("write timed out");
  if (result) throw std::runtime_error("write failed: " + result.message());
}

void WsClient::sendBinary(std::string_view bytes) {
  bool done = false;
  beast::error_code result;
  ws_.binary(true);
  ws_.async_write(net::buffer(bytes.data(), bytes.size()), [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!runUntil([&] { return done; }, Clock::now() + 2s)) throw std::runtime_error("write timed out");
  ws_.text(true);
  if (result) throw std::runtime_error("write failed: " + result.message());
}

void WsClient::sendFragmented(std::string_view text, std::size_t fragmentBytes) {
  ws_.text(true);
  for (std::size_t offset = 0; offset < text.size();) {
    const std::size_t n = std::min(fragmentBytes, text.size() - offset);
    const bool fin = offset + n == text.size();
    bool done = false;
    beast::error_code result;
    ws_.async_write_some(fin, net::buffer(text.data() + offset, n), [&](beast::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    if (!runUntil([&] { return done; }, Clock::now() + 2s)) throw std::runtime_error("write timed out");
    if (result) throw std::runtime_error("write failed: " + result.message());
    offset += n;
  }
}

std::optional<Json> WsClient::next(std::chrono::milliseconds timeout) {
  runUntil([&] { return !inbox_.empty() || closed_; }, Clock::now() + timeout);
  if (inbox_.empty()) return std::nullopt;
  std::string text = std::move(inbox_.front());
  inbox_.pop_front();
  return Json::parse(text);
}

Json WsClient::expect(std::string_view type, std::chrono::milliseconds timeout) {
  auto frame = next(timeout);
  if (!frame) {
    throw std::runtime_error("expected a \"" + std::string(type) + "\" frame, got " +
                             (closed_ ? "a closed connection" : "nothing"));
  }
  if (!frame->is_object() || frame->value("t", "") != type)
    throw std::runtime_error("expected a \"" + std::string(type) + "\" frame, got " + frame->dump());
  return *frame;
}

Json WsClient::expectError(std::string_view code, std::chrono::milliseconds timeout) {
  Json frame = expect("error", timeout);
  if (frame.value("code", "") != code)
    throw std::runtime_error("expected error " + std::string(code) + ", got " + frame.dump());
  return frame;
}

bool WsClient::quietFor(std::chrono::milliseconds period) {
  runUntil([&] { return !inbox_.empty(); }, Clock::now() + period);
  return inbox_.empty();
}

std::optional<int> WsClient::waitClosed(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!closed_) {
    inbox_.clear();
    if (!runUntil([&] { return !inbox_.empty() || closed_; }, deadline)) return std::nullopt;
  }
  inbox_.clear();
  return closeCode_;
}

void WsClient::close() {
  bool done = false;
  ws_.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
  runUntil([&] { return done && closed_; }, Clock::now() + 2s);
}

Json WsClient::hello() {
  send(frames::hello());
  Json welcome = expect("welcome");
  id_ = welcome.at("id").get<std::string>();
  return welcome;
}

Json WsClient::create(const std::string& name, int maxMembers) {
  send(frames::create(name, maxMembers));
  return expect("room_joined");
}

Json WsClient::join(const std::string& code, const std::string& name) {
  send(frames::join(code, name));
  return expect("room_joined");
}

namespace frames {
Json hello(int version) { return {{"t", "hello"}, {"v", version}}; }
Json create(const std::string& name, int maxMembers) {
  Json j = {{"t", "create"}, {"name", name}};
  if (maxMembers > 0) j["maxMembers"] = maxMembers;
  return j;
}
Json join(const std::string& code, const std::string& name) { return {{"t", "join"}, {"code", code}, {"name", name}}; }
Json leave() { return {{"t", "leave"}}; }
Json offer(const std::string& to, const std::string& sdp) {
  return {{"t", "signal"}, {"to", to}, {"data", {{"kind", "offer"}, {"sdp", sdp}}}};
}
Json answer(const std::string& to, const std::string& sdp) {
  return {{"t", "signal"}, {"to", to}, {"data", {{"kind", "answer"}, {"sdp", sdp}}}};
}
Json candidate(const std::string& to, const std::string& candidate) {
  return {{"t", "signal"},
          {"to", to},
          {"data", {{"kind", "ice_candidate"}, {"candidate", candidate}, {"sdpMid", "0"}, {"sdpMLineIndex", 0}}}};
}
Json ping(std::uint64_t id) { return {{"t", "ping"}, {"id", id}}; }
}  // namespace frames

}  // namespace huddle::test
