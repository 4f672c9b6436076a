// The stats frame (docs/protocol.md "Client stats"): once per room entered, the newer member of
// each pair tells the server how its path to every member it found there settled, and the first
// round trip over it. The harness plays the server and the other members; the clock is by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr const char* kSelf = "SELF000002";

std::vector<Stats> reportsOf(const ClientHarness& c) {
  std::vector<Stats> out;
  for (const auto& m : c.sentToServer()) {
    if (const auto* s = std::get_if<Stats>(&m)) out.push_back(*s);
  }
  return out;
}

void expectPath(const LinkStats& link, Transport transport, double settleMs, double rttMs) {
  EXPECT_EQ(link.transport, transport);
  EXPECT_DOUBLE_EQ(link.settleMs, settleMs);
  EXPECT_DOUBLE_EQ(link.rttMs, rttMs);
}

ClientConfig linksNeverGiveUp() {
  ClientConfig config;
  config.linkOpenTimeoutMs = 60000;  // past the report's deadline
  return config;
}

// Asks to join at t = 100; the room_joined comes at t = 150 with Ann (P1) and Bob (P2) in it.
class LinkReportTest : public ::testing::Test {
 protected:
  explicit LinkReportTest(ClientConfig config = {}) : c(config) {}
  void enter(std::vector<PeerInfo> members = {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}) {
    c.port.setNow(100);
    ASSERT_TRUE(c.client.joinRoom("ABC234", "Me").ok());
    c.client.onSignalingOpen();
    c.welcome(kSelf);
    c.port.setNow(150);
    c.fromServer(RoomJoined{"ABC234", kSelf, members.front().id, 6, members});
  }
  // The link to `peer` opens at `at` and its first pong comes back `rtt` ms later.
  void linkOpens(const PeerId& peer, double at, double rtt) {
    c.port.setNow(at);
    c.client.onLinkOpen(peer);
    c.port.setNow(at + rtt);
    c.fromPeer(peer, LinkPong{at});
  }
  ClientHarness c;
};

TEST_F(LinkReportTest, TheJoinerReportsEveryPathOnceAllSettledAndMeasured) {
  enter();
  linkOpens("P1", 400, 2);
  EXPECT_THAT(reportsOf(c), IsEmpty());  // Bob's path has not settled
  // Bob's link never opens: after linkOpenTimeoutMs the relay carries his messages.
  c.advance(5000);
  EXPECT_THAT(reportsOf(c), IsEmpty());  // settled, not yet measured
  double pingAt = c.port.nowMs();
  c.port.setNow(pingAt + 30);
  c.fromRelay("P2", {LinkPong{pingAt}});
  auto reports = reportsOf(c);
  ASSERT_THAT(reports, SizeIs(1));
  ASSERT_THAT(reports[0].links, SizeIs(2));
  expectPath(reports[0].links[0], Transport::Direct, 300, 2);  // from the join asked at 100
  expectPath(reports[0].links[1], Transport::Relay, 5050, 30);
  // A link that opens later, and more pongs, change nothing already reported.
  linkOpens("P2", c.port.nowMs() + 100, 3);
  c.advance(limits::kStatsDeadlineMs);
  EXPECT_THAT(reportsOf(c), SizeIs(1));
}

TEST_F(LinkReportTest, AMemberAloneInItsRoomReportsNothing) {
  enter({{kSelf, "Me", 1}});
  c.fromServer(PeerJoined{{"P4", "Dee", 2}});  // Dee reports on her path to us
  linkOpens("P4", 400, 2);
  c.advance(limits::kStatsDeadlineMs + 1000);
  EXPECT_THAT(reportsOf(c), IsEmpty());
}

TEST_F(LinkReportTest, AMemberWhoLeavesBeforeItsPathSettlesIsLeftOut) {
  enter();
  c.fromServer(PeerLeft{"P2", LeaveReason::Left});
  linkOpens("P1", 400, 2);
  auto reports = reportsOf(c);
  ASSERT_THAT(reports, SizeIs(1));
  ASSERT_THAT(reports[0].links, SizeIs(1));
  expectPath(reports[0].links[0], Transport::Direct, 300, 2);
}

TEST_F(LinkReportTest, AMemberWhoLeavesAfterItsPathSettledIsReportedWithoutARoundTrip) {
  enter();
  c.port.setNow(400);
  c.client.onLinkOpen("P2");
  c.fromServer(PeerLeft{"P2", LeaveReason::Left});
  linkOpens("P1", 500, 2);
  auto reports = reportsOf(c);
  ASSERT_THAT(reports, SizeIs(1));
  ASSERT_THAT(reports[0].links, SizeIs(2));
  expectPath(reports[0].links[1], Transport::Direct, 300, -1);
}

class LinkReportDeadline : public LinkReportTest {
 protected:
  LinkReportDeadline() : LinkReportTest(linksNeverGiveUp()) {}
};

TEST_F(LinkReportDeadline, AtTheDeadlineWhatSettledIsReportedAndTheRestAsNone) {
  enter();
  linkOpens("P1", 400, 2);
  // The deadline counts from room_joined (t = 150).
  c.advance(150 + limits::kStatsDeadlineMs - 1 - c.port.nowMs());
  EXPECT_THAT(reportsOf(c), IsEmpty());
  c.advance(1);
  auto reports = reportsOf(c);
  ASSERT_THAT(reports, SizeIs(1));
  ASSERT_THAT(reports[0].links, SizeIs(2));
  expectPath(reports[0].links[0], Transport::Direct, 300, 2);
  expectPath(reports[0].links[1], Transport::None, -1, -1);
}

TEST_F(LinkReportTest, ARelayOnlyRoomsPathsSettleWhenItIsEntered) {
  c.port.setNow(100);
  ASSERT_TRUE(c.client.joinRoom("ABC234", "Me", false, 0, true).ok());
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  c.port.setNow(180);
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {kSelf, "Me", 2}}, true});
  c.port.setNow(200);
  c.fromRelay("P1", {LinkPong{180}});
  auto reports = reportsOf(c);
  ASSERT_THAT(reports, SizeIs(1));
  ASSERT_THAT(reports[0].links, SizeIs(1));
  expectPath(reports[0].links[0], Transport::Relay, 80, 20);
}

TEST(LinkReport, NothingIsReportedWhenTheAppSaysNo) {
  ClientConfig config;
  config.reportStats = false;
  ClientHarness c(config);
  c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}});
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", LinkPong{c.port.nowMs()});
  c.advance(limits::kStatsDeadlineMs + 1000);
  EXPECT_THAT(reportsOf(c), IsEmpty());
}

TEST_F(LinkReportTest, AReportDueWhileTheConnectionIsDownIsDropped) {
  enter({{"P1", "Ann", 1}, {kSelf, "Me", 2}});
  c.port.setNow(400);
  c.client.onLinkOpen("P1");
  c.client.onSignalingClosed("network");  // reconnecting: links and the report's clock go on
  std::size_t before = c.port.signaling.size();
  c.port.setNow(402);
  c.fromPeer("P1", LinkPong{400});
  EXPECT_EQ(c.port.signaling.size(), before);
  EXPECT_THAT(reportsOf(c), IsEmpty());
}

}  // namespace
}  // namespace huddle
