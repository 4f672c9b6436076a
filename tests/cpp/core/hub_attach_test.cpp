// Connections another node greeted (Hub::attach, docs/cluster.md): taken on with the identity the
// gateway checked, as a hello with it would be here, but with no second welcome and the gateway's
// token kept.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"

namespace huddle {
namespace {

using testing::HubHarness;
using testing::onlyFrame;

constexpr const char* kToken = "token-of-bob-0123456789";

HubConfig withGrace() {
  HubConfig c;
  c.memberGraceMs = 30000;
  return c;
}

class HubAttach : public ::testing::Test {
 protected:
  HubAttach() : h(withGrace()) {
    ann = h.greet(1);
    code = h.create(1, "Ann");
  }
  // Bob, greeted here on conn 2 with kToken, in Ann's room.
  void bobHere() {
    h.hub.connect(2);
    onlyFrame<Welcome>(h.send(2, Hello{limits::kProtocolVersion, "bob", kToken, false}), 2);
    h.join(2, code, "Bob");
  }
  HubHarness h;
  PeerId ann;
  std::string code;
};

TEST_F(HubAttach, AnIdNobodyHoldsIsGrantedWithNoWelcome) {
  auto out = h.hub.attach(5, "10.0.0.5", Attached{"bob", kToken, false, {}});
  EXPECT_THAT(out, ::testing::IsEmpty());
  RoomJoined r = onlyFrame<RoomJoined>(h.send(5, Join{code, "Bob"}), 5);
  EXPECT_EQ(r.you, "bob");
  EXPECT_EQ(h.hub.roomRecords().at(0).members.at(1).token, kToken);
}

TEST_F(HubAttach, AnAwayMemberIsResumedByItsTokenAndTheOthersSeeItBack) {
  bobHere();
  h.hub.disconnect(2, LeaveReason::Disconnected);
  auto out = h.hub.attach(5, "10.0.0.5", Attached{"bob", kToken, false, {}});
  EXPECT_TRUE(testing::framesTo(out, 5).empty());  // no welcome: the gateway sent one
  EXPECT_EQ(onlyFrame<PeerBack>(out, 1).id, "bob");
  RoomJoined r = onlyFrame<RoomJoined>(h.send(5, Join{code, "Bob"}), 5);  // its room, as it is
  EXPECT_EQ(r.peers.size(), 2u);
  EXPECT_EQ(h.hub.stats().awayMembers, 0u);
}

TEST_F(HubAttach, ALiveMemberIsTakenOverAndItsOldConnectionIsToldSo) {
  bobHere();
  auto out = h.hub.attach(5, "10.0.0.5", Attached{"bob", kToken, false, {}});
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 2).code, ErrorCode::SessionReplaced);
  EXPECT_TRUE(testing::framesTo(out, 5).empty());
}

TEST_F(HubAttach, AClaimItCannotProveIsPeerIdTaken) {
  bobHere();
  h.hub.disconnect(2, LeaveReason::Disconnected);
  auto out = h.hub.attach(5, "10.0.0.5", Attached{"bob", "not-bobs-token-0123456789", false, {}});
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 5).code, ErrorCode::PeerIdTaken);
  EXPECT_EQ(h.hub.stats().awayMembers, 1u);  // the place is still held for Bob
}

TEST_F(HubAttach, AJoinTokenForTheIdTakesItOverAndItsTokenIsTheGateways) {
  bobHere();
  h.hub.disconnect(2, LeaveReason::Disconnected);
  JoinClaims claims{.room = code, .peerId = "bob", .name = "Bob"};
  auto out = h.hub.attach(5, "10.0.0.5", Attached{"bob", "a-new-token-from-the-gateway", false, claims});
  EXPECT_EQ(onlyFrame<PeerBack>(out, 1).id, "bob");
  EXPECT_EQ(h.hub.roomRecords().at(0).members.at(1).token, "a-new-token-from-the-gateway");
}

TEST_F(HubAttach, WhatAGatewayHandsOverIsAGreetedConnectionInNoRoom) {
  EXPECT_FALSE(h.hub.attachable(1));  // in a room
  EXPECT_FALSE(h.hub.attachable(99));  // unknown
  h.hub.connect(3);
  EXPECT_FALSE(h.hub.attachable(3));  // not greeted
  Hello hello{limits::kProtocolVersion, "cy", "token-of-cy-0123456789", true};
  onlyFrame<Welcome>(h.send(3, hello), 3);
  auto who = h.hub.attachable(3);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->id, "cy");
  EXPECT_EQ(who->token, "token-of-cy-0123456789");
  EXPECT_TRUE(who->fresh);
}

}  // namespace
}  // namespace huddle
