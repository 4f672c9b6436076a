// Room expiry: a room none of whose members was active (joined, or pinged) for roomIdleMs is
// closed; its members are told room_expired and stay welcomed, its away members are forgotten,
// and its code is free again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::framesTo;
using testing::HubHarness;
using testing::onlyFrame;
using testing::recipients;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr double kIdle = 60000;

HubConfig idleAfter(double ms) {
  HubConfig config;
  config.roomIdleMs = ms;
  config.memberGraceMs = 2 * ms + 1;  // longer: an away member is still away when its room expires
  return config;
}

// Ann (conn 1, host) and Bob (2) in one room, on a hub whose rooms expire after kIdle.
class HubIdle : public ::testing::Test {
 protected:
  void SetUp() override {
    ann = h.greet(1);
    bob = h.greet(2);
    code = h.create(1, "Ann");
    h.join(2, code, "Bob");
  }
  HubHarness h{idleAfter(kIdle)};
  PeerId ann, bob;
  std::string code;
};

TEST_F(HubIdle, WelcomeAnnouncesTheIdleTimeout) {
  h.hub.connect(5);
  Welcome w = onlyFrame<Welcome>(h.send(5, Hello{limits::kProtocolVersion, "", "", false}), 5);
  EXPECT_EQ(w.roomIdleMs, 60000u);
}

TEST_F(HubIdle, ARoomNobodyPingsIsClosedAndEveryMemberIsToldSo) {
  h.now += kIdle - 1;
  EXPECT_THAT(h.hub.expireAway(), IsEmpty());
  h.now += 1;
  auto out = h.hub.expireAway();
  EXPECT_THAT(recipients(out), UnorderedElementsAre(1, 2));
  ErrorFrame e = onlyFrame<ErrorFrame>(out, 1);
  EXPECT_EQ(e.code, ErrorCode::RoomExpired);
  EXPECT_EQ(e.message, "room " + code + " was closed: nobody was active in it for 60 s");
  EXPECT_EQ(h.hub.stats().rooms, 0u);
  EXPECT_EQ(h.hub.stats().members, 0u);
  EXPECT_EQ(h.hub.stats().roomsExpired, 1u);
  // The code is gone, and the members are still welcomed, free to start again.
  h.greet(3);
  EXPECT_EQ(h.refused(3, Join{code, "Cy"}).code, ErrorCode::RoomNotFound);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(1, Create{"Ann"}), 1).peers.size(), 1u);
  EXPECT_EQ(h.refused(2, Leave{}).code, ErrorCode::NotInRoom);
}

TEST_F(HubIdle, AMembersPingKeepsTheRoomForAnotherFullTimeout) {
  h.now += kIdle - 10;
  EXPECT_EQ(onlyFrame<Pong>(h.send(2, Ping{7}), 2).id, 7u);
  h.now += kIdle - 1;
  EXPECT_THAT(h.hub.expireAway(), IsEmpty());
  h.now += 1;
  EXPECT_THAT(recipients(h.hub.expireAway()), UnorderedElementsAre(1, 2));
}

TEST_F(HubIdle, AJoinIsActivityToo) {
  h.now += kIdle - 10;
  h.greet(3);
  h.join(3, code, "Cy");
  h.now += kIdle - 1;
  EXPECT_THAT(h.hub.expireAway(), IsEmpty());
}

TEST_F(HubIdle, RelayAndSignalTrafficIsNoActivity) {
  // A link that keeps failing signals now and then, and relayed members ping each other through
  // the server: neither says anybody uses the room. Only the clients know (and ping).
  for (int i = 0; i < 10; ++i) {
    h.now += kIdle / 10;
    h.send(1, R"({"t":"relay","seq":)" + std::to_string(i + 1) + R"(,"to":")" + bob + R"(","data":{"k":"ping"}})");
  }
  EXPECT_THAT(recipients(h.hub.expireAway()), UnorderedElementsAre(1, 2));
}

TEST_F(HubIdle, AnAwayMemberOfAnExpiredRoomIsForgotten) {
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.now += kIdle;
  auto out = h.hub.expireAway();
  EXPECT_THAT(recipients(out), UnorderedElementsAre(1));
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 1).code, ErrorCode::RoomExpired);
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
  EXPECT_EQ(h.hub.stats().members, 0u);
}

TEST(HubIdleOff, ZeroKeepsRoomsForeverAndWelcomeSaysNothing) {
  HubHarness h{idleAfter(0)};
  h.hub.connect(1);
  Welcome w = onlyFrame<Welcome>(h.send(1, Hello{limits::kProtocolVersion, "", "", false}), 1);
  EXPECT_EQ(w.roomIdleMs, 0u);
  EXPECT_EQ(encode(w).find("roomIdleMs"), std::string::npos);
  h.create(1, "Ann");
  h.now += 365.0 * 24 * 3600 * 1000;
  EXPECT_THAT(h.hub.expireAway(), IsEmpty());
  EXPECT_EQ(h.hub.stats().rooms, 1u);
}

}  // namespace
}  // namespace huddle
