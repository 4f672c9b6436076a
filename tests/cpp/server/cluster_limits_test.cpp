// Limits per address across nodes (docs/cluster.md, "Limits across nodes"): two in-process
// huddle-servers share a real redis-server, and one address (a client bound to 127.0.0.x) spreads
// what it does over both, as it would behind a balancer. Each node tells the other what it
// charged and what it has open every 200 ms, so the address gets one node's allowance, not two;
// a node that is gone stops counting; with Redis down each node holds it to its own.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "raw_connection.hpp"
#include "redis_process.hpp"
#include "redis_test_support.hpp"
#include "server_fixture.hpp"

namespace huddle::test {
namespace {

constexpr int kRoomBurst = 3;
constexpr std::size_t kConnectionsPerAddress = 4;
constexpr std::size_t kHttpConnectionsPerAddress = 3;

class ClusterLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = start("node-a");
    b_ = start("node-b");
  }
  void TearDown() override {
    keep_.clear();
    for (auto* node : {&a_, &b_})
      if (*node) (*node)->stop();
  }
  std::unique_ptr<server::Server> start(const std::string& nodeId) {
    server::ServerConfig c = nodeConfig(redis_.port(), nodeId);
    c.perAddress.roomsPerMinute = 0.5;  // one room back every 2 minutes: none comes back during a test
    c.perAddress.roomBurst = kRoomBurst;
    c.maxConnectionsPerAddress = kConnectionsPerAddress;
    c.maxHttpConnectionsPerAddress = kHttpConnectionsPerAddress;
    auto node = std::make_unique<server::Server>(c);
    auto ec = node->start();
    EXPECT_FALSE(ec) << ec.message();
    return node;
  }
  // Until each node has read three more reports of the other's: both know what the other charged
  // and has open now (a node reports what changed at its next tick, at least every second; reports
  // go in order).
  void settle() {
    const auto fromB = a_->stats().directory.usageReportsReceived;
    const auto fromA = b_->stats().directory.usageReportsReceived;
    ASSERT_TRUE(eventually(
        [&] {
          return a_->stats().directory.usageReportsReceived >= fromB + 3 &&
                 b_->stats().directory.usageReportsReceived >= fromA + 3;
        },
        8000ms))
        << "the nodes do not hear from each other";
  }
  // The answer to a create from `address` through `node`, on a connection of its own (dropped after).
  Json createThrough(server::Server& node, const std::string& address) {
    WsClient eve(node.port(), "/ws", 0, address);
    eve.hello();
    eve.send(frames::create("Eve"));
    return *eve.next(3000ms);
  }
  // A WebSocket upgrade from `address` to `node`: its HTTP status; an admitted one stays open.
  int upgrade(server::Server& node, const std::string& address) {
    keep_.push_back(std::make_unique<RawConnection>(node.port(), address));
    keep_.back()->send(upgradeRequest(node.port()));
    return keep_.back()->readResponse().status;
  }

  RedisProcess redis_;
  std::unique_ptr<server::Server> a_, b_;
  std::vector<std::unique_ptr<RawConnection>> keep_;
};

TEST_F(ClusterLimits, RoomsCreatedThroughBothNodesAreHeldToOneNodesBurst) {
  auto remoteCharges = [&] { return a_->stats().directory.remoteCharges + b_->stats().directory.remoteCharges; };
  int created = 0, limited = 0;
  for (int i = 0; i < 2 * kRoomBurst; ++i) {
    server::Server& node = i % 2 == 0 ? *a_ : *b_;
    Json answer = createThrough(node, "127.0.0.21");
    if (answer["t"] == "error" && answer["code"] == "rate_limited") ++limited;
    if (answer["t"] != "room_joined") continue;
    ++created;
    // Within the lag, the other node has charged it too.
    EXPECT_TRUE(eventually([&] { return remoteCharges() == static_cast<std::uint64_t>(created); }, 3000ms))
        << "the other node never charged room " << created;
  }
  EXPECT_EQ(created, kRoomBurst) << "one address got more than one node's burst across two nodes";
  EXPECT_EQ(limited, kRoomBurst);
  // Another address is held up by none of it, through either node.
  EXPECT_EQ(createThrough(*a_, "127.0.0.22")["t"], "room_joined");
  EXPECT_EQ(createThrough(*b_, "127.0.0.22")["t"], "room_joined");
}

TEST_F(ClusterLimits, WebSocketsPerAddressAreCappedAcrossBothNodes) {
  for (std::size_t i = 0; i < kConnectionsPerAddress / 2; ++i) {
    ASSERT_EQ(upgrade(*a_, "127.0.0.23"), 101);
    ASSERT_EQ(upgrade(*b_, "127.0.0.23"), 101);
  }
  settle();
  EXPECT_EQ(upgrade(*a_, "127.0.0.23"), 429);
  EXPECT_EQ(upgrade(*b_, "127.0.0.23"), 429);
  EXPECT_EQ(upgrade(*a_, "127.0.0.24"), 101);  // another address gets in
  EXPECT_EQ(a_->stats().directory.usageNodes, 1u);
  const std::string metrics = httpGet(a_->port(), "/metrics").body;
  EXPECT_NE(metrics.find("\nhuddle_usage_nodes 1\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\nhuddle_usage_reports_received_total "), std::string::npos);

  keep_.front().reset();  // one of node-a's closes: a place comes back, on either node
  settle();
  EXPECT_EQ(upgrade(*b_, "127.0.0.23"), 101);
  settle();
  EXPECT_EQ(upgrade(*a_, "127.0.0.23"), 429);
}

TEST_F(ClusterLimits, HttpConnectionsPerAddressAreCappedAcrossBothNodes) {
  RawConnection first(b_->port(), "127.0.0.28"), second(b_->port(), "127.0.0.28");  // idle, both open
  settle();
  RawConnection third(a_->port(), "127.0.0.28");
  third.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(third.readResponse().status, 200);
  RawConnection fourth(a_->port(), "127.0.0.28");
  fourth.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(fourth.readResponse(1500ms, /*untilClosed=*/true).status, 429);
  EXPECT_EQ(a_->stats().transport.httpPerAddressRefused, 1u);
}

TEST_F(ClusterLimits, ANodeThatIsGoneStopsCounting) {
  for (std::size_t i = 0; i < kConnectionsPerAddress; ++i) ASSERT_EQ(upgrade(*b_, "127.0.0.25"), 101);
  settle();
  EXPECT_EQ(upgrade(*a_, "127.0.0.25"), 429);
  b_->stop();  // it reports nothing more, as if it had died
  ASSERT_TRUE(eventually([&] { return a_->stats().directory.usageNodes == 0; }, 5000ms))
      << "node-a still counts the connections of a node gone for seconds";
  keep_.clear();
  for (std::size_t i = 0; i < kConnectionsPerAddress; ++i) EXPECT_EQ(upgrade(*a_, "127.0.0.25"), 101);
  EXPECT_EQ(upgrade(*a_, "127.0.0.25"), 429);
}

TEST_F(ClusterLimits, WithRedisDownEachNodeHoldsAddressesToItsOwnLimits) {
  for (std::size_t i = 0; i < kConnectionsPerAddress; ++i) ASSERT_EQ(upgrade(*b_, "127.0.0.26"), 101);
  settle();
  redis_.kill();
  // What the other node has open counts until its last report is stale: then only its own.
  ASSERT_TRUE(eventually([&] { return a_->stats().directory.usageNodes == 0; }, 5000ms));
  for (std::size_t i = 0; i < kConnectionsPerAddress; ++i) EXPECT_EQ(upgrade(*a_, "127.0.0.26"), 101);
  EXPECT_EQ(upgrade(*a_, "127.0.0.26"), 429);
  EXPECT_EQ(upgrade(*b_, "127.0.0.26"), 429);
  // Rooms: each node's own burst, no more.
  for (server::Server* node : {a_.get(), b_.get()}) {
    for (int i = 0; i < kRoomBurst; ++i) EXPECT_EQ(createThrough(*node, "127.0.0.27")["t"], "room_joined");
    Json refused = createThrough(*node, "127.0.0.27");
    EXPECT_EQ(refused["code"], "rate_limited");
  }
}

}  // namespace
}  // namespace huddle::test
