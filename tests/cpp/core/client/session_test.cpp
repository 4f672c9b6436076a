// Client and the server: connecting, creating and joining, errors, membership, leaving.
#include <optional>

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

TEST(Client, CreateRoomOpensSignalingAndSendsNothingYet) {
  ClientHarness c;
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
  ASSERT_TRUE(c.client.createRoom("Ann", 4).ok());
  EXPECT_EQ(c.port.openSignalingCalls, 1);
  EXPECT_EQ(c.client.status(), SessionStatus::Connecting);
  EXPECT_THAT(c.port.signaling, IsEmpty());
}

TEST(Client, SendsTheCreateRightBehindTheHelloWithoutWaitingForWelcome) {
  // The server answers a connection's frames in order, so the create is handled after the hello
  // anyway; sending it at once saves a round trip to the server on every join.
  ClientHarness c;
  c.client.createRoom("Ann", 4);
  c.client.onSignalingOpen();
  auto sent = c.sentToServer();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(std::get<Hello>(sent[0]).version, limits::kProtocolVersion);
  Create create = std::get<Create>(sent[1]);
  EXPECT_EQ(create.name, "Ann");
  EXPECT_EQ(create.maxMembers, 4);
  EXPECT_EQ(c.client.status(), SessionStatus::Connecting);  // not welcomed yet

  c.welcome("SELF000001");
  EXPECT_EQ(c.client.selfId(), "SELF000001");
  EXPECT_THAT(c.observer.welcomes, ElementsAre("SELF000001"));
  EXPECT_EQ(c.port.signaling.size(), 2u);  // the create is not sent again
  EXPECT_EQ(c.client.status(), SessionStatus::Joining);
  EXPECT_THAT(c.observer.statuses,
              ElementsAre(SessionStatus::Connecting, SessionStatus::Online, SessionStatus::Joining));
}

TEST(Client, ARequestWhileOnlineGoesAtOnce) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  c.fromServer(ErrorFrame{ErrorCode::RoomNotFound, "no room ABC234", "join"});
  ASSERT_EQ(c.client.status(), SessionStatus::Online);
  ASSERT_TRUE(c.client.createRoom("Bob", 0).ok());
  EXPECT_EQ(c.lastSentToServer<Create>().name, "Bob");
  EXPECT_EQ(c.port.signaling.size(), 3u);  // hello, join, create
  EXPECT_EQ(c.client.status(), SessionStatus::Joining);
}

TEST(Client, ASecondRequestWhileTheFirstIsOnItsWayIsAlreadyInRoom) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  c.client.onSignalingOpen();  // the join went out with the hello
  EXPECT_EQ(c.client.createRoom("Bob", 0).error().code, ErrorCode::AlreadyInRoom);
  c.welcome("SELF000002");
  EXPECT_EQ(c.lastSentToServer<Join>().code, "ABC234");
}

// A browser's first RTCPeerConnection and offer take tens of ms; the platform may make them while
// the server answers the join, instead of after room_joined.
TEST(Client, ARequestAsksThePlatformToPrepareALinkOnceTheJoinIsSent) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  EXPECT_EQ(c.port.prepareLinkCalls, 0);  // not while the connection opens: that would slow it
  c.client.onSignalingOpen();
  EXPECT_EQ(c.port.prepareLinkCalls, 1);
  EXPECT_EQ(c.port.signaling.size(), 2u);  // hello, join
  EXPECT_THAT(c.port.openLinks, IsEmpty());
  c.welcome("SELF000002");
  c.fromServer(RoomJoined{"ABC234", "SELF000002", "HOST000001", 6,
                          {{"HOST000001", "Ann", 1}, {"SELF000002", "Bob", 2}}});
  EXPECT_EQ(c.port.prepareLinkCalls, 1);  // only the hint: the links are opened as ever
  ASSERT_EQ(c.port.openLinks.size(), 1u);
  EXPECT_EQ(c.port.openLinks[0].iceServers, kIceServers);
}

TEST(Client, ARelayOnlyRequestPreparesNoLink) {
  ClientHarness c;
  c.client.createRoom("Ann", 0, true);
  c.client.onSignalingOpen();
  c.welcome("SELF000001");
  EXPECT_EQ(c.port.prepareLinkCalls, 0);
}

TEST(Client, ANewRequestOnTheSameConnectionPreparesAgainAndAReconnectDoesNot) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  c.fromServer(ErrorFrame{ErrorCode::RoomNotFound, "no room ABC234", "join"});
  c.client.joinRoom("XYZ789", "Bob");
  EXPECT_EQ(c.port.prepareLinkCalls, 2);  // (the platform keeps one spare at most)
  c.fromServer(RoomJoined{"XYZ789", "SELF000002", "SELF000002", 6, {{"SELF000002", "Bob", 1}}});
  c.client.onSignalingClosed("gone");
  c.advance(kDefaults.reconnectMaxMs);
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  EXPECT_EQ(c.port.prepareLinkCalls, 2);  // links are kept across a reconnect
}

TEST(Client, RoomJoinedPutsTheSessionInTheRoom) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();
  c.welcome("SELF000001");
  c.fromServer(RoomJoined{"XYZ789", "SELF000001", "SELF000001", 6, {{"SELF000001", "Ann", 1}}});
  EXPECT_EQ(c.client.status(), SessionStatus::InRoom);
  EXPECT_EQ(c.client.roomCode(), "XYZ789");
  EXPECT_EQ(c.client.host(), "SELF000001");
  ASSERT_EQ(c.observer.roomsJoined.size(), 1u);
  EXPECT_EQ(c.observer.roomsJoined[0].code, "XYZ789");
  ASSERT_EQ(c.client.peers().size(), 1u);
  EXPECT_EQ(c.client.peers()[0].info.name, "Ann");
  EXPECT_THAT(c.port.openLinks, IsEmpty());
}

// An app that looks at the room, or greets it, from inside onRoomJoined.
class GreetingObserver : public testing::RecordingObserver {
 public:
  void onRoomJoined(const RoomJoined& r) override {
    RecordingObserver::onRoomJoined(r);
    peersSeen = client->peers().size();
    greeting = client->send(R"("hello all")");
  }
  Client* client = nullptr;
  std::size_t peersSeen = 0;
  std::optional<Result<std::uint64_t>> greeting;
};

TEST(Client, TheWholeRoomIsVisibleAndReachableFromOnRoomJoined) {
  testing::FakePort port;
  GreetingObserver observer;
  Client client(ClientConfig{}, port, observer);
  observer.client = &client;
  client.joinRoom("ABC234", "Me");
  client.onSignalingOpen();
  client.onSignalingFrame(encode(Welcome{1, "SELF000003", kIceServers, limits::kMaxFrameBytes, "", false}));
  client.onSignalingFrame(encode(RoomJoined{"ABC234", "SELF000003", "P1", 6,
                                             {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {"SELF000003", "Me", 3}}}));
  EXPECT_EQ(observer.peersSeen, 3u);
  ASSERT_TRUE(observer.greeting.has_value());
  ASSERT_TRUE(observer.greeting->ok());
  client.onLinkOpen("P1");
  client.onLinkOpen("P2");
  for (const char* peer : {"P1", "P2"}) {  // the greeting was queued for both, not lost
    auto frames = port.framesTo(peer);
    ASSERT_EQ(frames.size(), 3u) << peer;  // the stream sync, the greeting, the first ping
    auto greeting = decodePeerMessage(frames[1]);
    ASSERT_TRUE(greeting.ok() && std::holds_alternative<AppMessage>(greeting.value())) << frames[1];
    EXPECT_EQ(std::get<AppMessage>(greeting.value()).data, R"("hello all")");
  }
}

TEST(Client, JoinSendsTheCodeAndName) {
  ClientHarness c;
  c.client.joinRoom("abc234", "Bob");
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  Join join = c.lastSentToServer<Join>();
  EXPECT_EQ(join.code, "abc234");  // the server normalizes
  EXPECT_EQ(join.name, "Bob");
  c.fromServer(RoomJoined{"ABC234", "SELF000002", "HOST000001", 6,
                          {{"HOST000001", "Ann", 1}, {"SELF000002", "Bob", 2}}});
  EXPECT_EQ(c.client.status(), SessionStatus::InRoom);
  EXPECT_EQ(c.client.host(), "HOST000001");
  ASSERT_EQ(c.client.peers().size(), 2u);
  EXPECT_EQ(c.client.peers()[0].info.id, "HOST000001");
  EXPECT_EQ(c.client.peers()[1].info.id, "SELF000002");
}

TEST(Client, CreateOrJoinWhileJoiningOrInARoomIsAlreadyInRoom) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  EXPECT_EQ(c.client.createRoom("Bob", 0).error().code, ErrorCode::AlreadyInRoom);
  c.fromServer(RoomJoined{"ABC234", "SELF000002", "SELF000002", 6, {{"SELF000002", "Bob", 1}}});
  EXPECT_EQ(c.client.joinRoom("XYZ789", "Bob").error().code, ErrorCode::AlreadyInRoom);
  EXPECT_EQ(c.port.openSignalingCalls, 1);
}

TEST(Client, AServerRefusalOfAJoinIsReportedAndTheNextJoinWorks) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  c.fromServer(ErrorFrame{ErrorCode::RoomNotFound, "no room ABC234", "join"});
  ASSERT_EQ(c.observer.errors.size(), 1u);
  EXPECT_EQ(c.observer.errors[0].code, ErrorCode::RoomNotFound);
  EXPECT_EQ(c.observer.errors[0].message, "no room ABC234");
  EXPECT_EQ(c.client.status(), SessionStatus::Online);

  ASSERT_TRUE(c.client.joinRoom("XYZ789", "Bob").ok());
  EXPECT_EQ(c.port.openSignalingCalls, 1);  // same connection
  EXPECT_EQ(c.lastSentToServer<Join>().code, "XYZ789");
  EXPECT_EQ(c.client.status(), SessionStatus::Joining);
  c.fromServer(RoomJoined{"XYZ789", "SELF000002", "SELF000002", 6, {{"SELF000002", "Bob", 1}}});
  EXPECT_EQ(c.client.status(), SessionStatus::InRoom);
}

TEST(Client, ARefusedHelloEndsTheConnectionAttempt) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();
  c.fromServer(ErrorFrame{ErrorCode::UnsupportedVersion, "this server speaks protocol version 2", "hello"});
  // The create that went with the hello is refused in turn; the app hears of the hello only.
  c.fromServer(ErrorFrame{ErrorCode::HelloRequired, "send hello first", "create"});
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::UnsupportedVersion));
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_EQ(c.port.closeSignalingCalls, 1);
  ASSERT_TRUE(c.client.createRoom("Ann", 0).ok());  // a new attempt opens a new connection
  EXPECT_EQ(c.port.openSignalingCalls, 2);
}

TEST(Client, SignalingClosedWhileConnectingIsServerUnreachableAndOffline) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingClosed("connection refused");
  EXPECT_EQ(c.client.status(), SessionStatus::Offline);
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ServerUnreachable));
  c.client.onSignalingOpen();  // a late open of the dead attempt changes nothing
  EXPECT_THAT(c.port.signaling, IsEmpty());

  ASSERT_TRUE(c.client.createRoom("Ann", 0).ok());
  EXPECT_EQ(c.port.openSignalingCalls, 2);
  EXPECT_EQ(c.client.status(), SessionStatus::Connecting);
}

TEST(Client, BadFramesFromTheServerAreProtocolViolationsAndTheSessionKeepsWorking) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();
  for (const char* bad : {"garbage", R"({"t":"surprise"})", R"({"t":"welcome","v":1})", "[]"}) {
    c.client.onSignalingFrame(bad);
  }
  c.client.onSignalingBinary();  // the protocol is text only
  EXPECT_THAT(c.observer.errorCodes(),
              ElementsAre(ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation,
                          ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation));
  EXPECT_EQ(c.client.status(), SessionStatus::Connecting);
  c.welcome("SELF000001");
  EXPECT_EQ(c.client.status(), SessionStatus::Joining);
}

TEST(Client, FramesOutOfOrderFromTheServerAreProtocolViolations) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();
  c.fromServer(RoomJoined{"ABC234", "X", "X", 6, {{"X", "Ann", 1}}});  // before welcome
  EXPECT_EQ(c.client.status(), SessionStatus::Connecting);
  c.welcome("SELF000001");
  c.welcome("SELF000009");  // a second welcome
  EXPECT_EQ(c.client.selfId(), "SELF000001");
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation));
}

TEST(Client, HostChangedIsReported) {
  ClientHarness c;
  c.enterRoom("SELF000002", {{"P1", "Ann", 1}, {"SELF000002", "Me", 2}});
  c.fromServer(PeerLeft{"P1", LeaveReason::Left});
  c.fromServer(HostChanged{"SELF000002"});
  EXPECT_EQ(c.client.host(), "SELF000002");
  EXPECT_THAT(c.observer.hosts, ElementsAre("SELF000002"));
}

TEST(Client, RoomEventsOutsideARoomAreIgnored) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();
  c.welcome("SELF000001");
  c.fromServer(PeerJoined{{"P9", "Zed", 9}});
  c.fromServer(HostChanged{"P9"});
  c.fromServer(SignalIn{"P9", testing::offer("x")});
  EXPECT_THAT(c.observer.peersJoined, IsEmpty());
  EXPECT_THAT(c.observer.hosts, IsEmpty());
  EXPECT_THAT(c.port.openLinks, IsEmpty());
  EXPECT_THAT(c.port.remoteDescriptions, IsEmpty());
}

TEST(Client, PongFramesAreAcceptedQuietly) {
  ClientHarness c;
  c.enterRoom("SELF000002", {{"P1", "Ann", 1}, {"SELF000002", "Me", 2}});
  c.fromServer(Pong{3});
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST(Client, LeaveSendsLeaveClosesEveryLinkAndTheConnection) {
  ClientHarness c;
  c.enterRoom("SELF000003", {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {"SELF000003", "Me", 3}});
  c.client.onLinkOpen("P1");
  c.client.leave();
  c.lastSentToServer<Leave>();
  EXPECT_THAT(c.port.closedLinks, ::testing::UnorderedElementsAre("P1", "P2"));
  EXPECT_EQ(c.port.closeSignalingCalls, 1);
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
  EXPECT_EQ(c.client.roomCode(), "");
  EXPECT_THAT(c.client.peers(), IsEmpty());
  EXPECT_EQ(c.port.pendingTimers(), 0u);
  c.client.onSignalingClosed("closed by us");  // the platform confirms: no error
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST(Client, LeaveBeforeTheConnectionOpensSendsNothing) {
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.leave();
  EXPECT_EQ(c.port.closeSignalingCalls, 1);
  EXPECT_THAT(c.port.signaling, IsEmpty());
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
  c.client.onSignalingOpen();  // a late open of the closed connection changes nothing
  EXPECT_THAT(c.port.signaling, IsEmpty());
}

TEST(Client, LeaveWhileTheJoinIsOnItsWaySaysLeaveSoTheServerKeepsNoPlace) {
  // The server will have put us in the room by the time it reads the leave (it answers frames in
  // order); closing without it would leave our place there, away, for the grace period.
  ClientHarness c;
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();  // hello and create are out
  c.client.leave();
  c.lastSentToServer<Leave>();
  EXPECT_EQ(c.port.closeSignalingCalls, 1);
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
  c.welcome("SELF000001");  // a late welcome does not resurrect the request
  c.fromServer(RoomJoined{"XYZ789", "SELF000001", "SELF000001", 6, {{"SELF000001", "Ann", 1}}});
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
  EXPECT_EQ(c.port.signaling.size(), 3u);  // hello, create, leave
  EXPECT_THAT(c.observer.roomsJoined, IsEmpty());
}

TEST(Client, LeaveWhileJoiningSaysLeave) {
  ClientHarness c;
  c.client.joinRoom("ABC234", "Bob");
  c.client.onSignalingOpen();
  c.welcome("SELF000002");
  c.client.leave();
  c.lastSentToServer<Leave>();
  EXPECT_EQ(c.client.status(), SessionStatus::Idle);
}

TEST(Client, LeaveWhenIdleDoesNothing) {
  ClientHarness c;
  c.client.leave();
  EXPECT_EQ(c.port.closeSignalingCalls, 0);
  EXPECT_THAT(c.observer.statuses, IsEmpty());
}

}  // namespace
}  // namespace huddle
