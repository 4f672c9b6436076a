// Client measures each open link's round-trip time with ping/pong frames on a timer and
// reports a smoothed figure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/peer_path.hpp"
#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000002";

// In a room with Ann (P1); the link to her is open at t = 1000 ms.
class ClientRtt : public ::testing::Test {
 protected:
  ClientRtt() : c(config()) {}
  static ClientConfig config() {
    ClientConfig config;
    config.linkPingIntervalMs = 500;
    return config;
  }
  void SetUp() override {
    c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}});
    c.port.setNow(1000);
    c.client.onLinkOpen("P1");
  }
  std::vector<double> pingTimes() const {
    std::vector<double> out;
    for (const auto& m : c.sentToPeer("P1")) {
      if (const auto* ping = std::get_if<LinkPing>(&m)) out.push_back(ping->ts);
    }
    return out;
  }
  double rttOfAnn() const { return c.viewOf("P1").value().rttMs; }
  ClientHarness c;
};

TEST(SmoothRtt, TakesTheFirstSampleAsIsThenMovesAnEighthOfTheWay) {
  EXPECT_DOUBLE_EQ(client::smoothRtt(-1, 40), 40);
  EXPECT_DOUBLE_EQ(client::smoothRtt(40, 120), 50);
  EXPECT_DOUBLE_EQ(client::smoothRtt(50, 50), 50);
}

TEST_F(ClientRtt, AnOpenLinkPingsAtOnceAndThenEveryInterval) {
  EXPECT_THAT(pingTimes(), ElementsAre(1000));
  c.advance(1000);
  EXPECT_THAT(pingTimes(), ElementsAre(1000, 1500, 2000));
}

TEST_F(ClientRtt, APongGivesTheSmoothedRoundTripTimeToTheObserverAndInPeers) {
  EXPECT_DOUBLE_EQ(rttOfAnn(), -1);  // not measured yet
  c.port.setNow(1040);
  c.fromPeer("P1", LinkPong{1000});
  EXPECT_DOUBLE_EQ(rttOfAnn(), 40);
  c.port.setNow(1620);
  c.fromPeer("P1", LinkPong{1500});  // 120 ms this time
  EXPECT_DOUBLE_EQ(rttOfAnn(), 50);
  ASSERT_EQ(c.observer.rtts.size(), 2u);
  EXPECT_EQ(c.observer.rtts[1].first, "P1");
  EXPECT_DOUBLE_EQ(c.observer.rtts[1].second, 50);
}

TEST_F(ClientRtt, PongsFromTheFutureOrLongAgoAreNotMeasurements) {
  c.fromPeer("P1", LinkPong{5000});     // after our clock
  c.fromPeer("P1", LinkPong{-100000});  // a minute and more ago
  EXPECT_DOUBLE_EQ(rttOfAnn(), -1);
  EXPECT_THAT(c.observer.rtts, IsEmpty());
}

TEST_F(ClientRtt, AFailedLinkStopsPinging) {
  c.client.onLinkFailed("P1", "ice failed");
  c.advance(5000);
  EXPECT_THAT(pingTimes(), ElementsAre(1000));
}

TEST_F(ClientRtt, AMemberWhoLeavesLeavesNoTimerBehind) {
  c.fromServer(PeerLeft{"P1", LeaveReason::Left});
  EXPECT_EQ(c.port.pendingTimers(), 0u);
}

}  // namespace
}  // namespace huddle
