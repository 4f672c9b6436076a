// Client::sendGame: game sync frames (gi, gs) go bare and unreliably, on the link's unordered
// channel or in the next relay frame, and arrive as onGameFrame, never as the app's messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"
#include "huddle/game_frames.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using testing::framesOf;
using testing::kDefaults;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr const char* kSelf = "SELF000003";

std::vector<std::string> gameFramesIn(const std::vector<PeerMessage>& frames) {
  std::vector<std::string> out;
  for (const auto& m : framesOf<GameMessage>(frames)) out.push_back(m.frame);
  return out;
}

class ClientGame : public ::testing::Test {
 protected:
  void SetUp() override { c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}); }
  ClientHarness c;
  const std::string input = encode(GameInputFrame{3, {"1", "2"}, 7});
  const std::string state = encode(GameStateFrame{4, std::nullopt, R"({"x":1})", 9, 2});
};

TEST_F(ClientGame, AFrameGoesBareOnTheUnorderedChannelAndNowhereElse) {
  c.client.onLinkOpen("P1");
  ASSERT_TRUE(c.client.sendGame("P1", input).ok());
  ASSERT_EQ(c.port.unreliableFrames.size(), 1u);
  EXPECT_EQ(c.port.unreliableFrames[0].frame, input);  // as written: no envelope
  EXPECT_THAT(c.messagesTo("P1"), IsEmpty());
  // Never resent: a new link carries the reliable stream only.
  c.client.onLinkClosed("P1");
  c.signalFrom("P1", SignalPayload{SignalKind::Answer, "x", "", "", -1});
  c.client.onLinkOpen("P1");
  EXPECT_EQ(gameFramesIn(c.sentUnreliableToPeer("P1")).size(), 1u);
}

TEST_F(ClientGame, OnTheRelayItRidesTheNextFrameOnce) {
  c.advance(kDefaults.linkOpenTimeoutMs);
  ASSERT_EQ(c.transportOf("P2"), Transport::Relay);
  c.advance(1000);
  ASSERT_TRUE(c.client.sendGame("P2", state).ok());
  c.advance(testing::kRelayIntervalMs);
  EXPECT_THAT(gameFramesIn(c.relayedTo("P2")), ElementsAre(state));
  c.advance(kDefaults.relayResendMs * 2);
  EXPECT_THAT(gameFramesIn(c.relayedTo("P2")), ElementsAre(state));
}

TEST_F(ClientGame, WhatIsNotAGameFrameIsRefusedBeforeItCanSpoilABatch) {
  c.client.onLinkOpen("P1");
  for (const char* bad : {R"({"t":"msg","seq":1})", R"({"t":"gi")", "[1]", R"({"x":"gi"})"}) {
    EXPECT_EQ(c.client.sendGame("P1", bad).error().code, ErrorCode::DataInvalid) << bad;
  }
  EXPECT_EQ(c.client.sendGame("nobody", input).error().code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(c.client.sendGame(kSelf, input).error().code, ErrorCode::PeerNotInRoom);
  EXPECT_THAT(c.port.unreliableFrames, IsEmpty());
  // Without any path yet it is dropped, as a lost datagram would be.
  EXPECT_TRUE(c.client.sendGame("P2", input).ok());
  EXPECT_THAT(gameFramesIn(c.sentUnreliableToPeer("P2")), IsEmpty());
}

TEST_F(ClientGame, FramesArriveAsGameFramesFromLinkAndRelayNeverAsMessages) {
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", GameMessage{state});
  c.fromRelay("P2", {GameMessage{input}, GameMessage{state}});
  EXPECT_THAT(c.observer.gameFrames, ElementsAre(Pair("P1", state), Pair("P2", input), Pair("P2", state)));
  EXPECT_THAT(c.observer.messages, IsEmpty());
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST(PeerMessage, GameFramesDecodeAsWrittenAndEncodeToThemselves) {
  const std::string frame = R"({"t":"gs","n":4,"s":{"x":1},"h":"0000000000000009"})";
  auto decoded = decodePeerMessage(frame);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(std::get<GameMessage>(decoded.value()).frame, frame);
  EXPECT_EQ(encode(decoded.value()), frame);
  auto batch = decodeLinkMessage("[" + frame + R"(,{"t":"ack","seq":2}])");
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch.value().size(), 2u);
}

}  // namespace
}  // namespace huddle
