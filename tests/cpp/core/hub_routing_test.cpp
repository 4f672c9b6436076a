// The hub's routing (signal, relay, ping), its refusals and its caps. Only members of the same
// room reach each other (DESIGN.md "Guarantees"); a refused frame never ends a connection.
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/hub_harness.hpp"
#include "fakes/signals.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::HubHarness;
using testing::onlyFrame;
using testing::recipients;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// Ann (1), Bob (2) and Cy (3) share a room; Dee (4) is alone in another; Eve (5) is in none.
class HubRouting : public testing::HubThreeMembers {
 protected:
  void SetUp() override {
    HubThreeMembers::SetUp();
    dee = h.greet(4);
    eve = h.greet(5);
    h.create(4, "Dee");
  }
  PeerId dee, eve;
};

TEST_F(HubRouting, SignalIsForwardedToTheAddresseeWithTheSendersId) {
  SignalPayload offer = testing::offer("v=0 offer");
  auto out = h.send(3, SignalOut{ann, offer});
  EXPECT_THAT(recipients(out), ElementsAre(1));
  SignalIn s = onlyFrame<SignalIn>(out, 1);
  EXPECT_EQ(s.from, cy);
  EXPECT_EQ(s.data.kind, SignalKind::Offer);
  EXPECT_EQ(s.data.sdp, "v=0 offer");
  SignalIn ice = onlyFrame<SignalIn>(h.send(1, SignalOut{cy, testing::candidate("cand", "0", 0)}), 3);
  EXPECT_EQ(ice.data.candidate, "cand");
  EXPECT_EQ(ice.data.sdpMid, "0");
  EXPECT_EQ(h.hub.stats().signalsForwarded, 2u);
}

TEST_F(HubRouting, SignalToAMemberOfAnotherRoomIsRefusedAndNothingReachesThem) {
  ErrorFrame e = h.refused(1, SignalOut{dee, testing::offer("x")});
  EXPECT_EQ(e.code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(e.ref, "signal");
  EXPECT_EQ(h.refused(1, SignalOut{eve, testing::offer("x")}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.refused(4, SignalOut{ann, testing::offer("x")}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.refused(1, SignalOut{"NOBODY0000", testing::offer("x")}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.hub.stats().signalsForwarded, 0u);
}

TEST_F(HubRouting, SignalToYourselfIsRefused) {
  EXPECT_EQ(h.refused(1, SignalOut{ann, testing::offer("x")}).code, ErrorCode::PeerNotInRoom);
}

TEST_F(HubRouting, SignalRelayAndLeaveOutsideARoomAreNotInRoom) {
  ErrorFrame s = h.refused(5, SignalOut{ann, testing::offer("x")});
  EXPECT_EQ(s.code, ErrorCode::NotInRoom);
  EXPECT_EQ(s.ref, "signal");
  ErrorFrame r = h.refused(5, RelayOut{"", 1, R"("hi")"});
  EXPECT_EQ(r.code, ErrorCode::NotInRoom);
  EXPECT_EQ(r.ref, "relay");
  EXPECT_EQ(h.refused(5, RelayOut{ann, 1, R"("hi")"}).code, ErrorCode::NotInRoom);
  ErrorFrame l = h.refused(5, Leave{});
  EXPECT_EQ(l.code, ErrorCode::NotInRoom);
  EXPECT_EQ(l.ref, "leave");
}

TEST_F(HubRouting, RelayBroadcastReachesEveryOtherMemberOfTheRoomOnly) {
  std::string data = R"({"chat":"hello"})";
  auto out = h.send(2, RelayOut{"", 12, data});
  EXPECT_THAT(recipients(out), UnorderedElementsAre(1, 3));
  for (ConnId to : {ConnId{1}, ConnId{3}}) {
    RelayIn r = onlyFrame<RelayIn>(out, to);
    EXPECT_EQ(r.from, bob);
    EXPECT_EQ(r.seq, 12u);
    EXPECT_TRUE(r.broadcast);
    EXPECT_EQ(r.data, data);
  }
  EXPECT_EQ(h.hub.stats().relayedMessages, 1u);
}

TEST_F(HubRouting, RelayToOneMemberReachesOnlyThemMarkedNotBroadcast) {
  auto out = h.send(2, RelayOut{cy, 3, R"("psst")"});
  EXPECT_THAT(recipients(out), ElementsAre(3));
  RelayIn r = onlyFrame<RelayIn>(out, 3);
  EXPECT_EQ(r.from, bob);
  EXPECT_FALSE(r.broadcast);
  EXPECT_EQ(r.data, R"("psst")");
  EXPECT_EQ(h.hub.stats().relayedMessages, 1u);
}

TEST_F(HubRouting, RelayToOutsidersOrYourselfIsRefused) {
  EXPECT_EQ(h.refused(2, RelayOut{dee, 1, R"("x")"}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.refused(2, RelayOut{eve, 1, R"("x")"}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.refused(2, RelayOut{bob, 1, R"("x")"}).code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(h.hub.stats().relayedMessages, 0u);
}

TEST_F(HubRouting, RelayBroadcastFromAMemberAloneReachesNobody) {
  EXPECT_TRUE(h.send(4, RelayOut{"", 1, R"("echo?")"}).empty());
}

TEST_F(HubRouting, AfterLeavingAPeerCanNoLongerBeReached) {
  h.send(3, Leave{});
  EXPECT_EQ(h.refused(1, SignalOut{cy, testing::offer("x")}).code, ErrorCode::PeerNotInRoom);
  EXPECT_THAT(recipients(h.send(1, RelayOut{"", 1, R"("x")"})), ElementsAre(2));
}

TEST_F(HubRouting, RelayPartsReachEachTheirOwnMemberOnly) {
  RelayOut batch;
  batch.seq = 9;
  batch.parts = {{bob, R"([{"t":"ack","seq":1}])"}, {cy, "[1,2]"}};
  auto out = h.send(1, batch);
  EXPECT_THAT(recipients(out), UnorderedElementsAre(2, 3));
  RelayIn toBob = onlyFrame<RelayIn>(out, 2);
  EXPECT_EQ(toBob.from, ann);
  EXPECT_EQ(toBob.seq, 9u);
  EXPECT_FALSE(toBob.broadcast);
  EXPECT_EQ(json::parse(toBob.data), json::parse(batch.parts[0].data));
  EXPECT_EQ(onlyFrame<RelayIn>(out, 3).data, "[1,2]");
  EXPECT_EQ(h.hub.stats().relayedMessages, 2u);
}

TEST_F(HubRouting, ARelayPartForSomeoneOutsideTheRoomIsRefusedAloneTheOthersGoThrough) {
  RelayOut batch;
  batch.seq = 1;
  batch.parts = {{dee, R"("no")"}, {cy, R"("yes")"}, {ann, R"("not to yourself")"}};
  auto out = h.send(1, batch);
  EXPECT_EQ(onlyFrame<RelayIn>(out, 3).data, R"("yes")");
  std::vector<ErrorFrame> errors;
  for (const auto& o : out) {
    if (o.to != 1) continue;
    auto d = decodeServerMessage(o.frame);
    ASSERT_TRUE(d.ok() && std::holds_alternative<ErrorFrame>(d.value())) << o.frame;
    errors.push_back(std::get<ErrorFrame>(d.value()));
  }
  ASSERT_EQ(errors.size(), 2u);
  for (const auto& e : errors) {
    EXPECT_EQ(e.code, ErrorCode::PeerNotInRoom);
    EXPECT_EQ(e.ref, "relay");
  }
  EXPECT_EQ(h.hub.stats().relayedMessages, 1u);
  EXPECT_EQ(h.hub.stats().framesRejected, 1u);  // one frame, however many of its parts were refused
}

TEST(HubRelayOnly, ARoomCreatedRelayOnlySaysSoToEveryoneWhoJoins) {
  HubHarness h;
  h.greet(1);
  h.greet(2);
  h.greet(3);
  RoomJoined first = onlyFrame<RoomJoined>(h.send(1, Create{"Ann", 0, true}), 1);
  EXPECT_TRUE(first.relayOnly);
  EXPECT_TRUE(onlyFrame<RoomJoined>(h.send(2, Join{first.code, "Bob", false, 0, false}), 2).relayOnly);
  // A named room created by a join with relayOnly; a later join cannot change it.
  EXPECT_TRUE(onlyFrame<RoomJoined>(h.send(3, Join{"lounge", "Cy", true, 0, true}), 3).relayOnly);
  h.greet(4);
  EXPECT_TRUE(onlyFrame<RoomJoined>(h.send(4, Join{"lounge", "Dee", true, 0, false}), 4).relayOnly);
  h.greet(5);
  EXPECT_FALSE(onlyFrame<RoomJoined>(h.send(5, Create{"Eve", 0}), 5).relayOnly);
}

TEST(HubPing, IsAnsweredWithPongEchoingTheId) {
  HubHarness h;
  h.greet(1);
  EXPECT_EQ(onlyFrame<Pong>(h.send(1, Ping{77}), 1).id, 77u);
  EXPECT_EQ(onlyFrame<Pong>(h.send(1, R"({"t":"ping"})"), 1).id, 0u);
}

// ---- every refusal is counted, named, and survivable --------------------------------------------

struct Refusal {
  std::string frame;
  ErrorCode code;
  std::string ref;
};

TEST_F(HubRouting, EveryRefusalIsCountedAndTheConnectionStaysUsable) {
  std::vector<Refusal> cases = {
      {"garbage", ErrorCode::BadJson, ""},
      {"[1,2]", ErrorCode::BadFrame, ""},
      {R"({"t":7})", ErrorCode::BadFrame, ""},
      {R"({"t":"dance"})", ErrorCode::UnknownType, "dance"},
      {R"({"t":"ping","pad":")" + std::string(limits::kMaxFrameBytes, 'x') + R"("})", ErrorCode::FrameTooLarge, ""},
      {R"({"t":"relay","seq":1,"data":)" + std::string(100, '[') + std::string(100, ']') + "}", ErrorCode::BadFrame, ""},
      {R"({"t":"join","code":"ABC234"})", ErrorCode::BadFrame, "join"},
      {R"({"t":"relay","seq":-1,"data":0})", ErrorCode::BadFrame, "relay"},
      {R"({"t":"signal","to":"X","data":{"kind":"bogus"}})", ErrorCode::BadFrame, "signal"},
      {R"({"t":"hello","v":1})", ErrorCode::BadFrame, "hello"},
      {R"({"t":"create","name":"Bob"})", ErrorCode::AlreadyInRoom, "create"},
      {R"({"t":"join","code":"ABC234","name":"Bob"})", ErrorCode::AlreadyInRoom, "join"},
      {encode(ClientMessage{SignalOut{dee, testing::offer("x")}}), ErrorCode::PeerNotInRoom, "signal"},
      {encode(ClientMessage{RelayOut{bob, 1, "0"}}), ErrorCode::PeerNotInRoom, "relay"},
  };
  std::uint64_t rejected = h.hub.stats().framesRejected;
  std::uint64_t in = h.hub.stats().framesIn;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.frame.substr(0, 80));
    ErrorFrame e = h.refused(2, c.frame);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.ref, c.ref);
    EXPECT_FALSE(e.message.empty());
    EXPECT_EQ(h.hub.stats().framesRejected, ++rejected);
    // Still a member, still heard: a relay after the bad frame reaches the room.
    EXPECT_THAT(recipients(h.send(2, RelayOut{"", 1, R"("still here")"})), UnorderedElementsAre(1, 3));
  }
  EXPECT_EQ(h.hub.stats().framesIn, in + 2 * cases.size());
  EXPECT_EQ(h.hub.stats().members, 4u);
}

TEST(HubRefusals, AreCountedBeforeHelloToo) {
  HubHarness h;
  h.hub.connect(1);
  h.refused(1, "{");
  h.refused(1, Ping{1});
  h.refused(1, Hello{99, "", "", false});
  EXPECT_EQ(h.hub.stats().framesRejected, 3u);
  onlyFrame<Welcome>(h.send(1, Hello{1, "", "", false}), 1);
  EXPECT_EQ(h.hub.stats().framesRejected, 3u);
}

// ---- caps and the random source ------------------------------------------------------------------

TEST(HubCaps, CreatingPastMaxRoomsIsServerFullUntilARoomCloses) {
  HubConfig config;
  config.maxRooms = 2;
  HubHarness h(config);
  for (ConnId c = 1; c <= 3; ++c) h.greet(c);
  h.create(1, "Ann");
  h.create(2, "Bob");
  ErrorFrame e = h.refused(3, Create{"Cy", 0});
  EXPECT_EQ(e.code, ErrorCode::ServerFull);
  EXPECT_EQ(e.ref, "create");
  EXPECT_EQ(h.hub.stats().rooms, 2u);
  h.hub.disconnect(1, LeaveReason::Disconnected);
  EXPECT_EQ(h.refused(3, Create{"Cy", 0}).code, ErrorCode::ServerFull);  // Ann is away: her room lives on
  h.now += HubConfig{}.memberGraceMs;
  h.hub.expireAway();
  h.create(3, "Cy");
  EXPECT_EQ(h.hub.stats().rooms, 2u);
}

TEST(HubCaps, RoomCodesAreUniqueAmongLiveRooms) {
  HubHarness h(HubConfig{}, testing::seededRandom(42));
  std::set<std::string> codes;
  for (ConnId c = 1; c <= 200; ++c) {
    h.greetFrom(c, "10.0.0." + std::to_string(c));  // each its own address: 200 rooms are past one's burst
    codes.insert(h.create(c, "P" + std::to_string(c)));
  }
  EXPECT_EQ(codes.size(), 200u);
}

TEST(HubCaps, ARandomSourceThatRepeatsCodesGivesServerFullNotADuplicateRoom) {
  HubHarness h(HubConfig{}, testing::repeatingCodeRandom(3));
  h.greet(1);
  h.greet(2);
  std::string code = h.create(1, "Ann");
  EXPECT_EQ(code, "HHHHHH");  // byte 7 is 'H'
  ErrorFrame e = h.refused(2, Create{"Bob", 0});
  EXPECT_EQ(e.code, ErrorCode::ServerFull);
  EXPECT_EQ(h.hub.stats().rooms, 1u);
  EXPECT_EQ(h.hub.stats().roomsCreated, 1u);
  // The first room is untouched, and the code is free again once it closes.
  h.join(2, code, "Bob");
  h.send(1, Leave{});
  h.send(2, Leave{});
  EXPECT_EQ(h.create(2, "Bob"), "HHHHHH");
}

TEST(HubCaps, ARandomSourceThatRepeatsPeerIdsIsRefusedInsteadOfHanging) {
  HubHarness h(HubConfig{}, testing::constantRandom(0));
  EXPECT_EQ(h.greet(1), "AAAAAAAAAA");
  h.hub.connect(2);
  ErrorFrame e = h.refused(2, Hello{1, "", "", false});
  EXPECT_EQ(e.code, ErrorCode::ServerFull);
  EXPECT_EQ(e.ref, "hello");
  EXPECT_EQ(h.refused(2, Ping{1}).code, ErrorCode::HelloRequired);  // not greeted
  h.hub.disconnect(1, LeaveReason::Left);
  EXPECT_EQ(onlyFrame<Welcome>(h.send(2, Hello{1, "", "", false}), 2).id, "AAAAAAAAAA");
}

}  // namespace
}  // namespace huddle
