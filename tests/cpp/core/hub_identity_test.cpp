// The Hub and identity: peer ids a client asks for, resume tokens, a newer connection taking a
// member over, and rooms joined by name (created on first join).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"
#include "huddle/room_code.hpp"

namespace huddle {
namespace {

using testing::framesTo;
using testing::HubHarness;
using testing::HubThreeMembers;
using testing::onlyFrame;
using ::testing::IsEmpty;

constexpr const char* kToken = "secret-token-0123456789";

Welcome hello(HubHarness& h, ConnId conn, const std::string& id, const std::string& token = "") {
  h.hub.connect(conn);
  return onlyFrame<Welcome>(h.send(conn, Hello{limits::kProtocolVersion, id, token, false}), conn);
}

// ---- ids and tokens ------------------------------------------------------------------------------

TEST(HubIdentity, AServerPickedIdComesWithAFreshTokenEachTime) {
  HubHarness h;
  h.hub.connect(1);
  h.hub.connect(2);
  Welcome a = onlyFrame<Welcome>(h.send(1, Hello{limits::kProtocolVersion, "", "", false}), 1);
  Welcome b = onlyFrame<Welcome>(h.send(2, Hello{limits::kProtocolVersion, "", "", false}), 2);
  EXPECT_EQ(a.token.size(), limits::kResumeTokenLength);
  EXPECT_TRUE(isValidResumeToken(a.token));
  EXPECT_NE(a.token, b.token);
  EXPECT_FALSE(a.resumed);
}

TEST(HubIdentity, AnIdNobodyHoldsIsGrantedAndAPresentedTokenKept) {
  HubHarness h;
  Welcome w = hello(h, 1, "peer_456");
  EXPECT_EQ(w.id, "peer_456");
  EXPECT_TRUE(isValidResumeToken(w.token));
  // After a server restart nobody holds the id: the client's old token is taken as the new one.
  Welcome back = hello(h, 2, "user-7", kToken);
  EXPECT_EQ(back.id, "user-7");
  EXPECT_EQ(back.token, kToken);
  EXPECT_FALSE(back.resumed);
}

TEST(HubIdentity, MalformedIdsAndTokensAreInvalidPeerId) {
  HubHarness h;
  h.hub.connect(1);
  for (const std::string& id : {std::string("has space"), std::string("a/b"), std::string(65, 'x'), std::string("ü")}) {
    ErrorFrame e = h.refused(1, Hello{limits::kProtocolVersion, id, "", false});
    EXPECT_EQ(e.code, ErrorCode::InvalidPeerId) << id;
    EXPECT_EQ(e.ref, "hello");
  }
  for (const std::string& token : {std::string("short"), std::string(65, 'x'), std::string("bad token with spaces")}) {
    EXPECT_EQ(h.refused(1, Hello{limits::kProtocolVersion, "ann", token, false}).code, ErrorCode::InvalidPeerId) << token;
  }
  EXPECT_EQ(hello(h, 1, "ann").id, "ann");  // the connection can still say a good hello
}

TEST(HubIdentity, AnIdHeldByALiveConnectionNeedsItsToken) {
  HubHarness h;
  Welcome first = hello(h, 1, "ann");
  h.hub.connect(2);
  EXPECT_EQ(h.refused(2, Hello{limits::kProtocolVersion, "ann", "", false}).code, ErrorCode::PeerIdTaken);
  EXPECT_EQ(h.refused(2, Hello{limits::kProtocolVersion, "ann", kToken, false}).code, ErrorCode::PeerIdTaken);
  std::string almost = first.token;
  almost.back() = almost.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(h.refused(2, Hello{limits::kProtocolVersion, "ann", almost, false}).code, ErrorCode::PeerIdTaken);
}

TEST(HubIdentity, AnIdIsFreeAgainOnceItsConnectionCloses) {
  HubHarness h;
  hello(h, 1, "ann");
  h.hub.disconnect(1, LeaveReason::Disconnected);
  EXPECT_EQ(hello(h, 2, "ann").id, "ann");
}

// ---- taking over a live member ---------------------------------------------------------------------

class HubTakeOver : public ::testing::Test {
 protected:
  void SetUp() override {
    Welcome w = hello(h, 1, "ann");
    token = w.token;
    code = h.create(1, "Ann");
    hello(h, 2, "bob");
    h.join(2, code, "Bob");
  }
  HubHarness h;
  std::string token;
  std::string code;
};

TEST_F(HubTakeOver, ANewConnectionWithTheTokenBecomesTheMemberAndTheOldOneIsTold) {
  h.hub.connect(3);
  auto out = h.send(3, Hello{limits::kProtocolVersion, "ann", token, false});
  Welcome w = onlyFrame<Welcome>(out, 3);
  EXPECT_EQ(w.id, "ann");
  EXPECT_EQ(w.token, token);
  EXPECT_TRUE(w.resumed);
  EXPECT_EQ(onlyFrame<ErrorFrame>(out, 1).code, ErrorCode::SessionReplaced);
  EXPECT_THAT(framesTo(out, 2), IsEmpty());  // Bob sees no change at all
  EXPECT_EQ(h.hub.stats().members, 2u);
}

TEST_F(HubTakeOver, TheNewConnectionIsInTheRoomAndRejoiningItChangesNothingForOthers) {
  h.hub.connect(3);
  h.send(3, Hello{limits::kProtocolVersion, "ann", token, false});
  auto out = h.send(3, Join{code, "Ann", true});
  RoomJoined r = onlyFrame<RoomJoined>(out, 3);
  EXPECT_EQ(r.you, "ann");
  EXPECT_EQ(r.host, "ann");  // still the oldest member: still host
  ASSERT_EQ(r.peers.size(), 2u);
  EXPECT_EQ(r.peers[0].id, "ann");
  EXPECT_EQ(r.peers[0].joinOrder, 1u);
  EXPECT_THAT(framesTo(out, 2), IsEmpty());
  // Signals to Ann now reach the new connection.
  SignalPayload data;
  data.kind = SignalKind::Offer;
  data.sdp = "v=0";
  auto signal = h.send(2, SignalOut{"ann", data});
  EXPECT_EQ(onlyFrame<SignalIn>(signal, 3).from, "bob");
}

TEST_F(HubTakeOver, TheOldConnectionClosingLaterChangesNothing) {
  h.hub.connect(3);
  h.send(3, Hello{limits::kProtocolVersion, "ann", token, false});
  EXPECT_THAT(h.hub.disconnect(1, LeaveReason::Disconnected), IsEmpty());
  EXPECT_EQ(h.hub.stats().members, 2u);
  // ... while the new one dropping is Ann's connection dropping.
  EXPECT_EQ(onlyFrame<PeerAway>(h.hub.disconnect(3, LeaveReason::Disconnected), 2).id, "ann");
}

TEST_F(HubTakeOver, TheOldConnectionCanNoLongerActForTheMember) {
  h.hub.connect(3);
  h.send(3, Hello{limits::kProtocolVersion, "ann", token, false});
  EXPECT_EQ(h.refused(1, Leave{}).code, ErrorCode::HelloRequired);
  EXPECT_EQ(h.hub.stats().members, 2u);
}

TEST_F(HubTakeOver, TheOldConnectionStillCountsAsGreeted) {
  // It did say hello: the server's hello deadline must not close it as a silent socket.
  h.hub.connect(3);
  h.send(3, Hello{limits::kProtocolVersion, "ann", token, false});
  EXPECT_TRUE(h.hub.greeted(3));
  EXPECT_TRUE(h.hub.greeted(1));
  h.hub.disconnect(1, LeaveReason::Disconnected);
  EXPECT_FALSE(h.hub.greeted(1));
}

// ---- rooms by name -------------------------------------------------------------------------------

TEST(HubNamedRooms, JoinWithCreateMakesTheRoomOnFirstJoinAndJoinsItAfter) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  RoomJoined first = onlyFrame<RoomJoined>(h.send(1, Join{"session_123", "Ann", true, 3}), 1);
  EXPECT_EQ(first.code, "session_123");
  EXPECT_EQ(first.maxMembers, 3);
  auto out = h.send(2, Join{"session_123", "Bob", true, 8});  // an existing room keeps its size
  RoomJoined second = onlyFrame<RoomJoined>(out, 2);
  EXPECT_EQ(second.maxMembers, 3);
  EXPECT_EQ(second.peers.size(), 2u);
  EXPECT_EQ(onlyFrame<PeerJoined>(out, 1).peer.id, second.you);  // Ann sees Bob arrive
  EXPECT_EQ(h.hub.stats().rooms, 1u);
}

TEST(HubNamedRooms, NamesAreCaseSensitiveButCodesAreNot) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.greet(3);
  h.send(1, Join{"Lobby", "Ann", true});
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(2, Join{"lobby", "Bob", true}), 2).peers.size(), 1u);
  EXPECT_EQ(h.hub.stats().rooms, 2u);
  RoomJoined code = onlyFrame<RoomJoined>(h.send(3, Join{"abc234", "Cy", true}), 3);
  EXPECT_EQ(code.code, "ABC234");
}

TEST(HubNamedRooms, WithoutCreateAMissingNameIsRoomNotFound) {
  HubHarness h;
  h.greet(1);
  EXPECT_EQ(h.refused(1, Join{"session_123", "Ann"}).code, ErrorCode::RoomNotFound);
  EXPECT_EQ(h.hub.stats().rooms, 0u);
}

TEST(HubNamedRooms, CreatingByJoinChecksTheSizeAndTheRoomCap) {
  HubConfig config;
  config.maxRooms = 1;
  HubHarness h(config);
  h.greet(1);
  h.greet(2);
  ErrorFrame e = h.refused(1, Join{"room-a", "Ann", true, 9});
  EXPECT_EQ(e.code, ErrorCode::InvalidRoomSize);
  EXPECT_EQ(e.ref, "join");
  h.send(1, Join{"room-a", "Ann", true});
  EXPECT_EQ(h.refused(2, Join{"room-b", "Bob", true}).code, ErrorCode::ServerFull);
}

}  // namespace
}  // namespace huddle
