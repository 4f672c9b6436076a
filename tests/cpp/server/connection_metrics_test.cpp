// What an operator watches on a real server (issue 15, docs/metrics.md): WebSocket connections
// opened, and closed by why (each cause made to happen here), and the room metrics as /metrics
// serves them over HTTP.
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "raw_connection.hpp"
#include "server/websocket_session.hpp"
#include "server_fixture.hpp"
#include "ws_test_frames.hpp"

namespace huddle::test {
namespace {

using server::ConnectionEnd;
using std::chrono::milliseconds;

bool eventually(const std::function<bool()>& done, milliseconds timeout = milliseconds(2000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

std::uint64_t closedBy(server::Server& s, ConnectionEnd end) {
  return s.stats().transport.connectionsClosed[static_cast<std::size_t>(end)];
}

std::uint64_t closedInAll(server::Server& s) {
  std::uint64_t total = 0;
  for (auto n : s.stats().transport.connectionsClosed) total += n;
  return total;
}

// The one connection that ended, ended for `end` (and for nothing else).
::testing::AssertionResult onlyClosedBy(server::Server& s, ConnectionEnd end) {
  if (!eventually([&] { return closedInAll(s) >= 1; })) return ::testing::AssertionFailure() << "none closed";
  if (closedInAll(s) != 1 || closedBy(s, end) != 1)
    return ::testing::AssertionFailure() << "closed: " << closedInAll(s) << ", as "
                                         << server::connectionEndName(end) << ": " << closedBy(s, end);
  return ::testing::AssertionSuccess();
}

class ConnectionMetrics : public ServerFixture {
 protected:
  void SetUp() override { startServer(); }
};

TEST_F(ConnectionMetrics, AClientClosingIsCountedAsClientClosed) {
  auto ann = greeted();
  auto bob = greeted();
  EXPECT_EQ(server().stats().transport.connectionsOpened, 2u);
  ann->close();
  EXPECT_TRUE(onlyClosedBy(server(), ConnectionEnd::ClientClosed));
  EXPECT_EQ(server().stats().hub.connections, 1u);

  const std::string text = httpGet(port(), "/metrics").body;
  EXPECT_NE(text.find("\nhuddle_connections_opened_total 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nhuddle_connections_closed_total{reason=\"client_closed\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("\nhuddle_connections_closed_total{reason=\"heartbeat_timeout\"} 0\n"), std::string::npos);
}

TEST_F(ConnectionMetrics, AClientDroppingItsTcpConnectionIsCountedAsClientClosed) {
  {
    RawConnection raw(port());
    ASSERT_TRUE(raw.send(upgradeRequest(port())));
    ASSERT_EQ(raw.readResponse().status, 101);
  }  // closed without a close frame
  EXPECT_TRUE(onlyClosedBy(server(), ConnectionEnd::ClientClosed));
  EXPECT_EQ(server().stats().transport.connectionsOpened, 1u);
}

TEST_F(ConnectionMetrics, ABrokenFrameIsCountedAsProtocolError) {
  RawConnection raw(port());
  ASSERT_TRUE(raw.send(upgradeRequest(port())));
  ASSERT_EQ(raw.readResponse().status, 101);
  ASSERT_TRUE(raw.send(clientFrame(std::uint8_t{1}, "{}", {.masked = false})));  // clients must mask
  EXPECT_TRUE(raw.closedWithin(milliseconds(2500)));
  EXPECT_TRUE(onlyClosedBy(server(), ConnectionEnd::ProtocolError));
}

TEST_F(ConnectionMetrics, AMessageOverTheTransportCapIsCountedAsMessageTooBig) {
  auto client = greeted();
  client->sendFragmented(std::string(server::kTransportMaxMessageBytes + 1, 'x'), 64 * 1024);
  ASSERT_EQ(client->waitClosed(), 1009);
  EXPECT_TRUE(onlyClosedBy(server(), ConnectionEnd::MessageTooBig));
}

TEST_F(ConnectionMetrics, StoppingTheServerCountsEveryConnectionAsServerShutdown) {
  auto ann = greeted();
  auto idle = std::make_unique<WsClient>(port());  // never said hello
  // Its session registers just after the handshake; one that sees the server stopping first is
  // never opened, so never counted (shutdown_test.cpp covers that path).
  ASSERT_TRUE(eventually([&] { return server().stats().transport.connectionsOpened == 2; }));
  server().shutdown();
  EXPECT_EQ(ann->waitClosed(), 1001);
  EXPECT_EQ(idle->waitClosed(), 1001);
  server().wait();
  EXPECT_EQ(server().stats().transport.connectionsOpened, 2u);
  EXPECT_EQ(closedBy(server(), ConnectionEnd::ServerShutdown), 2u);
  EXPECT_EQ(closedInAll(server()), 2u);
}

void quickTimeouts(server::ServerConfig& c) {
  c.heartbeatMs = 300;
  c.helloTimeoutMs = 200;
}
using ConnectionMetricsTimeouts = ConfiguredServer<quickTimeouts>;

TEST_F(ConnectionMetricsTimeouts, ASilentClientIsCountedAsHeartbeatTimeout) {
  auto silent = greeted();  // from here never run: it answers no pings
  EXPECT_TRUE(onlyClosedBy(server(), ConnectionEnd::HeartbeatTimeout));
  EXPECT_EQ(server().stats().transport.heartbeatTimeouts, 1u);
}

TEST_F(ConnectionMetricsTimeouts, ASocketThatNeverSaysHelloIsCountedAsHelloTimeout) {
  WsClient silent(port());  // answers pings, says nothing
  ASSERT_EQ(silent.waitClosed(milliseconds(1500)), 1008);
  EXPECT_TRUE(onlyClosedBy(server(), ConnectionEnd::HelloTimeout));
}

// The Hub's room metrics, end to end: a room two members shared, closed when both left.
TEST_F(ConnectionMetrics, MetricsShowAClosedRoomsMembersJoinsAndHostChange) {
  {
    auto room = annAndBob();
    room.ann->send(frames::leave());
    room.bob->expect("peer_left");
    room.bob->expect("host_changed");
    room.bob->send(frames::leave());
    room.bob->send(frames::ping(1));
    room.bob->expect("pong");
  }
  const std::string text = httpGet(port(), "/metrics").body;
  for (const char* line : {"huddle_rooms_closed_total{reason=\"emptied\"} 1",
                           "huddle_joins_total{outcome=\"created\"} 1",
                           "huddle_joins_total{outcome=\"joined\"} 1", "huddle_host_changes_total 1",
                           "huddle_room_members_bucket{le=\"1\"} 0", "huddle_room_members_bucket{le=\"2\"} 1",
                           "huddle_room_members_bucket{le=\"+Inf\"} 1", "huddle_room_members_sum 2",
                           "huddle_room_members_count 1", "huddle_room_lifetime_seconds_bucket{le=\"10\"} 1",
                           "huddle_room_lifetime_seconds_count 1"})
    EXPECT_NE(text.find(std::string("\n") + line + "\n"), std::string::npos) << line << "\n" << text;
  EXPECT_NE(httpGet(port(), "/healthz").body.find(R"("hostChanges":1)"), std::string::npos);
}

}  // namespace
}  // namespace huddle::test
