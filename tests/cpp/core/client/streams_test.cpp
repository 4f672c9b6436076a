// Client and app messages: sending, queueing until links open, receiving exactly once
// and in order, acks and receipts, and every refusal.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;
using testing::dataOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000003";

std::vector<std::uint64_t> seqsOf(const std::vector<AppMessage>& ms) {
  std::vector<std::uint64_t> out;
  for (const auto& m : ms) out.push_back(m.seq);
  return out;
}

AppMessage msg(std::uint64_t seq, json data, std::uint64_t id = 0) {
  return AppMessage{seq, id ? id : seq + 100, 1234.5, true, data.dump()};
}

// In a room with Ann (P1) and Bob (P2); links not yet open.
class ClientMessaging : public ::testing::Test {
 protected:
  explicit ClientMessaging(ClientConfig config = {}) : c(config) {}
  void SetUp() override { c.enterRoom(kSelf, {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {kSelf, "Me", 3}}); }
  ClientHarness c;
};

TEST(ClientSend, BeforeJoiningIsNotInRoom) {
  ClientHarness c;
  EXPECT_EQ(c.client.send("1").error().code, ErrorCode::NotInRoom);
  EXPECT_EQ(c.client.sendTo("P1", "1").error().code, ErrorCode::NotInRoom);
  c.client.createRoom("Ann", 0);
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  EXPECT_EQ(c.client.send("1").error().code, ErrorCode::NotInRoom);  // joining is not joined
}

TEST_F(ClientMessaging, QueuedCountsWhatAwaitsAcknowledgementPerMemberAndTheMostForEveryone) {
  ASSERT_TRUE(c.client.sendTo("P1", "\"abc\"").ok());  // 5 bytes as sent
  ASSERT_TRUE(c.client.send("[1,2]").ok());            // 5 bytes, to both
  ASSERT_TRUE(c.client.sendTo("P1", "1e3").ok());      // 3 bytes: data goes as written
  EXPECT_EQ(c.client.queued("P1").messages, 3u);
  EXPECT_EQ(c.client.queued("P1").bytes, 13u);
  EXPECT_EQ(c.client.queued("P2").messages, 1u);
  EXPECT_EQ(c.client.queued("P2").bytes, 5u);
  EXPECT_EQ(c.client.queued("").messages, 3u);  // the fullest member's
  EXPECT_EQ(c.client.queued("NOBODY0000").messages, 0u);
  ASSERT_TRUE(c.client.send("true", Delivery::Unreliable).ok());  // never queued
  EXPECT_EQ(c.client.queued("P2").messages, 1u);
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", Ack{2});
  EXPECT_EQ(c.client.queued("P1").messages, 1u);
  EXPECT_EQ(c.client.queued("P1").bytes, 3u);
  c.fromPeer("P1", Ack{3});
  EXPECT_EQ(c.client.queued("P1").bytes, 0u);
  EXPECT_EQ(c.client.queued("").bytes, 5u);  // Bob's still waits
}

TEST_F(ClientMessaging, SendToSomeoneNotInTheRoomIsPeerNotInRoom) {
  EXPECT_EQ(c.client.sendTo("NOBODY0000", "1").error().code, ErrorCode::PeerNotInRoom);
  EXPECT_EQ(c.client.sendTo(kSelf, "1").error().code, ErrorCode::PeerNotInRoom);
  c.client.onLinkOpen("P1");
  EXPECT_THAT(c.messagesTo("P1"), IsEmpty());
}

TEST_F(ClientMessaging, DataThatIsNotJsonOrTooLargeIsDataInvalid) {
  std::string big = "\"" + std::string(limits::kMaxAppDataBytes, 'x') + "\"";
  std::string deep = std::string(65, '[') + std::string(65, ']');
  for (const std::string& data : {std::string("{oops"), std::string(""), std::string("'single'"), big, deep}) {
    auto sent = c.client.send(data);
    ASSERT_FALSE(sent.ok()) << data.substr(0, 40);
    EXPECT_EQ(sent.error().code, ErrorCode::DataInvalid) << data.substr(0, 40);
    EXPECT_EQ(c.client.sendTo("P1", data).error().code, ErrorCode::DataInvalid);
  }
  c.client.onLinkOpen("P1");
  EXPECT_THAT(c.messagesTo("P1"), IsEmpty());
  // Just under the limit is fine.
  EXPECT_TRUE(c.client.send("\"" + std::string(limits::kMaxAppDataBytes - 2, 'x') + "\"").ok());
}

TEST_F(ClientMessaging, MessagesWaitForTheLinkAndFlushInOrderWhenItOpens) {
  ASSERT_TRUE(c.client.send(R"({"n":1})").ok());
  ASSERT_TRUE(c.client.send(R"({"n":2})").ok());
  ASSERT_TRUE(c.client.sendTo("P1", R"({"n":3})").ok());
  EXPECT_THAT(c.port.linkFrames, IsEmpty());
  c.client.onLinkOpen("P1");
  auto toAnn = c.messagesTo("P1");
  EXPECT_THAT(seqsOf(toAnn), ElementsAre(1, 2, 3));
  EXPECT_THAT(dataOf(toAnn), ElementsAre(json{{"n", 1}}, json{{"n", 2}}, json{{"n", 3}}));
  EXPECT_TRUE(toAnn[0].broadcast);
  EXPECT_FALSE(toAnn[2].broadcast);
  EXPECT_DOUBLE_EQ(toAnn[0].ts, c.port.nowMs());
  EXPECT_THAT(c.messagesTo("P2"), IsEmpty());
  c.client.onLinkOpen("P2");
  EXPECT_THAT(dataOf(c.messagesTo("P2")), ElementsAre(json{{"n", 1}}, json{{"n", 2}}));
  c.client.onLinkOpen("P1");  // a repeated open sends nothing twice
  EXPECT_EQ(c.messagesTo("P1").size(), 3u);
}

TEST_F(ClientMessaging, OnAnOpenLinkMessagesGoOutAtOnceNumberedPerPeer) {
  c.client.onLinkOpen("P1");
  c.client.onLinkOpen("P2");
  auto first = c.client.sendTo("P2", "\"to bob\"");
  auto second = c.client.send("\"to all\"");
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_LT(first.value(), second.value());
  auto toAnn = c.messagesTo("P1");
  auto toBob = c.messagesTo("P2");
  EXPECT_THAT(seqsOf(toAnn), ElementsAre(1));
  EXPECT_THAT(seqsOf(toBob), ElementsAre(1, 2));
  EXPECT_EQ(toAnn[0].id, second.value());  // one id for every copy of a send
  EXPECT_EQ(toBob[1].id, second.value());
  EXPECT_EQ(toBob[0].id, first.value());
}

TEST_F(ClientMessaging, AcksReportEachDeliveredMessageOnce) {
  c.client.onLinkOpen("P1");
  c.client.onLinkOpen("P2");
  auto a = c.client.send("1").value();
  auto b = c.client.send("2").value();
  auto d = c.client.sendTo("P1", "3").value();
  c.fromPeer("P1", Ack{2});
  EXPECT_THAT(c.observer.delivered, ElementsAre(std::pair<PeerId, std::uint64_t>{"P1", a},
                                                std::pair<PeerId, std::uint64_t>{"P1", b}));
  c.fromPeer("P1", Ack{2});  // stale
  c.fromPeer("P1", Ack{9});  // never sent: ignored
  c.fromPeer("P2", Ack{1});
  c.fromPeer("P1", Ack{3});
  EXPECT_EQ(c.observer.delivered.size(), 4u);
  EXPECT_EQ(c.observer.delivered[2], (std::pair<PeerId, std::uint64_t>{"P2", a}));
  EXPECT_EQ(c.observer.delivered[3], (std::pair<PeerId, std::uint64_t>{"P1", d}));
}

TEST_F(ClientMessaging, ReceivedMessagesAreDeliveredInOrderWithTheirMetaAndAcked) {
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", AppMessage{1, 41, 99.5, false, R"({"hi":true})"});
  ASSERT_EQ(c.observer.messages.size(), 1u);
  EXPECT_EQ(c.observer.messages[0].from, "P1");
  EXPECT_EQ(c.observer.messages[0].data, json({{"hi", true}}));
  EXPECT_EQ(c.observer.messages[0].meta.id, 41u);
  EXPECT_DOUBLE_EQ(c.observer.messages[0].meta.ts, 99.5);
  EXPECT_FALSE(c.observer.messages[0].meta.broadcast);
  EXPECT_THAT(c.acksTo("P1"), ElementsAre(1));
}

TEST_F(ClientMessaging, OutOfOrderMessagesAreHeldThenDeliveredInOrder) {
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", msg(3, "c"));
  c.fromPeer("P1", msg(2, "b"));
  EXPECT_THAT(c.observer.messages, IsEmpty());
  EXPECT_THAT(c.acksTo("P1"), IsEmpty());  // nothing delivered, nothing to ack yet
  c.fromPeer("P1", msg(1, "a"));
  ASSERT_EQ(c.observer.messages.size(), 3u);
  EXPECT_EQ(c.observer.messages[0].data, "a");
  EXPECT_EQ(c.observer.messages[1].data, "b");
  EXPECT_EQ(c.observer.messages[2].data, "c");
  EXPECT_THAT(c.acksTo("P1"), ElementsAre(3));
}

TEST_F(ClientMessaging, ADuplicateIsNotDeliveredTwiceButIsAckedAgain) {
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", msg(1, "a"));
  c.fromPeer("P1", msg(1, "a"));
  EXPECT_EQ(c.observer.messages.size(), 1u);
  EXPECT_THAT(c.acksTo("P1"), ElementsAre(1, 1));
}

TEST_F(ClientMessaging, StreamsFromDifferentSendersAreIndependent) {
  c.fromPeer("P1", msg(1, "ann-1"));
  c.fromPeer("P2", msg(1, "bob-1"));
  c.fromPeer("P2", msg(2, "bob-2"));
  ASSERT_EQ(c.observer.messages.size(), 3u);
  EXPECT_EQ(c.observer.messages[1].from, "P2");
  EXPECT_EQ(c.observer.messages[2].data, "bob-2");
}

TEST_F(ClientMessaging, BadFramesFromAPeerAreProtocolViolationsAndTheLinkKeepsWorking) {
  c.client.onLinkOpen("P1");
  c.client.onLinkFrame("P1", "not json");
  c.client.onLinkFrame("P1", R"({"t":"msg","seq":0,"id":1,"ts":0,"data":1})");
  c.client.onLinkFrame("P1", R"({"t":"teleport"})");
  c.fromPeer("P1", msg(limits::kMaxReorderPerPeer + 1, "too far ahead"));
  EXPECT_THAT(c.observer.errorCodes(), ElementsAre(ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation,
                                                   ErrorCode::ProtocolViolation, ErrorCode::ProtocolViolation));
  EXPECT_THAT(c.observer.errors[0].message, ::testing::HasSubstr("P1"));
  c.fromPeer("P1", msg(1, "fine"));
  ASSERT_EQ(c.observer.messages.size(), 1u);
  EXPECT_EQ(c.observer.messages[0].data, "fine");
}

TEST_F(ClientMessaging, FramesFromSomeoneWithoutALinkAreIgnored) {
  c.fromPeer("STRANGER01", msg(1, "hi"));
  EXPECT_THAT(c.observer.messages, IsEmpty());
  EXPECT_THAT(c.port.linkFrames, IsEmpty());
}

TEST_F(ClientMessaging, PingOnALinkIsAnsweredWithPongEchoingTheTimestamp) {
  c.client.onLinkOpen("P1");
  c.fromPeer("P1", LinkPing{555.25});
  auto sent = c.sentToPeer("P1");
  ASSERT_EQ(sent.size(), 3u);  // every open link starts with a stream sync and a ping; then the pong
  ASSERT_TRUE(std::holds_alternative<LinkPong>(sent[2]));
  EXPECT_DOUBLE_EQ(std::get<LinkPong>(sent[2]).ts, 555.25);
  c.fromPeer("P1", LinkPong{1.0});  // a pong needs no answer
  EXPECT_EQ(c.sentToPeer("P1").size(), 3u);
}

// ---- the bounded queue ----------------------------------------------------------------------------

class ClientSmallQueue : public ClientMessaging {
 protected:
  ClientSmallQueue() : ClientMessaging(config()) {}
  static ClientConfig config() {
    ClientConfig c;
    c.maxUnackedPerPeer = 2;
    return c;
  }
};

TEST_F(ClientSmallQueue, AFullQueueToOnePeerRefusesTheSendForEveryone) {
  ASSERT_TRUE(c.client.sendTo("P1", "1").ok());
  ASSERT_TRUE(c.client.sendTo("P1", "2").ok());
  auto refused = c.client.send("\"everyone\"");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::SendQueueFull);
  EXPECT_THAT(refused.error().message, ::testing::HasSubstr("P1"));
  EXPECT_EQ(c.client.sendTo("P1", "3").error().code, ErrorCode::SendQueueFull);
  c.client.onLinkOpen("P1");
  c.client.onLinkOpen("P2");
  EXPECT_THAT(dataOf(c.messagesTo("P1")), ElementsAre(1, 2));
  EXPECT_THAT(c.messagesTo("P2"), IsEmpty());  // nothing was queued for Bob either
}

TEST_F(ClientSmallQueue, AnAckMakesRoomAgain) {
  c.client.onLinkOpen("P1");
  c.client.sendTo("P1", "1");
  c.client.sendTo("P1", "2");
  ASSERT_FALSE(c.client.sendTo("P1", "3").ok());
  c.fromPeer("P1", Ack{1});
  auto third = c.client.sendTo("P1", "3");
  ASSERT_TRUE(third.ok());
  EXPECT_THAT(seqsOf(c.messagesTo("P1")), ElementsAre(1, 2, 3));
}

TEST_F(ClientSmallQueue, RefusedSendsDoNotUseUpMessageIds) {
  auto first = c.client.sendTo("P1", "1").value();
  c.client.sendTo("P1", "2");
  ASSERT_FALSE(c.client.send("3").ok());
  auto next = c.client.sendTo("P2", "4");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next.value(), first + 2);
}

}  // namespace
}  // namespace huddle
