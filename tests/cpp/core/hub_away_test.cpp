// The Hub's grace period: a member whose connection drops stays in its room as away (keeping its
// place, name, join order and host role), may resume with its token, and leaves when time is up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::framesTo;
using testing::HubHarness;
using testing::onlyFrame;
using testing::recipients;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr double kGrace = 30000;

// Ann (conn 1, host), Bob (2) and Cy (3) in one room, each with its resume token.
class HubAway : public ::testing::Test {
 protected:
  void SetUp() override {
    for (ConnId c = 1; c <= 3; ++c) {
      h.hub.connect(c);
      Welcome w = onlyFrame<Welcome>(h.send(c, Hello{limits::kProtocolVersion, "", "", false}), c);
      ids.push_back(w.id);
      tokens.push_back(w.token);
    }
    code = h.create(1, "Ann");
    h.join(2, code, "Bob");
    h.join(3, code, "Cy");
  }
  std::vector<Outgoing> comeBack(ConnId conn, std::size_t who) {
    h.hub.connect(conn);
    return h.send(conn, Hello{limits::kProtocolVersion, ids[who], tokens[who], false});
  }
  HubHarness h;
  std::vector<PeerId> ids;
  std::vector<std::string> tokens;
  std::string code;
};

TEST_F(HubAway, ADroppedMemberIsAwayForTheOthersAndKeepsItsPlace) {
  auto out = h.hub.disconnect(2, LeaveReason::Disconnected);
  EXPECT_THAT(recipients(out), UnorderedElementsAre(1, 3));
  EXPECT_EQ(onlyFrame<PeerAway>(out, 1).id, ids[1]);
  EXPECT_EQ(h.hub.stats().members, 3u);
  EXPECT_EQ(h.hub.stats().awayMembers, 1u);
  EXPECT_EQ(h.hub.stats().connections, 2u);
}

TEST_F(HubAway, TheHostAwayStaysHost) {
  h.hub.disconnect(1, LeaveReason::TimedOut);
  h.hub.connect(9);
  h.send(9, Hello{limits::kProtocolVersion, "", "", false});
  RoomJoined r = onlyFrame<RoomJoined>(h.send(9, Join{code, "Dee"}), 9);
  EXPECT_EQ(r.host, ids[0]);
  EXPECT_EQ(r.peers.size(), 4u);  // the away member is still listed
}

TEST_F(HubAway, ResumingWithTheTokenInTimeIsBackWithNothingLost) {
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.now += kGrace - 1;
  EXPECT_THAT(h.hub.expireAway(), IsEmpty());
  auto out = comeBack(7, 1);
  Welcome w = onlyFrame<Welcome>(out, 7);
  EXPECT_EQ(w.id, ids[1]);
  EXPECT_TRUE(w.resumed);
  EXPECT_EQ(onlyFrame<PeerBack>(out, 1).id, ids[1]);
  EXPECT_EQ(onlyFrame<PeerBack>(out, 3).id, ids[1]);
  RoomJoined r = onlyFrame<RoomJoined>(h.send(7, Join{code, "Bob", true}), 7);
  EXPECT_EQ(r.peers[1].id, ids[1]);
  EXPECT_EQ(r.peers[1].joinOrder, 2u);  // its place in the order, kept
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
  h.now += kGrace;
  EXPECT_THAT(h.hub.expireAway(), IsEmpty());  // back: nothing expires
}

TEST_F(HubAway, AReloadedPageIsAnnouncedFreshOnceItHasJoinedItsRoomAgain) {
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.hub.connect(7);
  auto out = h.send(7, Hello{limits::kProtocolVersion, ids[1], tokens[1], true});
  // Not yet: the page cannot take the offers and relay frames peer_back sets off before room_joined.
  EXPECT_THAT(recipients(out), ElementsAre(7));
  out = h.send(7, Join{code, "Bob", true});
  onlyFrame<RoomJoined>(out, 7);
  EXPECT_TRUE(onlyFrame<PeerBack>(out, 1).fresh);
  EXPECT_TRUE(onlyFrame<PeerBack>(out, 3).fresh);
  // Once only.
  EXPECT_THAT(recipients(h.send(7, Join{code, "Bob", true})), ElementsAre(7));
}

TEST_F(HubAway, AFreshPageTakingOverALiveConnectionIsAnnouncedAsBack) {
  // The page reloaded before the server saw its old connection close.
  h.hub.connect(7);
  auto out = h.send(7, Hello{limits::kProtocolVersion, ids[1], tokens[1], true});
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 2).code, ErrorCode::SessionReplaced);
  EXPECT_THAT(recipients(out), ::testing::UnorderedElementsAre(2, 7));
  out = h.send(7, Join{code, "Bob", true});
  PeerBack back = onlyFrame<PeerBack>(out, 1);
  EXPECT_EQ(back.id, ids[1]);
  EXPECT_TRUE(back.fresh);
  // A reconnect that kept its state takes over silently (tested in hub_identity_test.cpp).
}

// A site that reuses its users' ids across rooms: Bob's tab closed (his place held for the grace
// period), and a new page of his joins another room. He moved on: the old room sees him leave.
TEST_F(HubAway, AFreshPageThatTookOverAHeldPlaceMayJoinAnotherRoomAndLeavesTheOld) {
  h.hub.connect(9);
  h.send(9, Hello{limits::kProtocolVersion, "", "", false});
  std::string other = h.create(9, "Dee");
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.hub.connect(7);
  h.send(7, Hello{limits::kProtocolVersion, ids[1], tokens[1], true});
  auto out = h.send(7, Join{other, "Bob"});
  RoomJoined joined = onlyFrame<RoomJoined>(out, 7);
  EXPECT_EQ(joined.code, other);
  PeerLeft left = onlyFrame<PeerLeft>(out, 1);
  EXPECT_EQ(left.id, ids[1]);
  EXPECT_EQ(left.reason, LeaveReason::Left);
  EXPECT_EQ(onlyFrame<PeerLeft>(out, 3).id, ids[1]);
  EXPECT_EQ(onlyFrame<PeerJoined>(out, 9).peer.id, ids[1]);
  EXPECT_EQ(h.hub.stats().members, 4u);  // Ann and Cy; Dee and Bob
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
  // Creating a room moves on the same way.
  h.hub.disconnect(3, LeaveReason::Disconnected);
  h.hub.connect(8);
  h.send(8, Hello{limits::kProtocolVersion, ids[2], tokens[2], true});
  out = h.send(8, Create{"Cy"});
  onlyFrame<RoomJoined>(out, 8);
  EXPECT_EQ(onlyFrame<PeerLeft>(out, 1).id, ids[2]);
}

// A page that kept its state (a reconnect) is still in its room: it is not moved anywhere.
TEST_F(HubAway, AReconnectThatAsksForAnotherRoomIsRefused) {
  h.hub.connect(9);
  h.send(9, Hello{limits::kProtocolVersion, "", "", false});
  std::string other = h.create(9, "Dee");
  h.hub.disconnect(2, LeaveReason::Disconnected);
  comeBack(7, 1);
  auto out = h.send(7, Join{other, "Bob"});
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 7).code, ErrorCode::AlreadyInRoom);
  EXPECT_THAT(recipients(out), ElementsAre(7));
}

TEST_F(HubAway, AfterTheGracePeriodTheMemberLeavesWithTheReasonItDroppedFor) {
  h.hub.disconnect(1, LeaveReason::TimedOut);
  h.now += kGrace;
  auto out = h.hub.expireAway();
  auto toBob = framesTo(out, 2);
  ASSERT_EQ(toBob.size(), 2u);
  EXPECT_EQ(std::get<PeerLeft>(toBob[0]).id, ids[0]);
  EXPECT_EQ(std::get<PeerLeft>(toBob[0]).reason, LeaveReason::TimedOut);
  EXPECT_EQ(std::get<HostChanged>(toBob[1]).host, ids[1]);  // the next oldest takes over now
  EXPECT_EQ(h.hub.stats().members, 2u);
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
  // Too late: the id is free, but the place is gone.
  auto late = comeBack(8, 0);
  EXPECT_FALSE(onlyFrame<Welcome>(late, 8).resumed);
  EXPECT_THAT(recipients(late), ElementsAre(8));
}

TEST_F(HubAway, AnAwayMemberCannotBeResumedWithoutItsToken) {
  h.hub.disconnect(2, LeaveReason::Disconnected);
  h.hub.connect(7);
  EXPECT_EQ(h.refused(7, Hello{limits::kProtocolVersion, ids[1], "", false}).code, ErrorCode::PeerIdTaken);
  EXPECT_EQ(h.refused(7, Hello{limits::kProtocolVersion, ids[1], tokens[2], false}).code, ErrorCode::PeerIdTaken);
}

TEST_F(HubAway, LeavingOnPurposeHandsOverAtOnce) {
  auto out = h.send(1, Leave{});
  auto toBob = framesTo(out, 2);
  ASSERT_EQ(toBob.size(), 2u);
  EXPECT_EQ(std::get<PeerLeft>(toBob[0]).reason, LeaveReason::Left);
  EXPECT_EQ(std::get<HostChanged>(toBob[1]).host, ids[1]);
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
}

TEST_F(HubAway, SignalsAndRelayToAnAwayMemberArePeerNotInRoom) {
  h.hub.disconnect(2, LeaveReason::Disconnected);
  SignalPayload data;
  data.kind = SignalKind::Offer;
  data.sdp = "v=0";
  EXPECT_EQ(h.refused(1, SignalOut{ids[1], data}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.refused(1, RelayOut{ids[1], 1, R"("hi")"}).code, ErrorCode::PeerNotInRoom);
  EXPECT_THAT(recipients(h.send(1, RelayOut{"", 1, R"("all")"})), ElementsAre(3));
}

TEST_F(HubAway, ARoomOfAwayMembersLivesUntilTheirGraceEnds) {
  for (ConnId c = 1; c <= 3; ++c) h.hub.disconnect(c, LeaveReason::Disconnected);
  EXPECT_EQ(h.hub.stats().rooms, 1u);
  EXPECT_EQ(h.hub.stats().awayMembers, 3u);
  auto out = comeBack(7, 2);
  EXPECT_TRUE(onlyFrame<Welcome>(out, 7).resumed);
  h.now += kGrace;
  h.hub.expireAway();
  EXPECT_EQ(h.hub.stats().rooms, 1u);  // Cy came back
  EXPECT_EQ(h.hub.stats().members, 1u);
  h.send(7, Leave{});
  EXPECT_EQ(h.hub.stats().rooms, 0u);
}

TEST(HubAwayConfig, ZeroGraceLeavesAtOnce) {
  HubConfig config;
  config.memberGraceMs = 0;
  HubHarness h(config);
  h.greet(1);
  h.greet(2);
  std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  EXPECT_EQ(onlyFrame<PeerLeft>(h.hub.disconnect(2, LeaveReason::Disconnected), 1).reason, LeaveReason::Disconnected);
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
}

}  // namespace
}  // namespace huddle
