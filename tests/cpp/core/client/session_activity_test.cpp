// Client and room expiry: on a server whose idle rooms expire (welcome.roomIdleMs), the client
// says it is active with a ping every quarter of the timeout in which its app sent anything; a
// room the server closed (room_expired) ends the session without coming back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using ::testing::ElementsAre;

constexpr const char* kSelf = "SELF000004";
constexpr double kIdle = 40000;  // a report every 10 s

std::size_t pingsSent(const ClientHarness& c) {
  std::size_t n = 0;
  for (const auto& m : c.sentToServer()) n += std::holds_alternative<Ping>(m) ? 1 : 0;
  return n;
}

class ClientActivity : public ::testing::Test {
 protected:
  void SetUp() override {
    c.roomIdleMs = static_cast<std::uint64_t>(kIdle);
    c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}});
    c.client.onLinkOpen("P1");
  }
  ClientHarness c;
};

TEST_F(ClientActivity, AQuarterWithASendIsReportedOnceAndAQuietOneIsNot) {
  ASSERT_TRUE(c.client.send(R"("hi")", Delivery::Reliable).ok());
  ASSERT_TRUE(c.client.send(R"("again")", Delivery::Reliable).ok());
  c.advanceAlive(kIdle / 4 - 1, {"P1"});
  EXPECT_EQ(pingsSent(c), 0u);
  c.advanceAlive(1, {"P1"});
  EXPECT_EQ(pingsSent(c), 1u);  // two sends, one report
  c.advanceAlive(kIdle, {"P1"});  // four quiet quarters: the room may expire, as it should
  EXPECT_EQ(pingsSent(c), 1u);
  ASSERT_TRUE(c.client.sendTo("P1", R"("later")", Delivery::Reliable).ok());
  c.advanceAlive(kIdle / 4, {"P1"});
  EXPECT_EQ(pingsSent(c), 2u);
}

TEST_F(ClientActivity, WhatIsSentWhileReconnectingIsReportedOnceWelcomedBack) {
  ASSERT_TRUE(c.client.send(R"("hi")", Delivery::Reliable).ok());
  c.client.onSignalingClosed("gone");
  c.advanceAlive(kIdle / 4, {"P1"});  // the retry has opened a new connection, not welcomed yet
  EXPECT_EQ(pingsSent(c), 0u);
  c.client.onSignalingOpen();
  c.welcome(kSelf, true);
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {kSelf, "Me", 2}}});
  c.advanceAlive(kIdle / 4, {"P1"});
  EXPECT_EQ(pingsSent(c), 1u);
}

TEST_F(ClientActivity, RoomExpiredEndsTheSessionWithoutComingBack) {
  c.fromServer(ErrorFrame{ErrorCode::RoomExpired, "room ABC234 was closed: nobody was active in it for 60 min", ""});
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::RoomExpired));
  EXPECT_EQ(c.port.closeSignalingCalls, 1);
  EXPECT_EQ(c.port.pendingTimers(), 0u);  // no reconnect, no more reports
  c.client.onSignalingClosed("closed");
  c.advance(kIdle);
  EXPECT_EQ(c.port.openSignalingCalls, 1);
}

TEST(ClientActivityOff, AServerWhoseRoomsNeverExpireGetsNoReports) {
  ClientHarness c;
  c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}});
  c.client.onLinkOpen("P1");
  ASSERT_TRUE(c.client.send(R"("hi")", Delivery::Reliable).ok());
  c.advanceAlive(4 * 3600 * 1000.0 / 100, {"P1"});
  EXPECT_EQ(pingsSent(c), 0u);
}

}  // namespace
}  // namespace huddle
