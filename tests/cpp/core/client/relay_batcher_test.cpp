// Client's relay fallback: when the direct link to a member cannot be made or dies, the
// same streams go through the server (batched, paced, resent when acks stall), and come back to a
// new direct link when one opens. Also relay-only rooms.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"
#include "fakes/signals.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;
using testing::kDefaults;
using testing::dataOf;
using testing::framesOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000003";

// In a room with Ann (P1, host) and Bob (P2), both older than us: we offer to both.
class ClientRelay : public ::testing::Test {
 protected:
  explicit ClientRelay(ClientConfig config = {}) : c(config) {}
  void SetUp() override { c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}); }
  // Ann's link opens; Bob's never does, so after the open timeout Bob is reached by relay.
  void bobOnRelay() {
    c.client.onLinkOpen("P1");
    c.advanceAlive(kDefaults.linkOpenTimeoutMs, {"P1"});
    ASSERT_EQ(c.transportOf("P2"), Transport::Relay);
  }
  ClientHarness c;
};

TEST_F(ClientRelay, MessagesWaitingForALinkThatNeverOpensGoThroughTheServerAfterTheTimeout) {
  ASSERT_TRUE(c.client.sendTo("P2", "1").ok());
  ASSERT_TRUE(c.client.send("2").ok());
  c.advance(kDefaults.linkOpenTimeoutMs - 1);
  EXPECT_THAT(c.relayFrames(), IsEmpty());
  EXPECT_EQ(c.transportOf("P2"), Transport::None);
  c.advance(1);
  EXPECT_EQ(c.transportOf("P2"), Transport::Relay);
  c.advance(testing::kRelayIntervalMs);  // Ann's part went first; Bob's is in the next frame
  auto relayed = c.relayedTo("P2");
  ASSERT_FALSE(relayed.empty());
  ASSERT_TRUE(std::holds_alternative<StreamSync>(relayed[0]));  // the stream is announced first
  EXPECT_EQ(std::get<StreamSync>(relayed[0]).seq, 1u);
  EXPECT_THAT(dataOf(c.messagesRelayedTo("P2")), ElementsAre(1, 2));
  EXPECT_THAT(c.messagesTo("P2"), IsEmpty());
  EXPECT_THAT(c.observer.transports, ::testing::Contains(std::pair<PeerId, Transport>("P2", Transport::Relay)));
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientRelay, OneSendToSeveralRelayedMembersIsOneFrameWithAPartForEach) {
  c.advance(kDefaults.linkOpenTimeoutMs);  // neither link opened
  ASSERT_EQ(c.transportOf("P1"), Transport::Relay);
  c.advance(1000);
  std::size_t before = c.relayFrames().size();
  ASSERT_TRUE(c.client.send(R"({"to":"everyone"})").ok());
  auto frames = c.relayFrames();
  ASSERT_EQ(frames.size(), before + 1);
  ASSERT_EQ(frames.back().parts.size(), 2u);
  EXPECT_EQ(json::parse(frames.back().parts[0].data).back()["data"], json({{"to", "everyone"}}));
  EXPECT_EQ(json::parse(frames.back().parts[1].data).back()["data"], json({{"to", "everyone"}}));
  EXPECT_NE(frames.back().parts[0].to, frames.back().parts[1].to);
  EXPECT_GT(frames.back().seq, frames[before - 1].seq);
}

TEST_F(ClientRelay, SendsInQuickSuccessionShareFramesAtMostOnePerFlushInterval) {
  bobOnRelay();
  c.advance(1000);
  std::size_t before = c.relayFrames().size();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(c.client.sendTo("P2", std::to_string(i)).ok());
    c.advance(5);  // 50 ms of sending in all
  }
  c.advance(testing::kRelayIntervalMs);
  auto frames = c.relayFrames();
  // The first goes at once; the rest wait for their turn, 25 ms apart.
  EXPECT_LE(frames.size() - before, 3u);
  EXPECT_GE(frames.size() - before, 2u);
  std::vector<json> sent = dataOf(c.messagesRelayedTo("P2"));
  EXPECT_EQ(sent.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sent[static_cast<std::size_t>(i)], i);
}

TEST_F(ClientRelay, RelayedMessagesAreDeliveredInOrderAndAckedThroughTheServer) {
  bobOnRelay();
  c.fromRelay("P2", {StreamSync{42, 1}, AppMessage{2, 12, 0, true, R"("second")"}, AppMessage{1, 11, 0, true, R"("first")"}});
  ASSERT_EQ(c.observer.messages.size(), 2u);
  EXPECT_EQ(c.observer.messages[0].data, "first");
  EXPECT_EQ(c.observer.messages[1].data, "second");
  c.advance(testing::kRelayIntervalMs);
  auto acks = framesOf<Ack>(c.relayedTo("P2"));
  ASSERT_FALSE(acks.empty());
  EXPECT_EQ(acks.back().seq, 2u);
  EXPECT_THAT(c.acksTo("P2"), IsEmpty());  // nothing on the (failed) direct link
  // The same messages again (a resend) are not delivered twice, and are acked again.
  c.fromRelay("P2", {StreamSync{42, 1}, AppMessage{1, 11, 0, true, R"("first")"}});
  EXPECT_EQ(c.observer.messages.size(), 2u);
}

TEST_F(ClientRelay, AcksThroughTheServerClearTheQueueAndReportDelivery) {
  bobOnRelay();
  auto id = c.client.sendTo("P2", "\"hi\"");
  ASSERT_TRUE(id.ok());
  c.fromRelay("P2", {Ack{1}});
  EXPECT_THAT(c.observer.delivered, ElementsAre(std::pair<PeerId, std::uint64_t>("P2", id.value())));
  // Nothing is left to resend.
  std::size_t frames = c.messagesRelayedTo("P2").size();
  c.advance(kDefaults.relayResendMs * 3);
  EXPECT_EQ(c.messagesRelayedTo("P2").size(), frames);
}

TEST_F(ClientRelay, MessagesNotAckedInTimeAreSentAgainAfterASync) {
  bobOnRelay();
  ASSERT_TRUE(c.client.sendTo("P2", "1").ok());
  ASSERT_TRUE(c.client.sendTo("P2", "2").ok());
  c.advance(testing::kRelayIntervalMs);
  c.fromRelay("P2", {Ack{1}});
  std::size_t before = c.relayedTo("P2").size();
  c.advance(kDefaults.relayResendMs + testing::kRelayIntervalMs);
  auto again = c.relayedTo("P2");
  again.erase(again.begin(), again.begin() + static_cast<std::ptrdiff_t>(before));
  auto syncs = framesOf<StreamSync>(again);
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_EQ(syncs[0].seq, 2u);
  EXPECT_THAT(dataOf(framesOf<AppMessage>(again)), ElementsAre(2));
}

TEST_F(ClientRelay, ARelayFrameFromAMemberWhoseLinkIsStillBeingMadeSwitchesUsToTheRelayToo) {
  ASSERT_EQ(c.transportOf("P1"), Transport::None);
  ASSERT_TRUE(c.client.sendTo("P1", "\"waiting\"").ok());
  c.fromRelay("P1", {StreamSync{5, 1}, AppMessage{1, 1, 0, true, R"("hello from Ann")"}});
  EXPECT_EQ(c.transportOf("P1"), Transport::Relay);
  ASSERT_EQ(c.observer.messages.size(), 1u);
  c.advance(testing::kRelayIntervalMs);
  EXPECT_THAT(dataOf(c.messagesRelayedTo("P1")), ElementsAre("waiting"));
  // The link opening after all takes the stream back.
  c.client.onLinkOpen("P1");
  EXPECT_EQ(c.transportOf("P1"), Transport::Direct);
  EXPECT_THAT(dataOf(c.messagesTo("P1")), ElementsAre("waiting"));
}

TEST_F(ClientRelay, ANewDirectLinkTakesTheStreamBackWithASyncAndTheUnackedMessages) {
  bobOnRelay();
  ASSERT_TRUE(c.client.sendTo("P2", "1").ok());
  ASSERT_TRUE(c.client.sendTo("P2", "2").ok());
  c.fromRelay("P2", {Ack{1}});
  // We offer to Bob, so we retry: after linkRetryInitialMs a new link is opened.
  std::size_t opened = c.port.openLinks.size();
  c.advanceAlive(kDefaults.linkRetryInitialMs, {"P1"});
  ASSERT_EQ(c.port.openLinks.size(), opened + 1);
  EXPECT_EQ(c.port.openLinks.back().peer, "P2");
  EXPECT_TRUE(c.port.openLinks.back().offerer);
  EXPECT_EQ(c.transportOf("P2"), Transport::Relay);  // until it opens
  c.signalFrom("P2", testing::answer("bob's answer"));
  c.client.onLinkOpen("P2");
  EXPECT_EQ(c.transportOf("P2"), Transport::Direct);
  auto direct = c.sentToPeer("P2");
  ASSERT_GE(direct.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<StreamSync>(direct[0]));
  EXPECT_EQ(std::get<StreamSync>(direct[0]).seq, 2u);
  EXPECT_THAT(dataOf(c.messagesTo("P2")), ElementsAre(2));
  // New messages go direct only.
  std::size_t relayed = c.messagesRelayedTo("P2").size();
  ASSERT_TRUE(c.client.sendTo("P2", "3").ok());
  c.advance(kDefaults.relayResendMs * 2);
  EXPECT_EQ(c.messagesRelayedTo("P2").size(), relayed);
  EXPECT_EQ(dataOf(c.messagesTo("P2")).back(), 3);
}

TEST_F(ClientRelay, TheOfferingSideRetriesWithBackoffAndTheOtherSideWaits) {
  c.client.onLinkOpen("P1");
  c.client.onLinkFailed("P2", "ice failed");
  std::vector<double> attempts;
  double start = c.port.nowMs();
  std::size_t opened = c.port.openLinks.size();
  for (int i = 0; i < 200 && attempts.size() < 5; ++i) {
    c.advanceAlive(1000, {"P1"});
    if (c.port.openLinks.size() > opened) {
      opened = c.port.openLinks.size();
      attempts.push_back(c.port.nowMs() - start);
      start = c.port.nowMs();  // then it times out 5 s later and the next wait begins
    }
  }
  // 5 s, then (after each 5 s open timeout) 10, 20, 40, 60 (capped).
  ASSERT_EQ(attempts.size(), 5u);
  EXPECT_NEAR(attempts[0], 5000, 1000);
  EXPECT_NEAR(attempts[1], 5000 + 10000, 1000);
  EXPECT_NEAR(attempts[2], 5000 + 20000, 1000);
  EXPECT_NEAR(attempts[3], 5000 + 40000, 1000);
  EXPECT_NEAR(attempts[4], 5000 + 60000, 1000);

  // Ann offered to us: when her link fails, she retries, not us.
  c.client.onLinkFailed("P1", "ice failed");
  opened = c.port.openLinks.size();
  ClientHarness older;
  older.enterRoom("P0", {{"P0", "Old", 1}, {"P9", "New", 2}});
  older.client.onLinkFailed("P9", "ice failed");
  older.advance(kDefaults.linkRetryMaxMs * 2);
  EXPECT_EQ(older.port.openLinks.size(), 1u);  // only the first, made on join
  EXPECT_EQ(older.transportOf("P9"), Transport::Relay);
  // Her new offer is answered on a fresh link.
  older.signalFrom("P9", testing::offer("retry"));
  EXPECT_EQ(older.port.openLinks.size(), 2u);
  EXPECT_FALSE(older.port.openLinks.back().offerer);
  ASSERT_FALSE(older.port.remoteDescriptions.empty());
  EXPECT_EQ(older.port.remoteDescriptions.back().sdp, "retry");
}

TEST_F(ClientRelay, AnOpenLinkWhosePingsGoUnansweredFailsAndTheRelayTakesOver) {
  c.client.onLinkOpen("P1");
  c.client.onLinkOpen("P2");
  c.advanceAlive(kDefaults.linkSilenceTimeoutMs * 3, {"P1", "P2"});
  EXPECT_EQ(c.transportOf("P2"), Transport::Direct);
  // Bob's path dies quietly: nothing arrives any more.
  c.advanceAlive(kDefaults.linkSilenceTimeoutMs + 2 * kDefaults.linkPingIntervalMs, {"P1"});
  EXPECT_EQ(c.linkOf("P2"), LinkState::Failed);
  EXPECT_EQ(c.transportOf("P2"), Transport::Relay);
  EXPECT_EQ(c.transportOf("P1"), Transport::Direct);
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientRelay, RoundTripTimeIsMeasuredOverTheRelayToo) {
  bobOnRelay();
  c.advance(testing::kRelayIntervalMs);
  auto pings = framesOf<LinkPing>(c.relayedTo("P2"));
  ASSERT_FALSE(pings.empty());
  c.advance(40);
  c.fromRelay("P2", {LinkPong{pings.back().ts}});
  ASSERT_FALSE(c.observer.rtts.empty());
  EXPECT_EQ(c.observer.rtts.back().first, "P2");
  EXPECT_GE(c.observer.rtts.back().second, 40);
  EXPECT_EQ(c.viewOf("P2")->rttMs, c.observer.rtts.back().second);
  // And we answer pings that come through the server through the server.
  c.fromRelay("P2", {LinkPing{123.0}});
  c.advance(testing::kRelayIntervalMs);
  auto pongs = framesOf<LinkPong>(c.relayedTo("P2"));
  ASSERT_FALSE(pongs.empty());
  EXPECT_EQ(pongs.back().ts, 123.0);
}

TEST_F(ClientRelay, NothingIsRelayedToAnAwayMemberAndItGetsEverythingAgainWhenBack) {
  bobOnRelay();
  ASSERT_TRUE(c.client.sendTo("P2", "1").ok());
  c.fromServer(PeerAway{"P2"});
  c.advance(1000);
  std::size_t frames = c.relayFrames().size();
  ASSERT_TRUE(c.client.sendTo("P2", "2").ok());
  c.advance(kDefaults.relayResendMs * 2);
  EXPECT_EQ(c.relayFrames().size(), frames);  // Bob would not get it: the server refuses
  c.fromServer(PeerBack{"P2", false});
  c.advance(testing::kRelayIntervalMs);
  auto relayed = c.relayedTo("P2");
  auto tail = std::vector<PeerMessage>(relayed.end() - 3, relayed.end());
  ASSERT_TRUE(std::holds_alternative<StreamSync>(tail[0]) || std::holds_alternative<LinkPing>(tail[0]));
  EXPECT_THAT(dataOf(framesOf<AppMessage>(tail)), ElementsAre(1, 2));
}

TEST_F(ClientRelay, AfterOurOwnReconnectTheRelayedStreamIsSentAgain) {
  bobOnRelay();
  ASSERT_TRUE(c.client.sendTo("P2", "1").ok());
  c.client.onSignalingClosed("gone");
  ASSERT_TRUE(c.client.sendTo("P2", "2").ok());  // queued: no server to relay through
  std::size_t frames = c.relayFrames().size();
  c.advance(2000);
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  EXPECT_EQ(c.relayFrames().size(), frames);  // not in the room yet
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}});
  c.advance(testing::kRelayIntervalMs);
  auto all = c.relayFrames();
  ASSERT_GT(all.size(), frames);
  std::vector<json> resent;
  for (std::size_t i = frames; i < all.size(); ++i) {
    for (const auto& part : all[i].parts) {
      for (const auto& f : json::parse(part.data)) {
        if (part.to == "P2" && f["t"] == "msg") resent.push_back(f["data"]);
      }
    }
  }
  EXPECT_THAT(resent, ElementsAre(1, 2));
}

TEST_F(ClientRelay, TheServerRefusingAPartForAMemberWhoJustLeftIsNotAnAppError) {
  bobOnRelay();
  c.fromServer(ErrorFrame{ErrorCode::PeerNotInRoom, "no member P2 in this room", "relay"});
  EXPECT_THAT(c.observer.errors, IsEmpty());
  c.fromServer(ErrorFrame{ErrorCode::PeerNotInRoom, "no member P2 in this room", "signal"});
  EXPECT_EQ(c.observer.errors.size(), 1u);
}

TEST_F(ClientRelay, ABacklogIsSplitIntoFramesTheServerAccepts) {
  bobOnRelay();
  std::string big = "\"" + std::string(20000, 'x') + "\"";
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(c.client.sendTo("P2", big).ok());
  c.advance(testing::kRelayIntervalMs * 20);
  for (const auto& frame : c.port.signaling) EXPECT_LE(frame.size(), limits::kMaxFrameBytes);
  EXPECT_EQ(c.messagesRelayedTo("P2").size(), 12u);
  // The server's own decoder takes every one of them.
  for (const auto& frame : c.port.signaling) EXPECT_TRUE(decodeClientMessage(frame).ok()) << frame.substr(0, 80);
}

TEST_F(ClientRelay, ARelayFrameThatIsNotAListOfPeerFramesIsAProtocolViolation) {
  bobOnRelay();
  c.fromServer(RelayIn{"P2", 1, false, R"("hi")"});
  c.fromServer(RelayIn{"P2", 2, false, R"([{"t":"msg"}])"});
  c.fromServer(RelayIn{"P2", 3, false, "[]"});
  c.fromServer(RelayIn{"NOBODY0000", 4, false, testing::batchOf({Ack{1}})});  // ignored
  EXPECT_THAT(c.observer.errorCodes(),
              ElementsAre(ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation));
  EXPECT_THAT(c.observer.messages, IsEmpty());
}

TEST(ClientSend, DataGoesAsWrittenSoItsSizeIsWhatItWeighs) {
  ClientHarness c;
  c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 3}});
  // Through a tree, 1e9 would be written out as 1000000000.0: four times longer, past the limit.
  std::string data = "[";
  while (data.size() < limits::kMaxAppDataBytes - 8) data += "1e9,";
  data += "1]";
  ASSERT_TRUE(c.client.send(data).ok());
  c.client.onLinkOpen("P1");
  auto sent = c.messagesTo("P1");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].data, data);
  for (const auto& f : c.port.linkFrames) EXPECT_LE(f.frame.size(), limits::kMaxFrameBytes);
}

// ---- relay-only rooms ----------------------------------------------------------------------------

TEST(ClientRelayOnly, CreatingAskesForARelayOnlyRoom) {
  ClientHarness c;
  ASSERT_TRUE(c.client.createRoom("Me", 4, true).ok());
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  auto create = c.lastSentToServer<Create>();
  EXPECT_TRUE(create.relayOnly);
  EXPECT_EQ(create.maxMembers, 4);
}

TEST(ClientRelayOnly, MembersAreReachedThroughTheServerFromTheStartWithoutDirectLinks) {
  ClientHarness c;
  ASSERT_TRUE(c.client.joinRoom("ABC234", "Me").ok());
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {kSelf, "Me", 2}}, true});
  EXPECT_TRUE(c.client.roomIsRelayOnly());
  EXPECT_THAT(c.port.openLinks, IsEmpty());
  EXPECT_EQ(c.transportOf("P1"), Transport::Relay);
  ASSERT_TRUE(c.client.send("\"hello\"").ok());
  c.advance(testing::kRelayIntervalMs);
  EXPECT_THAT(dataOf(c.messagesRelayedTo("P1")), ElementsAre("hello"));
  c.fromServer(PeerJoined{{"P4", "Dee", 4}});
  EXPECT_THAT(c.port.openLinks, IsEmpty());
  EXPECT_EQ(c.transportOf("P4"), Transport::Relay);
  // Signals are ignored (an old client could send them), and nothing retries a direct link.
  c.signalFrom("P4", testing::offer("x"));
  c.advance(kDefaults.linkRetryMaxMs * 2);
  EXPECT_THAT(c.port.openLinks, IsEmpty());
  EXPECT_THAT(c.port.remoteDescriptions, IsEmpty());
  EXPECT_THAT(c.observer.errors, IsEmpty());
  // A rejoin after a server restart recreates the room relay-only.
  c.client.onSignalingClosed("gone");
  c.advance(1000);
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  auto join = c.lastSentToServer<Join>();
  EXPECT_TRUE(join.create);
  EXPECT_TRUE(join.relayOnly);
}

}  // namespace
}  // namespace huddle
