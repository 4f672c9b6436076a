// Client and the direct links: who offers to whom, SDP/ICE through signaling, link
// states, the open timeout and departures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"
#include "fakes/signals.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using testing::kDefaults;
using testing::kIceServers;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000003";

// Ann (P1) and Bob (P2) were in the room before us (join order 3).
class ClientLinks : public ::testing::Test {
 protected:
  void SetUp() override { c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}); }
  ClientHarness c;
};

TEST_F(ClientLinks, OnRoomJoinedWeOfferToEveryExistingMember) {
  ASSERT_EQ(c.port.openLinks.size(), 2u);
  EXPECT_EQ(c.port.openLinks[0].peer, "P1");
  EXPECT_EQ(c.port.openLinks[1].peer, "P2");
  for (const auto& call : c.port.openLinks) {
    EXPECT_TRUE(call.offerer) << call.peer;
    EXPECT_EQ(call.iceServers, kIceServers) << call.peer;
  }
  EXPECT_EQ(c.linkOf("P1"), LinkState::Connecting);
}

TEST_F(ClientLinks, OnPeerJoinedWeWaitForTheNewcomersOffer) {
  c.fromServer(PeerJoined{{"P4", "Dee", 4}});
  ASSERT_EQ(c.port.openLinks.size(), 3u);
  EXPECT_EQ(c.port.openLinks[2].peer, "P4");
  EXPECT_FALSE(c.port.openLinks[2].offerer);
  ASSERT_EQ(c.client.peers().size(), 4u);
  EXPECT_EQ(c.client.peers()[3].info.id, "P4");
}

TEST_F(ClientLinks, OnlyNewcomersAreAnnouncedAsPeerJoined) {
  EXPECT_THAT(c.observer.peersJoined, IsEmpty());  // Ann and Bob arrived with room_joined
  c.fromServer(PeerJoined{{"P4", "Dee", 4}});
  c.client.onLinkOpen("P4");
  c.fromServer(PeerJoined{{"P4", "Dee", 4}});  // a repeat over an open link changes nothing
  c.fromServer(PeerJoined{{kSelf, "Me", 3}});  // nor does ourselves
  ASSERT_EQ(c.observer.peersJoined.size(), 1u);
  EXPECT_EQ(c.observer.peersJoined[0].id, "P4");
  EXPECT_EQ(c.port.openLinks.size(), 3u);
}

TEST_F(ClientLinks, AKnownMemberAnnouncedAgainWithoutAnOpenLinkGetsAFreshLink) {
  // After a server restart members rejoin and are announced again; a link that is not open by
  // then is remade, as the other side will make its own afresh.
  c.fromServer(PeerJoined{{"P1", "Ann", 7}});
  ASSERT_EQ(c.port.openLinks.size(), 3u);
  EXPECT_EQ(c.port.openLinks[2].peer, "P1");
  EXPECT_FALSE(c.port.openLinks[2].offerer);  // Ann (7) is newer now: she offers
  EXPECT_THAT(c.port.closedLinks, ElementsAre("P1"));
  EXPECT_THAT(c.observer.peersJoined, IsEmpty());  // still the same member to the app
}

TEST_F(ClientLinks, OurLocalOfferIsSignaledAndTheAnswerApplied) {
  c.client.onLocalDescription("P1", SignalKind::Offer, "my-offer");
  SignalOut out = c.lastSentToServer<SignalOut>();
  EXPECT_EQ(out.to, "P1");
  EXPECT_EQ(out.data.kind, SignalKind::Offer);
  EXPECT_EQ(out.data.sdp, "my-offer");

  c.signalFrom("P1", testing::answer("their-answer"));
  ASSERT_EQ(c.port.remoteDescriptions.size(), 1u);
  EXPECT_EQ(c.port.remoteDescriptions[0].peer, "P1");
  EXPECT_EQ(c.port.remoteDescriptions[0].kind, SignalKind::Answer);
  EXPECT_EQ(c.port.remoteDescriptions[0].sdp, "their-answer");
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientLinks, ANewcomersOfferIsAppliedAndOurAnswerSignaledBack) {
  c.fromServer(PeerJoined{{"P4", "Dee", 4}});
  c.signalFrom("P4", testing::offer("their-offer"));
  ASSERT_EQ(c.port.remoteDescriptions.size(), 1u);
  EXPECT_EQ(c.port.remoteDescriptions[0].kind, SignalKind::Offer);
  EXPECT_EQ(c.port.remoteDescriptions[0].sdp, "their-offer");
  c.client.onLocalDescription("P4", SignalKind::Answer, "my-answer");
  SignalOut out = c.lastSentToServer<SignalOut>();
  EXPECT_EQ(out.to, "P4");
  EXPECT_EQ(out.data.kind, SignalKind::Answer);
  EXPECT_EQ(out.data.sdp, "my-answer");
}

TEST_F(ClientLinks, LocalCandidatesAreSignaledToThatPeer) {
  c.client.onLocalCandidate("P2", IceCandidate{"candidate:1 1 udp 9 10.0.0.2 4000 typ host", "0", 0});
  SignalOut out = c.lastSentToServer<SignalOut>();
  EXPECT_EQ(out.to, "P2");
  EXPECT_EQ(out.data.kind, SignalKind::IceCandidate);
  EXPECT_EQ(out.data.candidate, "candidate:1 1 udp 9 10.0.0.2 4000 typ host");
  EXPECT_EQ(out.data.sdpMid, "0");
  EXPECT_EQ(out.data.sdpMLineIndex, 0);
}

TEST_F(ClientLinks, CandidatesBeforeTheRemoteDescriptionAreHeldThenAppliedInOrder) {
  c.signalFrom("P1", testing::candidate("cand-1", "0", 0));
  c.signalFrom("P1", testing::candidate("cand-2", "0", 0));
  EXPECT_THAT(c.port.remoteCandidates, IsEmpty());
  c.signalFrom("P1", testing::answer("their-answer"));
  ASSERT_EQ(c.port.remoteDescriptions.size(), 1u);
  ASSERT_EQ(c.port.remoteCandidates.size(), 2u);
  EXPECT_EQ(c.port.remoteCandidates[0].candidate.candidate, "cand-1");
  EXPECT_EQ(c.port.remoteCandidates[1].candidate.candidate, "cand-2");
  EXPECT_EQ(c.port.remoteCandidates[0].peer, "P1");
  c.signalFrom("P1", testing::candidate("cand-3", "1", 1));  // after: applied at once
  ASSERT_EQ(c.port.remoteCandidates.size(), 3u);
  EXPECT_EQ(c.port.remoteCandidates[2].candidate.sdpMid, "1");
  EXPECT_EQ(c.port.remoteCandidates[2].candidate.sdpMLineIndex, 1);
}

TEST_F(ClientLinks, HeldCandidatesAreKeptPerPeer) {
  c.signalFrom("P1", testing::candidate("for-1"));
  c.signalFrom("P2", testing::candidate("for-2"));
  c.signalFrom("P2", testing::answer("a2"));
  ASSERT_EQ(c.port.remoteCandidates.size(), 1u);
  EXPECT_EQ(c.port.remoteCandidates[0].peer, "P2");
  EXPECT_EQ(c.port.remoteCandidates[0].candidate.candidate, "for-2");
}

TEST_F(ClientLinks, AnAnswerNobodyAskedForIsAProtocolViolation) {
  c.signalFrom("P1", testing::answer("ok"));
  c.signalFrom("P1", testing::answer("again"));
  c.fromServer(PeerJoined{{"P4", "Dee", 4}});
  c.signalFrom("P4", testing::answer("unasked"));  // P4 offers to us
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation));
  ASSERT_EQ(c.port.remoteDescriptions.size(), 1u);
  EXPECT_EQ(c.port.remoteDescriptions[0].sdp, "ok");
}

TEST_F(ClientLinks, AnOfferOverAnOpenLinkStartsANewLinkTheOldOneMayBeDeadOnTheirSide) {
  // P1's page reloaded: its new page offers while our end of the old link has not noticed yet.
  c.signalFrom("P1", testing::answer("ok"));
  c.client.onLinkOpen("P1");
  c.signalFrom("P1", testing::offer("after reload"));
  EXPECT_THAT(c.observer.errors, IsEmpty());
  ASSERT_EQ(c.port.openLinks.size(), 3u);
  EXPECT_FALSE(c.port.openLinks[2].offerer);
  EXPECT_EQ(c.port.remoteDescriptions.back().sdp, "after reload");
  EXPECT_EQ(c.linkOf("P1"), LinkState::Connecting);
}

TEST_F(ClientLinks, AnOfferOnALinkNotYetOpenStartsItAgainAsTheAnswerer) {
  // P1 (older) made a new link to us, e.g. after ours failed on its side.
  c.signalFrom("P1", testing::answer("first"));
  c.signalFrom("P1", testing::offer("restart"));
  ASSERT_EQ(c.port.openLinks.size(), 3u);
  EXPECT_EQ(c.port.openLinks[2].peer, "P1");
  EXPECT_FALSE(c.port.openLinks[2].offerer);
  ASSERT_EQ(c.port.remoteDescriptions.size(), 2u);
  EXPECT_EQ(c.port.remoteDescriptions[1].kind, SignalKind::Offer);
  EXPECT_EQ(c.port.remoteDescriptions[1].sdp, "restart");
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientLinks, CrossedOffersAreSettledByPeerIdTheLargerKeepsOffering) {
  // We offer to P1 and P1 offers to us at the same time. kSelf > "P1": ours stands.
  c.signalFrom("P1", testing::offer("crossed"));
  EXPECT_THAT(c.port.remoteDescriptions, IsEmpty());
  EXPECT_EQ(c.port.openLinks.size(), 2u);
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientLinks, SignalFromANonMemberIsAProtocolViolation) {
  c.signalFrom("STRANGER01", testing::offer("x"));
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation));
  EXPECT_THAT(c.port.remoteDescriptions, IsEmpty());
}

TEST_F(ClientLinks, LinkOpenMakesItConnectedAndStopsTheTimeout) {
  c.client.onLinkOpen("P1");
  EXPECT_EQ(c.linkOf("P1"), LinkState::Connected);
  EXPECT_EQ(c.linkOf("P2"), LinkState::Connecting);
  ASSERT_EQ(c.observer.linkChanges.size(), 1u);
  EXPECT_EQ(c.observer.linkChanges[0].peer, "P1");
  EXPECT_EQ(c.observer.linkChanges[0].state, LinkState::Connected);
  c.client.onLinkOpen("P2");
  c.advanceAlive(kDefaults.linkOpenTimeoutMs * 2, {"P1", "P2"});
  EXPECT_THAT(c.observer.errors, IsEmpty());
  EXPECT_THAT(c.port.closedLinks, IsEmpty());
  EXPECT_EQ(c.transportOf("P1"), Transport::Direct);
}

TEST_F(ClientLinks, ALinkNotOpenInTimeFailsIsClosedAndTheRelayTakesOver) {
  c.client.onLinkOpen("P1");
  c.advanceAlive(kDefaults.linkOpenTimeoutMs - 1, {"P1"});
  EXPECT_EQ(c.transportOf("P2"), Transport::None);
  c.advanceAlive(1, {"P1"});
  EXPECT_EQ(c.linkOf("P2"), LinkState::Failed);
  EXPECT_EQ(c.linkOf("P1"), LinkState::Connected);
  EXPECT_THAT(c.port.closedLinks, ElementsAre("P2"));
  EXPECT_EQ(c.observer.linkChanges.back().state, LinkState::Failed);
  // Not an error for the app: its messages to Bob go through the server from now on.
  EXPECT_THAT(c.observer.errors, IsEmpty());
  EXPECT_EQ(c.transportOf("P2"), Transport::Relay);
  EXPECT_EQ(c.transportOf("P1"), Transport::Direct);
}

TEST_F(ClientLinks, TheOpenTimeoutComesFromTheConfig) {
  ClientConfig config;
  config.linkOpenTimeoutMs = 500;
  ClientHarness quick(config);
  quick.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 3}});
  quick.advance(499);
  EXPECT_EQ(quick.linkOf("P1"), LinkState::Connecting);
  quick.advance(1);
  EXPECT_EQ(quick.linkOf("P1"), LinkState::Failed);
}

TEST_F(ClientLinks, APlatformReportedFailureFailsTheLinkOnce) {
  c.client.onLinkFailed("P1", "ice failed");
  c.client.onLinkFailed("P1", "ice failed again");
  c.advance(kDefaults.linkOpenTimeoutMs - 1);  // P1's open timer was cancelled
  EXPECT_THAT(c.port.closedLinks, ElementsAre("P1"));
  EXPECT_EQ(std::count_if(c.observer.linkChanges.begin(), c.observer.linkChanges.end(),
                          [](const auto& l) { return l.peer == "P1" && l.state == LinkState::Failed; }),
            1);
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientLinks, ALinkThatClosesAfterOpeningIsClosed) {
  c.client.onLinkOpen("P1");
  c.client.onLinkClosed("P1");
  EXPECT_EQ(c.linkOf("P1"), LinkState::Closed);
  EXPECT_EQ(c.observer.linkChanges.back().state, LinkState::Closed);
}

TEST_F(ClientLinks, PeerLeftClosesAndForgetsTheLink) {
  c.fromServer(PeerLeft{"P2", LeaveReason::TimedOut});
  EXPECT_THAT(c.port.closedLinks, ElementsAre("P2"));
  ASSERT_EQ(c.observer.peersLeft.size(), 1u);
  EXPECT_EQ(c.observer.peersLeft[0].first, "P2");
  EXPECT_EQ(c.observer.peersLeft[0].second, LeaveReason::TimedOut);
  EXPECT_EQ(c.linkOf("P2"), std::nullopt);
  EXPECT_EQ(c.client.peers().size(), 2u);
  // Its timer is gone, late platform events for it are ignored, and it cannot be addressed.
  c.client.onLocalDescription("P2", SignalKind::Offer, "late");
  c.client.onLinkOpen("P2");
  c.signalFrom("P2", testing::answer("late"));
  c.client.onLinkOpen("P1");
  c.advanceAlive(kDefaults.linkOpenTimeoutMs * 2, {"P1"});
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation));  // the late signal
  // hello, join, and the stats report once P1's path settled; nothing for P2
  auto sent = c.sentToServer();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<Stats>(sent[2]));
  EXPECT_EQ(std::get<Stats>(sent[2]).links.size(), 1u);
  EXPECT_EQ(c.client.sendTo("P2", "1").error().code, ErrorCode::PeerNotInRoom);
}

TEST_F(ClientLinks, PeerLeftForSomeoneUnknownIsIgnored) {
  c.fromServer(PeerLeft{"NOBODY0000", LeaveReason::Left});
  EXPECT_THAT(c.observer.peersLeft, IsEmpty());
  EXPECT_THAT(c.port.closedLinks, IsEmpty());
}

}  // namespace
}  // namespace huddle
