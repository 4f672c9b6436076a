// The WebSocket idle timeout: silent clients are dropped (peers see "timed_out"), clients that
// answer pings stay, and a client too slow to drain its queue is closed with a policy code.
#include <gtest/gtest.h>

#include "server/websocket_session.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

constexpr int kHeartbeatMs = 300;

class ServerHeartbeat : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.heartbeatMs = kHeartbeatMs;
    startServer(config);
  }
};

TEST_F(ServerHeartbeat, SilentClientIsDroppedAndPeersSeeTimedOut) {
  auto ann = greeted();
  const std::string code = ann->create("Ann")["code"].get<std::string>();
  auto silent = greeted();
  silent->join(code, "Silent");
  ann->expect("peer_joined");
  // From here `silent` is never run again: it reads nothing and answers no pings.

  auto left = ann->expect("peer_left", std::chrono::milliseconds(4 * kHeartbeatMs));
  EXPECT_EQ(left["id"], silent->id());
  EXPECT_EQ(left["reason"], "timed_out");
  EXPECT_EQ(server().stats().transport.heartbeatTimeouts, 1u);
  EXPECT_EQ(server().stats().hub.connections, 1u);
}

TEST_F(ServerHeartbeat, ClientThatAnswersPingsStays) {
  auto ann = greeted();
  ann->create("Ann");
  // Idle (no frames sent) for well over the timeout, but reading, so pings are answered.
  EXPECT_TRUE(ann->quietFor(std::chrono::milliseconds(3 * kHeartbeatMs)));
  ann->send(frames::ping(7));
  EXPECT_EQ(ann->expect("pong")["id"], 7);
  EXPECT_EQ(server().stats().transport.heartbeatTimeouts, 0u);
}

class ServerSlowClient : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.sendQueueMaxBytes = 256 * 1024;  // the default 4 MiB only makes the test slower
    config.rate = {1e6, 1e6, 1e9, 1e9};  // this test floods on purpose; the rate limit is tested apart
    startServer(config);
  }

  // Ann creates a room; a member with a small receive buffer joins it and stops reading, then
  // overflow() fills its queue. Returns that member.
  std::unique_ptr<WsClient> slowMemberOverflowed(WsClient& ann) {
    const std::string code = ann.create("Ann")["code"].get<std::string>();
    auto slow = std::make_unique<WsClient>(port(), "/ws", 4096);
    slow->hello();
    slow->join(code, "Slow");
    ann.expect("peer_joined");
    overflow(ann, *slow);
    return slow;
  }

  // Ann and a member that stops reading; Ann then signals it ~30 KiB at a time until the server
  // gives up on it (the session queue holds 256 KiB here; the kernel buffers some more).
  void overflow(WsClient& ann, WsClient& slow) {
    const std::string frame = frames::offer(slow.id(), std::string(30 * 1024, 's')).dump();
    for (int i = 0; i < 4000 && server().stats().transport.slowClientsClosed == 0; ++i) {
      ann.sendText(frame);
      if (i % 16 == 15) ann.quietFor(std::chrono::milliseconds(1));  // let the server catch up
    }
    ASSERT_EQ(server().stats().transport.slowClientsClosed, 1u);
  }
};

TEST_F(ServerSlowClient, QueueOverflowClosesWithPolicyCode) {
  auto ann = greeted();
  auto slow = slowMemberOverflowed(*ann);

  // Reading again, the slow client finds what was already sent, then a policy close.
  auto closeCode = slow->waitClosed();
  ASSERT_TRUE(closeCode.has_value());
  EXPECT_EQ(*closeCode, 1008);
  // Ann learns Slow left and still works; signals of hers still in flight when Slow left are
  // refused as peer_not_in_room.
  ann->send(frames::ping(1));
  bool sawLeft = false;
  bool sawPong = false;
  while (!sawLeft || !sawPong) {
    auto frame = ann->next();
    ASSERT_TRUE(frame.has_value()) << "left: " << sawLeft << ", pong: " << sawPong;
    if ((*frame)["t"] == "pong") {
      sawPong = true;
    } else if ((*frame)["t"] == "peer_left") {
      EXPECT_EQ((*frame)["id"], slow->id());
      EXPECT_EQ((*frame)["reason"], "disconnected");
      sawLeft = true;
    } else {
      EXPECT_EQ((*frame)["code"], "peer_not_in_room") << frame->dump();
    }
  }
  // Counted before the Hub heard of it, so before Ann's peer_left: and as what it was.
  const auto& closed = server().stats().transport.connectionsClosed;
  EXPECT_EQ(closed[static_cast<std::size_t>(server::ConnectionEnd::SlowClient)], 1u);
  EXPECT_EQ(closed[static_cast<std::size_t>(server::ConnectionEnd::ClientClosed)], 0u);
}

TEST_F(ServerSlowClient, ClientThatNeverReadsAgainIsDroppedAfterTheCloseGrace) {
  auto ann = greeted();
  auto slow = slowMemberOverflowed(*ann);

  // The close frame is stuck behind data the client never drains: the TCP connection goes.
  const auto deadline = std::chrono::steady_clock::now() + server::kCloseGrace + std::chrono::milliseconds(500);
  std::optional<nlohmann::json> left;
  while (!left && std::chrono::steady_clock::now() < deadline) {
    auto frame = ann->next(std::chrono::milliseconds(50));
    if (frame && (*frame)["t"] == "peer_left") left = frame;
  }
  ASSERT_TRUE(left.has_value());
  EXPECT_EQ((*left)["id"], slow->id());
  EXPECT_EQ(server().stats().hub.connections, 1u);
}

}  // namespace
}  // namespace huddle::test
