// huddle_fast_relay: the ws relay protocol of bench/ws_relay.mjs in a few lines of C++ that read
// nothing of a message but its first bytes, batch writes per connection and run on one thread.
// Not a server to compare with (no validation, no limits, trusts its client's field order): it
// exists to show how fast huddle_loadgen can drive a server that costs next to nothing, i.e. the
// generator's own ceiling on this machine.
//   huddle_fast_relay [--port N]   -> prints "fast-relay listening on PORT", runs until killed
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "frames.hpp"

namespace {

using namespace loadgen;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using boost::system::error_code;

struct Conn {
  explicit Conn(net::io_context& io) : socket(io) {}
  tcp::socket socket;
  std::unique_ptr<websocket::stream<tcp::socket&>> handshake;
  std::vector<char> read = std::vector<char>(16 * 1024);
  std::size_t readLength = 0;
  std::string out, writing;
  std::vector<std::uint32_t>* room = nullptr;
  bool writeInFlight = false, dirty = false, closing = false, closed = false;
};

class Relay {
 public:
  Relay(net::io_context& io, unsigned short port)
      : io_(io), acceptor_(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), port)) {}
  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (!ec) start(std::move(socket));
      accept();
    });
  }

 private:
  void start(tcp::socket socket) {
    const auto id = static_cast<std::uint32_t>(conns_.size());
    conns_.push_back(std::make_unique<Conn>(io_));
    Conn& c = *conns_.back();
    c.socket = std::move(socket);
    error_code ignored;
    c.socket.set_option(tcp::no_delay(true), ignored);
    c.handshake = std::make_unique<websocket::stream<tcp::socket&>>(c.socket);
    c.handshake->async_accept([this, id](error_code ec) {
      net::post(io_, [h = std::shared_ptr<void>(std::move(conns_[id]->handshake))] {});
      if (ec) return drop(id);
      doRead(id);
    });
  }

  void doRead(std::uint32_t id) {
    Conn& c = *conns_[id];
    c.socket.async_read_some(net::buffer(c.read.data() + c.readLength, c.read.size() - c.readLength),
                             [this, id](error_code ec, std::size_t n) { onRead(id, ec, n); });
  }

  void onRead(std::uint32_t id, error_code ec, std::size_t n) {
    Conn& c = *conns_[id];
    if (ec) return drop(id);
    c.readLength += n;
    std::size_t at = 0;
    for (;;) {
      ServerFrame f;  // parses masked client frames too
      const long used = parseServerFrame(c.read.data() + at, c.readLength - at, c.read.size() - 14, f);
      if (used < 0) return drop(id);
      if (used == 0) break;
      at += static_cast<std::size_t>(used);
      if (f.opcode == Opcode::Text) handle(id, f.payload);
      if (f.opcode == Opcode::Close) {
        appendServerFrameHeader(c.out, Opcode::Close, 0);
        c.closing = true;
        markDirty(id);
      }
    }
    std::memmove(c.read.data(), c.read.data() + at, c.readLength - at);
    c.readLength -= at;
    for (std::uint32_t d : dirty_) flush(d);
    dirty_.clear();
    if (!c.closed) doRead(id);
  }

  void handle(std::uint32_t id, std::string_view m) {
    static constexpr std::string_view kSignal = R"({"type":"signal","to":)";
    static constexpr std::string_view kBroadcast = R"({"type":"broadcast",)";
    Conn& c = *conns_[id];
    if (m.starts_with(kSignal) && c.room != nullptr) {
      std::uint32_t to = 0;
      auto [end, ec] = std::from_chars(m.data() + kSignal.size(), m.data() + m.size(), to);
      const std::size_t rest = static_cast<std::size_t>(end - m.data()) + 1;  // past the comma
      if (ec != std::errc{} || to == id || to >= conns_.size() || conns_[to]->room != c.room || conns_[to]->closed || rest > m.size()) {
        return reply(id, R"({"type":"error","code":"peer_not_in_room"})");
      }
      return forward(to, R"({"type":"signal","from":)", id, m.substr(rest));
    }
    if (m.starts_with(kBroadcast) && c.room != nullptr) {
      for (std::uint32_t peer : *c.room) {
        if (peer != id) forward(peer, R"({"type":"broadcast","from":)", id, m.substr(kBroadcast.size()));
      }
      return;
    }
    const auto room = m.find(R"("room":")");
    if (m.find(R"("type":"join")") != std::string_view::npos && room != std::string_view::npos && c.room == nullptr) {
      const std::size_t begin = room + 8;
      const std::string name(m.substr(begin, m.find('"', begin) - begin));
      c.room = &rooms_[name];  // node-based map: the address stays valid
      c.room->push_back(id);
      return reply(id, R"({"type":"joined","id":)" + std::to_string(id) + "}");
    }
    reply(id, R"({"type":"error","code":"unknown_type"})");
  }

  // Appends head + from + "," + rest as one frame to `to`'s output.
  void forward(std::uint32_t to, std::string_view head, std::uint32_t from, std::string_view rest) {
    char digits[16];
    const auto n = static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, from).ptr - digits);
    std::string& out = conns_[to]->out;
    appendServerFrameHeader(out, Opcode::Text, head.size() + n + 1 + rest.size());
    out.append(head);
    out.append(digits, n);
    out += ',';
    out.append(rest);
    markDirty(to);
  }

  void reply(std::uint32_t id, std::string_view text) {
    appendServerFrameHeader(conns_[id]->out, Opcode::Text, text.size());
    conns_[id]->out.append(text);
    markDirty(id);
  }

  void markDirty(std::uint32_t id) {
    if (conns_[id]->dirty) return;
    conns_[id]->dirty = true;
    dirty_.push_back(id);
  }

  void flush(std::uint32_t id) {
    Conn& c = *conns_[id];
    c.dirty = false;
    if (c.writeInFlight || c.out.empty() || c.closed) return;
    std::swap(c.out, c.writing);
    c.writeInFlight = true;
    net::async_write(c.socket, net::buffer(c.writing), [this, id](error_code ec, std::size_t) {
      Conn& w = *conns_[id];
      w.writeInFlight = false;
      w.writing.clear();
      if (ec || (w.closing && w.out.empty())) return drop(id);
      flush(id);
    });
  }

  void drop(std::uint32_t id) {
    Conn& c = *conns_[id];
    if (c.closed) return;
    c.closed = true;
    error_code ignored;
    c.socket.close(ignored);
    if (c.room != nullptr) std::erase(*c.room, id);
  }

  net::io_context& io_;
  tcp::acceptor acceptor_;
  std::vector<std::unique_ptr<Conn>> conns_;  // by id; never shrinks (a bench tool)
  std::unordered_map<std::string, std::vector<std::uint32_t>> rooms_;
  std::vector<std::uint32_t> dirty_;
};

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  if (argc == 3 && std::string_view(argv[1]) == "--port") port = static_cast<unsigned short>(std::stoi(argv[2]));
  net::io_context io;
  Relay relay(io, port);
  relay.accept();
  std::printf("fast-relay listening on %u\n", static_cast<unsigned>(relay.port()));
  std::fflush(stdout);
  io.run();
}
