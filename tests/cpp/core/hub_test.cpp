// The server's protocol engine: hello, rooms, membership, host and departures.
#include <cstring>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"
#include "huddle/room_code.hpp"

namespace huddle {
namespace {

using testing::HubHarness;
using testing::onlyFrame;
using testing::recipients;
using ::testing::UnorderedElementsAre;

bool inAlphabet(const std::string& s) {
  for (char c : s) {
    if (std::strchr(limits::kRoomCodeAlphabet, c) == nullptr) return false;
  }
  return true;
}

// ---- hello ---------------------------------------------------------------------------------------

TEST(HubHello, IsAnsweredWithWelcomeCarryingAFreshIdAndTheConfiguredIceServers) {
  HubConfig config;
  config.iceServers = R"([{"urls":"stun:stun.example.org"}])";
  HubHarness h(config);
  h.hub.connect(1);
  Welcome w = onlyFrame<Welcome>(h.send(1, Hello{1, "", "", false}), 1);
  EXPECT_EQ(w.version, limits::kProtocolVersion);
  EXPECT_EQ(w.id.size(), limits::kPeerIdLength);
  EXPECT_TRUE(inAlphabet(w.id)) << w.id;
  EXPECT_EQ(w.iceServers, config.iceServers);
  EXPECT_EQ(w.maxFrameBytes, limits::kMaxFrameBytes);
  EXPECT_NE(h.greet(2), w.id);
  EXPECT_EQ(h.hub.stats().connections, 2u);
}

TEST(HubHello, FramesBeforeHelloAreRefusedWithHelloRequired) {
  HubHarness h;
  h.hub.connect(1);
  ErrorFrame create = h.refused(1, Create{"Ann", 0});
  EXPECT_EQ(create.code, ErrorCode::HelloRequired);
  EXPECT_EQ(create.ref, "create");  // the refusal names the frame it refuses
  EXPECT_EQ(h.refused(1, Join{"ABC234", "Ann"}).code, ErrorCode::HelloRequired);
  EXPECT_EQ(h.refused(1, Ping{1}).code, ErrorCode::HelloRequired);
  EXPECT_EQ(h.hub.stats().rooms, 0u);
  EXPECT_FALSE(onlyFrame<Welcome>(h.send(1, Hello{1, "", "", false}), 1).id.empty());
}

TEST(HubHello, ASecondHelloIsRefusedAndKeepsTheFirstId) {
  HubHarness h;
  PeerId id = h.greet(1);
  ErrorFrame e = h.refused(1, Hello{1, "", "", false});
  EXPECT_EQ(e.code, ErrorCode::BadFrame);
  EXPECT_EQ(e.ref, "hello");
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(1, Create{"Ann", 0}), 1).you, id);
}

TEST(HubHello, UnsupportedVersionIsRefusedAndHelloCanBeRetried) {
  HubHarness h;
  h.hub.connect(1);
  ErrorFrame e = h.refused(1, Hello{limits::kProtocolVersion + 1, "", "", false});
  EXPECT_EQ(e.code, ErrorCode::UnsupportedVersion);
  EXPECT_EQ(e.ref, "hello");
  EXPECT_EQ(h.refused(1, Hello{0, "", "", false}).code, ErrorCode::UnsupportedVersion);
  EXPECT_EQ(h.refused(1, Create{"Ann", 0}).code, ErrorCode::HelloRequired);
  onlyFrame<Welcome>(h.send(1, Hello{limits::kProtocolVersion, "", "", false}), 1);
}

TEST(HubHello, AConnectionIsGreetedOnceItsHelloIsWelcomedAndUntilItIsGone) {
  HubHarness h;
  EXPECT_FALSE(h.hub.greeted(1));  // not connected
  h.hub.connect(1);
  EXPECT_FALSE(h.hub.greeted(1));
  h.refused(1, Hello{limits::kProtocolVersion + 1, "", "", false});
  EXPECT_FALSE(h.hub.greeted(1));  // a refused hello welcomes nobody
  onlyFrame<Welcome>(h.send(1, Hello{limits::kProtocolVersion, "", "", false}), 1);
  EXPECT_TRUE(h.hub.greeted(1));
  h.hub.connect(2);
  EXPECT_FALSE(h.hub.greeted(2));  // each connection on its own
  h.hub.disconnect(1, LeaveReason::Disconnected);
  EXPECT_FALSE(h.hub.greeted(1));
}

TEST(HubHello, FramesFromUnknownConnectionsAreIgnored) {
  HubHarness h;
  EXPECT_TRUE(h.send(9, Hello{1, "", "", false}).empty());
  EXPECT_TRUE(h.hub.disconnect(9, LeaveReason::Disconnected).empty());
  EXPECT_EQ(h.hub.stats().connections, 0u);
}

// ---- create --------------------------------------------------------------------------------------

TEST(HubCreate, MakesTheCreatorTheOnlyMemberAndHost) {
  HubHarness h;
  PeerId id = h.greet(1);
  RoomJoined r = onlyFrame<RoomJoined>(h.send(1, Create{"  Ann ", 0}), 1);
  EXPECT_EQ(r.code.size(), limits::kRoomCodeLength);
  EXPECT_TRUE(inAlphabet(r.code)) << r.code;
  EXPECT_EQ(r.you, id);
  EXPECT_EQ(r.host, id);
  ASSERT_EQ(r.peers.size(), 1u);
  EXPECT_EQ(r.peers[0].id, id);
  EXPECT_EQ(r.peers[0].name, "Ann");  // trimmed
  EXPECT_EQ(r.peers[0].joinOrder, 1u);
  EXPECT_EQ(h.hub.stats().rooms, 1u);
  EXPECT_EQ(h.hub.stats().members, 1u);
  EXPECT_EQ(h.hub.stats().roomsCreated, 1u);
}

TEST(HubCreate, UsesTheConfiguredDefaultSizeWhenNoneIsAsked) {
  HubConfig config;
  config.defaultRoomSize = 5;
  HubHarness h(config);
  h.greet(1);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(1, Create{"Ann", 0}), 1).maxMembers, 5);
}

TEST(HubCreate, UsesTheAskedSizeWithinBounds) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(1, Create{"Ann", 2}), 1).maxMembers, 2);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(2, Create{"Bob", limits::kMaxRoomSizeCap}), 2).maxMembers, 8);
}

TEST(HubCreate, RefusesSizesOutsideTheConfiguredRange) {
  HubConfig config;
  config.maxRoomSize = 4;
  HubHarness h(config);
  h.greet(1);
  for (int size : {1, 5, 8, 9, 1000}) {
    ErrorFrame e = h.refused(1, Create{"Ann", size});
    EXPECT_EQ(e.code, ErrorCode::InvalidRoomSize) << size;
    EXPECT_EQ(e.ref, "create");
  }
  EXPECT_EQ(h.hub.stats().rooms, 0u);
  EXPECT_EQ(onlyFrame<RoomJoined>(h.send(1, Create{"Ann", 4}), 1).maxMembers, 4);
}

TEST(HubCreate, RefusesInvalidNames) {
  HubHarness h;
  h.greet(1);
  for (const char* name : {"", "   ", "a\tb", "\xe2\x80\xae" "evil"}) {
    EXPECT_EQ(h.refused(1, Create{name, 0}).code, ErrorCode::InvalidName) << name;
  }
  EXPECT_EQ(h.refused(1, Create{std::string(33, 'a'), 0}).code, ErrorCode::InvalidName);
  EXPECT_EQ(h.refused(1, R"({"t":"create","name":"a\u0000b"})").code, ErrorCode::InvalidName);
  EXPECT_EQ(h.hub.stats().rooms, 0u);
}

// ---- join ------------------------------------------------------------------------------------------

TEST(HubJoin, JoinsByCodeTypedInLowerCaseWithSpaces) {
  HubHarness h;
  h.greet(1);
  PeerId bob = h.greet(2);
  std::string code = h.create(1, "Ann");
  std::string typed = " ";
  for (char c : code) typed += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  RoomJoined r = onlyFrame<RoomJoined>(h.send(2, Join{typed, "Bob"}), 2);
  EXPECT_EQ(r.code, code);
  EXPECT_EQ(r.you, bob);
  EXPECT_EQ(h.hub.stats().members, 2u);
}

TEST(HubJoin, RoomJoinedListsEveryMemberInJoinOrderWithTheHost) {
  HubHarness h;
  PeerId ann = h.greet(1), bob = h.greet(2), cy = h.greet(3);
  std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  RoomJoined r = onlyFrame<RoomJoined>(h.send(3, Join{code, "Cy"}), 3);
  ASSERT_EQ(r.peers.size(), 3u);
  EXPECT_EQ(r.peers[0].id, ann);
  EXPECT_EQ(r.peers[1].id, bob);
  EXPECT_EQ(r.peers[2].id, cy);
  EXPECT_EQ(r.peers[2].name, "Cy");
  EXPECT_LT(r.peers[0].joinOrder, r.peers[1].joinOrder);
  EXPECT_LT(r.peers[1].joinOrder, r.peers[2].joinOrder);
  EXPECT_EQ(r.host, ann);
  EXPECT_EQ(r.maxMembers, limits::kDefaultRoomSize);
}

TEST(HubJoin, EveryOtherMemberIsToldPeerJoinedAndTheJoinerIsNot) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  PeerId cy = h.greet(3);
  std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  auto out = h.send(3, Join{code, "Cy"});
  EXPECT_THAT(recipients(out), UnorderedElementsAre(1, 2, 3));
  for (ConnId other : {ConnId{1}, ConnId{2}}) {
    PeerJoined p = onlyFrame<PeerJoined>(out, other);
    EXPECT_EQ(p.peer.id, cy);
    EXPECT_EQ(p.peer.name, "Cy");
    EXPECT_EQ(p.peer.joinOrder, 3u);
  }
}

TEST(HubJoin, RefusesUnknownAndMalformedCodes) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  std::string code = h.create(1, "Ann");
  std::string other = code[0] == 'A' ? "B" + code.substr(1) : "A" + code.substr(1);
  ErrorFrame e = h.refused(2, Join{other, "Bob"});
  EXPECT_EQ(e.code, ErrorCode::RoomNotFound);
  EXPECT_EQ(e.ref, "join");
  // Neither a code nor a room name (1..64 of A-Z a-z 0-9 _ . -).
  for (std::string bad : {std::string(""), std::string("AB CD"), std::string("ABC/23"), std::string("caf\xc3\xa9"),
                          std::string(65, 'a')}) {
    EXPECT_EQ(h.refused(2, Join{bad, "Bob"}).code, ErrorCode::InvalidCode) << bad;
  }
  // A room name nobody created, joined without create.
  EXPECT_EQ(h.refused(2, Join{"ABCDE1", "Bob"}).code, ErrorCode::RoomNotFound);
}

TEST(HubJoin, RefusesAFullRoom) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.greet(3);
  std::string code = h.create(1, "Ann", 2);
  h.join(2, code, "Bob");
  EXPECT_EQ(h.refused(3, Join{code, "Cy"}).code, ErrorCode::RoomFull);
  EXPECT_EQ(h.hub.stats().members, 2u);
}

TEST(HubJoin, RefusesANameTakenInTheRoomWhateverItsCase) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  std::string code = h.create(1, "Ann");
  EXPECT_EQ(h.refused(2, Join{code, "aNN"}).code, ErrorCode::NameTaken);
  EXPECT_EQ(h.refused(2, Join{code, " \t"}).code, ErrorCode::InvalidName);
  h.join(2, code, "Anne");
}

TEST(HubJoin, CreateOrJoinWhileInARoomIsAlreadyInRoom) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  std::string code = h.create(1, "Ann");
  h.join(2, code, "Bob");
  EXPECT_EQ(h.refused(2, Join{"other-room", "Bob", true}).code, ErrorCode::AlreadyInRoom);
  EXPECT_EQ(h.refused(1, Create{"Ann", 0}).code, ErrorCode::AlreadyInRoom);
  EXPECT_EQ(h.hub.stats().rooms, 1u);
  EXPECT_EQ(h.hub.stats().members, 2u);
}

// ---- leaving -----------------------------------------------------------------------------------------

using testing::HubThreeMembers;

TEST_F(HubThreeMembers, LeaveTellsTheOthersPeerLeftWithReasonLeft) {
  auto out = h.send(3, Leave{});
  EXPECT_THAT(recipients(out), UnorderedElementsAre(1, 2));
  for (ConnId other : {ConnId{1}, ConnId{2}}) {
    PeerLeft p = onlyFrame<PeerLeft>(out, other);  // not the host: no host_changed
    EXPECT_EQ(p.id, cy);
    EXPECT_EQ(p.reason, LeaveReason::Left);
  }
  EXPECT_EQ(h.hub.stats().members, 2u);
  EXPECT_EQ(h.refused(3, Leave{}).code, ErrorCode::NotInRoom);
}

TEST_F(HubThreeMembers, HostLeavingMakesTheNextOldestHost) {
  auto out = h.send(1, Leave{});
  for (ConnId other : {ConnId{2}, ConnId{3}}) {
    auto frames = testing::framesTo(out, other);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(std::get<PeerLeft>(frames[0]).id, ann);
    EXPECT_EQ(std::get<HostChanged>(frames[1]).host, bob);
  }
  EXPECT_TRUE(testing::framesTo(out, 1).empty());
}

TEST_F(HubThreeMembers, DisconnectReportsItsReason) {
  auto out = h.hub.disconnect(2, LeaveReason::Disconnected);
  EXPECT_EQ(onlyFrame<PeerLeft>(out, 1).reason, LeaveReason::Disconnected);
  EXPECT_EQ(onlyFrame<PeerLeft>(out, 3).id, bob);
  out = h.hub.disconnect(1, LeaveReason::TimedOut);
  auto frames = testing::framesTo(out, 3);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(std::get<PeerLeft>(frames[0]).reason, LeaveReason::TimedOut);
  EXPECT_EQ(std::get<HostChanged>(frames[1]).host, cy);
  EXPECT_EQ(h.hub.stats().connections, 1u);
  EXPECT_EQ(h.hub.stats().members, 1u);
}

TEST_F(HubThreeMembers, AMemberWhoLeftCanJoinAgainAtTheBackOfTheOrder) {
  h.send(1, Leave{});
  RoomJoined r = onlyFrame<RoomJoined>(h.send(1, Join{code, "Ann"}), 1);
  EXPECT_EQ(r.host, bob);
  ASSERT_EQ(r.peers.size(), 3u);
  EXPECT_EQ(r.peers.back().id, ann);
  EXPECT_EQ(r.peers.back().joinOrder, 4u);
}

TEST_F(HubThreeMembers, EmptyRoomsAreRemoved) {
  h.send(1, Leave{});
  h.hub.disconnect(2, LeaveReason::Disconnected);
  EXPECT_EQ(h.hub.stats().rooms, 1u);
  EXPECT_TRUE(h.send(3, Leave{}).empty());  // nobody left to tell
  EXPECT_EQ(h.hub.stats().rooms, 0u);
  EXPECT_EQ(h.hub.stats().members, 0u);
  EXPECT_EQ(h.refused(1, Join{code, "Ann"}).code, ErrorCode::RoomNotFound);
  EXPECT_EQ(h.hub.stats().roomsCreated, 1u);
}

}  // namespace
}  // namespace huddle
