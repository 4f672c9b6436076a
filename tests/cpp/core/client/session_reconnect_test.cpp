// Client when the connection to the server drops while in a room: it keeps the room, the
// links and every queue, reconnects with backoff, says hello with the same id and token, rejoins
// (recreating the room after a server restart), and reconciles the member list.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"
#include "fakes/signals.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000003";

ClientConfig fastConfig() {
  ClientConfig config;
  config.reconnectInitialMs = 100;
  config.reconnectMaxMs = 1000;
  config.reconnectAttempts = 4;
  config.memberGraceMs = 5000;
  config.linkOpenTimeoutMs = 15000;  // longer than the grace: Bob's link is still being made
  return config;
}

// In room ABC234 with Ann (P1, host) and Bob (P2); the link to Ann is open, Bob's is not.
class ClientReconnect : public ::testing::Test {
 protected:
  ClientReconnect() : c(fastConfig()) {}
  void SetUp() override {
    c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}});
    c.client.onLinkOpen("P1");
  }
  // The connection drops and the first retry opens a new one, which the server welcomes back.
  void dropAndComeBack() {
    c.client.onSignalingClosed("gone");
    c.advance(1000);
    c.client.onSignalingOpen();
    c.welcome(kSelf);
  }
  bool isAway(const PeerId& id) const { return c.isAway(id); }
  ClientHarness c;
};

TEST(ReconnectDelay, DoublesFromTheInitialDelayUpToTheMaxScaledByJitter) {
  ClientConfig config = fastConfig();
  EXPECT_DOUBLE_EQ(reconnectDelayMs(config, 1, 0.0), 50);   // 100 * 0.5
  EXPECT_DOUBLE_EQ(reconnectDelayMs(config, 1, 0.5), 75);   // 100 * 0.75
  EXPECT_DOUBLE_EQ(reconnectDelayMs(config, 2, 0.0), 100);  // 200 * 0.5
  EXPECT_DOUBLE_EQ(reconnectDelayMs(config, 4, 0.0), 400);  // 800 * 0.5
  EXPECT_DOUBLE_EQ(reconnectDelayMs(config, 5, 0.0), 500);  // capped at 1000
  EXPECT_DOUBLE_EQ(reconnectDelayMs(config, 1000, 0.999999), 1000 * (0.5 + 0.999999 / 2));
}

TEST_F(ClientReconnect, LosingTheServerKeepsTheRoomAndItsLinksAndRetriesLater) {
  c.client.onSignalingClosed("gone");
  EXPECT_EQ(c.client.status(), SessionStatus::Reconnecting);
  EXPECT_THAT(c.port.closedLinks, IsEmpty());
  EXPECT_EQ(c.client.peers().size(), 3u);
  EXPECT_THAT(c.observer.errors, IsEmpty());  // not a failure yet
  EXPECT_EQ(c.port.openSignalingCalls, 1);
  c.advance(49);  // the first retry waits at least half the initial delay
  EXPECT_EQ(c.port.openSignalingCalls, 1);
  c.advance(51);
  EXPECT_EQ(c.port.openSignalingCalls, 2);
}

TEST_F(ClientReconnect, TheRetrySaysHelloWithTheSameIdAndTokenThenRejoinsAllowingCreate) {
  EXPECT_TRUE(std::get<Hello>(c.sentToServer().front()).fresh);  // the first hello: nothing kept
  c.client.onSignalingClosed("gone");
  c.advance(1000);
  c.client.onSignalingOpen();
  Hello hello = c.lastSentToServer<Hello>();
  EXPECT_EQ(hello.id, kSelf);
  EXPECT_EQ(hello.token, ClientHarness::kToken);
  EXPECT_FALSE(hello.fresh);  // links and queues kept
  c.welcome(kSelf);
  Join join = c.lastSentToServer<Join>();
  EXPECT_EQ(join.code, "ABC234");
  EXPECT_EQ(join.name, "Me");
  EXPECT_TRUE(join.create);  // the server may have restarted and forgotten the room
  EXPECT_EQ(join.maxMembers, 6);
  EXPECT_EQ(c.client.status(), SessionStatus::Reconnecting);
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}});
  EXPECT_EQ(c.client.status(), SessionStatus::InRoom);
  EXPECT_THAT(c.observer.peersJoined, IsEmpty());
  EXPECT_THAT(c.observer.peersLeft, IsEmpty());
}

TEST(ClientReconnectLocked, TheRejoinBringsThePasswordTheRoomWasJoinedWith) {
  // After a server restart the room is gone: whoever comes back first recreates it, and it must
  // come back locked (and a room someone else recreated must let the member in).
  ClientHarness c(fastConfig());
  ASSERT_TRUE(c.client.joinRoom("ABC234", "Me", false, 0, false, "open sesame").ok());
  c.client.onSignalingOpen();
  EXPECT_EQ(c.lastSentToServer<Join>().password, "open sesame");
  c.welcome(kSelf);
  c.fromServer(RoomJoined{"ABC234", kSelf, kSelf, 6, {{kSelf, "Me", 1}}, false, true});
  c.client.onSignalingClosed("gone");
  c.advance(1000);
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  Join rejoin = c.lastSentToServer<Join>();
  EXPECT_TRUE(rejoin.create);
  EXPECT_EQ(rejoin.password, "open sesame");
}

TEST(ClientResume, AReloadedPageSaysHelloWithTheIdAndTokenItKeptAndThatItIsFresh) {
  ClientConfig config;
  config.peerId = "peer_456";
  config.resumeToken = "TOKEN-kept-in-sessionStorage";
  ClientHarness c(config);
  c.client.joinRoom("ABC234", "Me");
  c.client.onSignalingOpen();
  Hello hello = std::get<Hello>(c.sentToServer().front());  // (the join follows it)
  EXPECT_EQ(hello.id, "peer_456");
  EXPECT_EQ(hello.token, "TOKEN-kept-in-sessionStorage");
  EXPECT_TRUE(hello.fresh);
  c.welcome("peer_456", true);
  EXPECT_EQ(c.client.resumeToken(), ClientHarness::kToken);  // whatever the server says is current
}

TEST_F(ClientReconnect, EachFailedAttemptWaitsLongerAndAfterTheLastTheSessionGivesUp) {
  c.client.onSignalingClosed("gone");
  for (int attempt = 1; attempt <= 4; ++attempt) {
    c.advance(1000);
    EXPECT_EQ(c.port.openSignalingCalls, 1 + attempt);
    c.client.onSignalingClosed("refused");
  }
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ServerUnreachable));
  EXPECT_THAT(c.port.closedLinks, ::testing::UnorderedElementsAre("P1", "P2"));
  EXPECT_THAT(c.client.peers(), IsEmpty());
  EXPECT_EQ(c.port.pendingTimers(), 0u);
}

TEST_F(ClientReconnect, SendsWhileReconnectingGoOverOpenLinksAndWaitInTheOthersQueues) {
  c.client.onSignalingClosed("gone");
  auto sent = c.client.send(R"({"during":"outage"})");
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(c.messagesTo("P1").size(), 1u);  // Ann's link does not need the server
  EXPECT_EQ(json::parse(c.messagesTo("P1")[0].data), json({{"during", "outage"}}));
  EXPECT_THAT(c.messagesTo("P2"), IsEmpty());
  EXPECT_TRUE(c.client.sendTo("P2", "2").ok());
  EXPECT_EQ(c.client.sendTo("NOBODY0000", "2").error().code, ErrorCode::PeerNotInRoom);
  c.client.onLinkOpen("P2");
  EXPECT_EQ(c.messagesTo("P2").size(), 2u);
}

TEST_F(ClientReconnect, MembersMissingAfterTheRejoinAreAwayAndLeftOnlyAfterTheGracePeriod) {
  dropAndComeBack();
  // A restarted server: we are the first back, so the room is just us.
  c.fromServer(RoomJoined{"ABC234", kSelf, kSelf, 6, {{kSelf, "Me", 1}}});
  EXPECT_EQ(c.client.status(), SessionStatus::InRoom);
  EXPECT_EQ(c.client.peers().size(), 3u);
  EXPECT_TRUE(isAway("P1"));
  EXPECT_TRUE(isAway("P2"));
  EXPECT_EQ(c.client.host(), kSelf);
  EXPECT_THAT(c.observer.hosts, ElementsAre(kSelf));
  c.advance(4999);
  EXPECT_THAT(c.observer.peersLeft, IsEmpty());
  c.client.onLinkClosed("P1");  // Ann's page is gone too
  c.advance(1);
  EXPECT_EQ(c.observer.peersLeft.size(), 2u);
  EXPECT_EQ(c.client.peers().size(), 1u);
  EXPECT_THAT(c.port.closedLinks, ::testing::UnorderedElementsAre("P1", "P2"));
}

TEST_F(ClientReconnect, AMissingMemberWhoseDirectLinkIsStillOpenOutlastsTheGracePeriod) {
  dropAndComeBack();
  c.fromServer(RoomJoined{"ABC234", kSelf, kSelf, 6, {{kSelf, "Me", 1}}});
  c.advanceAlive(5000 * 3, {"P1"});  // Ann's link (open) says her page is alive: only slow to come back
  EXPECT_TRUE(isAway("P1"));
  ASSERT_EQ(c.observer.peersLeft.size(), 1u);  // Bob, whose link never opened, is gone
  EXPECT_EQ(c.observer.peersLeft[0].first, "P2");
  ASSERT_TRUE(c.client.sendTo("P1", "\"still queued for Ann\"").ok());
  EXPECT_EQ(c.messagesTo("P1").back().data, R"("still queued for Ann")");
  c.fromServer(PeerJoined{{"P1", "Ann", 2}});
  EXPECT_FALSE(isAway("P1"));
  EXPECT_THAT(c.observer.peersJoined, IsEmpty());
}

TEST_F(ClientReconnect, AnAwayMemberWhoComesBackKeepsItsLinkAndQueueAndIsNotAnnouncedAgain) {
  dropAndComeBack();
  c.fromServer(RoomJoined{"ABC234", kSelf, kSelf, 6, {{kSelf, "Me", 1}}});
  ASSERT_TRUE(c.client.sendTo("P2", R"("waiting for bob")").ok());
  c.fromServer(PeerJoined{{"P1", "Ann", 2}});
  c.fromServer(PeerJoined{{"P2", "Bob", 3}});
  EXPECT_FALSE(isAway("P1"));
  EXPECT_FALSE(isAway("P2"));
  EXPECT_THAT(c.observer.peersJoined, IsEmpty());
  EXPECT_EQ(c.port.openLinks.size(), 3u);  // Ann's open link kept; Bob's (never open) remade
  EXPECT_EQ(c.port.openLinks[2].peer, "P2");
  EXPECT_FALSE(c.port.openLinks[2].offerer);  // Bob (3) is newer than us (1) now
  c.advance(10000);  // the grace period passes: nobody leaves
  EXPECT_THAT(c.observer.peersLeft, IsEmpty());
  c.client.onLinkOpen("P2");
  ASSERT_EQ(c.messagesTo("P2").size(), 1u);
  EXPECT_EQ(c.messagesTo("P2")[0].data, R"("waiting for bob")");
}

TEST_F(ClientReconnect, ANewcomerInTheRejoinListIsAnnounced) {
  dropAndComeBack();
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6,
                          {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}, {"P4", "Dee", 4}}});
  ASSERT_EQ(c.observer.peersJoined.size(), 1u);
  EXPECT_EQ(c.observer.peersJoined[0].id, "P4");
  EXPECT_EQ(c.client.peers().size(), 4u);
}

TEST_F(ClientReconnect, ARefusedRejoinEndsTheSessionWithTheServersReason) {
  dropAndComeBack();
  c.fromServer(ErrorFrame{ErrorCode::RoomFull, "room ABC234 is full", "join"});
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::RoomFull));
  EXPECT_THAT(c.client.peers(), IsEmpty());
  EXPECT_EQ(c.port.pendingTimers(), 0u);
}

TEST_F(ClientReconnect, AnIdTakenByAnotherConnectionEndsTheSession) {
  c.client.onSignalingClosed("gone");
  c.advance(1000);
  c.client.onSignalingOpen();
  c.fromServer(ErrorFrame{ErrorCode::PeerIdTaken, "peer id SELF000003 is in use", "hello"});
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::PeerIdTaken));
}

TEST_F(ClientReconnect, BeingReplacedByANewerConnectionStopsWithoutRetrying) {
  c.fromServer(ErrorFrame{ErrorCode::SessionReplaced, "a newer connection resumed this peer id", ""});
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::SessionReplaced));
  EXPECT_EQ(c.port.closeSignalingCalls, 1);
  c.client.onSignalingClosed("closed");
  c.advance(10000);
  EXPECT_EQ(c.port.openSignalingCalls, 1);
}

TEST_F(ClientReconnect, LeavingWhileReconnectingStopsTheRetries) {
  c.client.onSignalingClosed("gone");
  c.client.leave();
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
  EXPECT_EQ(c.port.pendingTimers(), 0u);
  c.advance(10000);
  EXPECT_EQ(c.port.openSignalingCalls, 1);
}

TEST_F(ClientReconnect, ASuccessfulRejoinResetsTheBackoff) {
  c.client.onSignalingClosed("gone");
  c.advance(1000);
  c.client.onSignalingClosed("refused");  // attempt 1 failed
  c.advance(1000);
  c.client.onSignalingOpen();             // attempt 2 worked
  c.welcome(kSelf);
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}});
  for (int drop = 0; drop < 6; ++drop) {  // more drops than reconnectAttempts, each one recovered
    c.client.onSignalingClosed("gone");
    c.advance(1000);
    c.client.onSignalingOpen();
    c.welcome(kSelf);
    c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}});
  }
  EXPECT_EQ(c.client.status(), SessionStatus::InRoom);
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

// ---- streams across link changes -------------------------------------------------------------

TEST_F(ClientReconnect, ANewLinkStartsWithASyncAndCarriesEveryUnacknowledgedMessageAgain) {
  ASSERT_TRUE(c.client.sendTo("P1", "1").ok());
  ASSERT_TRUE(c.client.sendTo("P1", "2").ok());
  c.fromPeer("P1", Ack{1});
  // Ann's link fails; later she offers a new one.
  c.client.onLinkFailed("P1", "ice failed");
  c.port.linkFrames.clear();
  c.signalFrom("P1", testing::offer("new link"));
  c.client.onLinkOpen("P1");
  auto sent = c.sentToPeer("P1");
  ASSERT_EQ(sent.size(), 3u);  // sync, the unacknowledged message, the first ping
  ASSERT_TRUE(std::holds_alternative<StreamSync>(sent[0]));
  EXPECT_EQ(std::get<StreamSync>(sent[0]).seq, 2u);  // the oldest not acknowledged
  ASSERT_TRUE(std::holds_alternative<AppMessage>(sent[1]));
  EXPECT_EQ(std::get<AppMessage>(sent[1]).seq, 2u);
  EXPECT_EQ(std::get<AppMessage>(sent[1]).data, "2");
}

TEST_F(ClientReconnect, ASyncWithANewEpochStartsTheStreamFromAnnAfresh) {
  c.fromPeer("P1", StreamSync{77, 1});
  c.fromPeer("P1", AppMessage{1, 1, 0, true, R"("old 1")"});
  c.fromPeer("P1", AppMessage{2, 2, 0, true, R"("old 2")"});
  // Ann reloaded her page: a new stream that begins at 1 again.
  c.fromPeer("P1", StreamSync{78, 1});
  c.fromPeer("P1", AppMessage{1, 1, 0, true, R"("new 1")"});
  // The same epoch again (another link) changes nothing: duplicates stay duplicates.
  c.fromPeer("P1", StreamSync{78, 1});
  c.fromPeer("P1", AppMessage{1, 1, 0, true, R"("new 1")"});
  ASSERT_EQ(c.observer.messages.size(), 3u);
  EXPECT_EQ(c.observer.messages[2].data, "new 1");
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(ClientReconnect, ASenderSkippingMessagesNeverAcknowledgedIsAProtocolViolation) {
  c.fromPeer("P1", StreamSync{77, 1});
  c.fromPeer("P1", StreamSync{77, 5});
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation));
  c.fromPeer("P1", AppMessage{5, 5, 0, true, R"("five")"});  // the receiver follows the sender on
  ASSERT_EQ(c.observer.messages.size(), 1u);
}

}  // namespace
}  // namespace huddle
