// The WebSocket data phase as raw bytes on the wire: batches of frames in one TCP write, frames
// cut anywhere, control frames, the closing handshake, and the frames that fail a connection
// (which a real client library refuses to send, hence a raw socket).
#include <sys/socket.h>
#include <sys/time.h>

#include <optional>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include "server_fixture.hpp"
#include "ws_test_frames.hpp"

namespace huddle::test {
namespace {

namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;
using server::ws::Opcode;

struct ServerFrame {
  Opcode opcode;
  bool fin;
  std::string payload;
  std::uint16_t closeCode() const {
    return payload.size() < 2 ? 0
                              : static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                                           static_cast<std::uint8_t>(payload[1]));
  }
};

// Beast for the opening handshake, then plain blocking send/recv with a receive timeout.
class RawClient {
 public:
  explicit RawClient(unsigned short port) : ws_(ioc_) {
    ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
    ws_.next_layer().set_option(tcp::no_delay(true));
    timeval timeout{2, 0};
    ::setsockopt(fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }

  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      ASSERT_GT(n, 0) << "send failed";
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void sendText(std::string_view text) { write(clientFrame(Opcode::Text, text)); }

  // The next server frame; nullopt at EOF or after the 2 s receive timeout (eof() tells which).
  std::optional<ServerFrame> next() {
    for (;;) {
      if (auto frame = parse()) return frame;
      char chunk[4096];
      const ssize_t n = ::recv(fd(), chunk, sizeof chunk, 0);
      if (n <= 0) {
        eof_ = n == 0;
        return std::nullopt;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // The next text frame's payload parsed as JSON (skipping nothing); fails the test otherwise.
  Json nextJson() {
    auto frame = next();
    if (!frame) throw std::runtime_error(eof_ ? "connection closed" : "no frame");
    if (frame->opcode != Opcode::Text) throw std::runtime_error("not a text frame");
    return Json::parse(frame->payload);
  }
  bool eof() const { return eof_; }

 private:
  int fd() { return ws_.next_layer().native_handle(); }

  std::optional<ServerFrame> parse() {
    if (buffer_.size() < 2) return std::nullopt;
    const auto b0 = static_cast<std::uint8_t>(buffer_[0]);
    const auto b1 = static_cast<std::uint8_t>(buffer_[1]);
    EXPECT_EQ(b1 & 0x80, 0) << "server frames are never masked";
    std::size_t at = 2;
    std::uint64_t n = b1 & 0x7F;
    if (n == 126) {
      if (buffer_.size() < 4) return std::nullopt;
      n = (std::uint64_t{static_cast<std::uint8_t>(buffer_[2])} << 8) | static_cast<std::uint8_t>(buffer_[3]);
      at = 4;
    } else if (n == 127) {
      if (buffer_.size() < 10) return std::nullopt;
      n = 0;
      for (std::size_t i = 2; i < 10; ++i) n = (n << 8) | static_cast<std::uint8_t>(buffer_[i]);
      at = 10;
    }
    if (buffer_.size() < at + n) return std::nullopt;
    ServerFrame frame{static_cast<Opcode>(b0 & 0x0F), (b0 & 0x80) != 0, buffer_.substr(at, n)};
    buffer_.erase(0, at + n);
    return frame;
  }

  net::io_context ioc_;
  websocket::stream<tcp::socket> ws_;
  std::string buffer_;
  bool eof_ = false;
};

std::string hello() { return frames::hello().dump(); }
std::string ping(int id) { return frames::ping(static_cast<std::uint64_t>(id)).dump(); }

class WsProtocol : public ServerFixture {
 protected:
  void SetUp() override { startServer(); }

  // The server answers with a close frame carrying `code`, then closes the TCP connection.
  static void expectClosedWith(RawClient& client, std::uint16_t code) {
    auto frame = client.next();
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->opcode, Opcode::Close);
    EXPECT_EQ(frame->closeCode(), code);
    EXPECT_FALSE(client.next().has_value());
    EXPECT_TRUE(client.eof());
  }
};

TEST_F(WsProtocol, EveryFrameOfOneTcpWriteIsAnsweredInOrder) {
  RawClient client(port());
  std::string burst = clientFrame(Opcode::Text, hello());
  for (int i = 1; i <= 30; ++i) burst += clientFrame(Opcode::Text, ping(i));
  client.write(burst);
  EXPECT_EQ(client.nextJson()["t"], "welcome");
  for (int i = 1; i <= 30; ++i) {
    Json pong = client.nextJson();
    EXPECT_EQ(pong["t"], "pong");
    EXPECT_EQ(pong["id"], i);
  }
}

// Clients send their create/join right behind the hello (docs/protocol.md "Client → server"):
// the server must welcome them first and then answer the join, or refuse both in order.
TEST_F(WsProtocol, AJoinRightBehindTheHelloIsAnsweredAfterTheWelcome) {
  RawClient client(port());
  client.write(clientFrame(Opcode::Text, hello()) + clientFrame(Opcode::Text, frames::create("Ann").dump()));
  Json welcome = client.nextJson();
  EXPECT_EQ(welcome["t"], "welcome");
  Json joined = client.nextJson();
  EXPECT_EQ(joined["t"], "room_joined");
  EXPECT_EQ(joined["you"], welcome["id"]);
}

TEST_F(WsProtocol, AJoinBehindARefusedHelloIsRefusedToo) {
  RawClient client(port());
  client.write(clientFrame(Opcode::Text, frames::hello(99).dump()) +
               clientFrame(Opcode::Text, frames::join("ABC234", "Ann").dump()));
  Json refusal = client.nextJson();
  EXPECT_EQ(refusal["code"], "unsupported_version");
  EXPECT_EQ(refusal["ref"], "hello");
  Json second = client.nextJson();
  EXPECT_EQ(second["code"], "hello_required");
  EXPECT_EQ(second["ref"], "join");
}

TEST_F(WsProtocol, AFrameArrivingByteByByteIsRead) {
  RawClient client(port());
  const std::string frame = clientFrame(Opcode::Text, hello());
  for (std::size_t i = 0; i < frame.size(); ++i) {
    client.write(frame.substr(i, 1));
    if (i % 8 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(client.nextJson()["t"], "welcome");
}

TEST_F(WsProtocol, FragmentedTextMessageIsReassembled) {
  RawClient client(port());
  const std::string text = hello();
  client.write(clientFrame(Opcode::Text, text.substr(0, 5), {.fin = false}) + clientFrame(Opcode::Ping, "mid") +
               clientFrame(Opcode::Continuation, text.substr(5)));
  auto pong = client.next();
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->opcode, Opcode::Pong);
  EXPECT_EQ(client.nextJson()["t"], "welcome");
}

TEST_F(WsProtocol, PingIsAnsweredWithAPongCarryingItsPayload) {
  RawClient client(port());
  client.write(clientFrame(Opcode::Ping, "are you there"));
  auto pong = client.next();
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->opcode, Opcode::Pong);
  EXPECT_TRUE(pong->fin);
  EXPECT_EQ(pong->payload, "are you there");
}

TEST_F(WsProtocol, CloseIsAnsweredWithTheSameCodeAndTheServerEndsTheConnection) {
  RawClient client(port());
  client.sendText(hello());
  client.nextJson();
  client.write(clientFrame(Opcode::Close, closeBody(4001, "done")));
  expectClosedWith(client, 4001);
  EXPECT_EQ(server().stats().hub.connections, 0u);
}

TEST_F(WsProtocol, CloseWithoutACodeIsAnsweredWithoutOne) {
  RawClient client(port());
  client.write(clientFrame(Opcode::Close, ""));
  auto frame = client.next();
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->opcode, Opcode::Close);
  EXPECT_EQ(frame->payload, "");
}

TEST_F(WsProtocol, BrokenFramesFailTheConnectionWithProtocolError) {
  const std::string broken[] = {
      clientFrame(Opcode::Text, hello(), {.masked = false}),
      clientFrame(Opcode::Text, hello(), {.rsv = 4}),  // RSV1: no compression was negotiated
      clientFrame(std::uint8_t{3}, "x"),
      clientFrame(Opcode::Ping, "x", {.fin = false}),
      clientFrame(Opcode::Continuation, "x"),
      clientFrame(Opcode::Close, "\x03"),
  };
  for (const std::string& frame : broken) {
    RawClient client(port());
    client.write(frame);
    expectClosedWith(client, 1002);
  }
}

TEST_F(WsProtocol, BinaryMessageIsAnsweredAndTheConnectionStays) {
  RawClient client(port());
  client.write(clientFrame(Opcode::Binary, "\x01\x02"));
  EXPECT_EQ(client.nextJson()["code"], "bad_frame");
  client.sendText(hello());
  EXPECT_EQ(client.nextJson()["t"], "welcome");
}

class WsProtocolHeartbeat : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.heartbeatMs = 300;
    startServer(config);
  }
};

TEST_F(WsProtocolHeartbeat, SilentClientIsPingedThenDropped) {
  RawClient client(port());
  const auto started = std::chrono::steady_clock::now();
  auto ping = client.next();
  ASSERT_TRUE(ping.has_value());
  EXPECT_EQ(ping->opcode, Opcode::Ping);
  // Dropped without a close frame, as Beast's idle timeout did.
  EXPECT_FALSE(client.next().has_value());
  EXPECT_TRUE(client.eof());
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_GE(took, std::chrono::milliseconds(200));  // ping at half the heartbeat, drop at all of it
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

TEST_F(WsProtocolHeartbeat, AnsweringPingsKeepsAnIdleClient) {
  RawClient client(port());
  for (int i = 0; i < 4; ++i) {
    auto ping = client.next();
    ASSERT_TRUE(ping.has_value());
    ASSERT_EQ(ping->opcode, Opcode::Ping);
    client.write(clientFrame(Opcode::Pong, ping->payload));
  }
  client.sendText(hello());
  EXPECT_EQ(client.nextJson()["t"], "welcome");
}

}  // namespace
}  // namespace huddle::test
