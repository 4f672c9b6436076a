// Frames on a direct link to a member that reads batches (its sync says so): acks wait briefly
// for a frame of ours to ride along, and what is sent in one turn of the event loop (until a
// timer of 0 ms fires) shares link messages after the first. A member of an older version gets
// what it always got: one frame per message, acks at once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using nlohmann::json;
using testing::ClientHarness;
using testing::framesOf;
using testing::kDefaults;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000002";

AppMessage msg(std::uint64_t seq, std::string data = "1") { return AppMessage{seq, seq + 100, 0, true, std::move(data)}; }

// The one frame of type T in a link message.
template <typename T>
T only(const std::vector<PeerMessage>& frames) {
  auto of = framesOf<T>(frames);
  EXPECT_EQ(of.size(), 1u);
  return of.empty() ? T{} : of[0];
}

// In a room with Ann (P1), the link open; Ann's stream is epoch 5 and she reads batches.
class LinkBatches : public ::testing::Test {
 protected:
  void SetUp() override {
    c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}});
    c.client.onLinkOpen("P1");
    c.fromPeer("P1", StreamSync{5, 1});
    opened = c.port.linkFrames.size();  // our sync and first ping
  }
  // The link messages sent to Ann since the link opened, each decoded.
  std::vector<std::vector<PeerMessage>> messagesSince() const {
    std::vector<std::vector<PeerMessage>> out;
    for (std::size_t i = opened; i < c.port.linkFrames.size(); ++i) {
      auto d = decodeLinkMessage(c.port.linkFrames[i].frame);
      EXPECT_TRUE(d.ok()) << c.port.linkFrames[i].frame;
      if (d) out.push_back(d.value());
    }
    return out;
  }
  std::vector<std::uint64_t> acksSince() const {
    std::vector<std::uint64_t> out;
    for (const auto& m : messagesSince()) {
      for (const auto& a : framesOf<Ack>(m)) out.push_back(a.seq);
    }
    return out;
  }
  ClientHarness c;
  std::size_t opened = 0;
};

TEST_F(LinkBatches, AReplyCarriesTheAckInOneLinkMessage) {
  c.fromPeer("P1", msg(1));
  EXPECT_THAT(acksSince(), IsEmpty()) << "the ack waits for a reply";
  ASSERT_TRUE(c.client.sendTo("P1", "\"pong\"").ok());
  auto sent = messagesSince();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].size(), 2u);
  EXPECT_EQ(only<Ack>(sent[0]).seq, 1u);
  EXPECT_EQ(only<AppMessage>(sent[0]).data, "\"pong\"");
  EXPECT_EQ(c.port.linkFrames.back().frame.front(), '[');
  c.advance(kDefaults.ackDelayMs * 2);
  EXPECT_THAT(acksSince(), ElementsAre(1)) << "nothing owed any more";
}

TEST_F(LinkBatches, APongCarriesTheAckToo) {
  c.fromPeer("P1", msg(1));
  c.fromPeer("P1", LinkPing{42});
  auto sent = messagesSince();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].size(), 2u);
  EXPECT_EQ(only<Ack>(sent[0]).seq, 1u);
  EXPECT_DOUBLE_EQ(only<LinkPong>(sent[0]).ts, 42);
}

TEST_F(LinkBatches, ALoneAckGoesAloneAfterTheAckDelay) {
  c.fromPeer("P1", msg(1));
  c.fromPeer("P1", msg(2));
  c.advance(kDefaults.ackDelayMs - 1);
  EXPECT_THAT(acksSince(), IsEmpty());
  c.advance(1);
  EXPECT_THAT(acksSince(), ElementsAre(2)) << "one cumulative ack for both";
  EXPECT_EQ(c.port.linkFrames.back().frame.front(), '{') << "a lone frame is not a batch";
  EXPECT_EQ(c.observer.messages.size(), 2u) << "delivered at once all the same";
}

TEST_F(LinkBatches, TheAckGoesAtOnceAfterSixteenMessages) {
  for (std::uint64_t seq = 1; seq <= 15; ++seq) c.fromPeer("P1", msg(seq));
  EXPECT_THAT(acksSince(), IsEmpty());
  c.fromPeer("P1", msg(16));
  EXPECT_THAT(acksSince(), ElementsAre(16));
}

TEST_F(LinkBatches, TheAckGoesAtOnceAfterAQuarterMebibyte) {
  std::string big = "\"" + std::string(60 * 1024, 'x') + "\"";
  for (std::uint64_t seq = 1; seq <= 4; ++seq) c.fromPeer("P1", msg(seq, big));
  EXPECT_THAT(acksSince(), IsEmpty()) << "240 KiB";
  c.fromPeer("P1", msg(5, big));
  EXPECT_THAT(acksSince(), ElementsAre(5));
}

TEST_F(LinkBatches, ABatchFromTheMemberIsTakenInOrderAndAckedOnce) {
  std::string batch = "[" + encode(PeerMessage{msg(1, R"("a")")}) + "," + encode(PeerMessage{msg(2, R"("b")")}) + "," +
                      encode(PeerMessage{LinkPing{7}}) + "]";
  c.client.onLinkFrame("P1", batch);
  ASSERT_EQ(c.observer.messages.size(), 2u);
  EXPECT_EQ(c.observer.messages[0].data, "a");
  EXPECT_EQ(c.observer.messages[1].data, "b");
  auto sent = messagesSince();
  ASSERT_EQ(sent.size(), 1u) << "the pong carried the ack of both";
  EXPECT_EQ(only<Ack>(sent[0]).seq, 2u);
  EXPECT_DOUBLE_EQ(only<LinkPong>(sent[0]).ts, 7);
}

TEST_F(LinkBatches, ABadFrameInABatchIsAProtocolViolationAndNothingOfItIsTaken) {
  std::string batch = "[" + encode(PeerMessage{msg(1, R"("a")")}) + R"(,{"t":"msg"}])";
  c.client.onLinkFrame("P1", batch);
  EXPECT_THAT(c.observer.messages, IsEmpty());
  ASSERT_FALSE(c.observer.errors.empty());
  EXPECT_EQ(c.observer.errors.back().code, ErrorCode::ProtocolViolation);
}

// The seqs of the app messages in link messages [from, to) sent to Ann, and how many link
// messages there were; each must fit a frame.
std::pair<std::vector<std::uint64_t>, std::size_t> seqsIn(const ClientHarness& c, std::size_t from) {
  std::vector<std::uint64_t> seqs;
  std::size_t count = 0;
  for (std::size_t i = from; i < c.port.linkFrames.size(); ++i) {
    const std::string& text = c.port.linkFrames[i].frame;
    EXPECT_LE(text.size(), limits::kMaxFrameBytes);
    auto d = decodeLinkMessage(text);
    EXPECT_TRUE(d.ok()) << d.error().message;
    if (!d) continue;
    for (const auto& m : framesOf<AppMessage>(d.value())) seqs.push_back(m.seq);
    ++count;
  }
  return {seqs, count};
}

std::vector<std::uint64_t> oneTo(std::uint64_t n) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

TEST_F(LinkBatches, TheFirstSendOfATurnGoesAtOnceAndTheRestShareLinkMessagesWhenTheTurnEnds) {
  std::string data = "\"" + std::string(5000, 'x') + "\"";
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(c.client.sendTo("P1", data).ok());
  auto [seqs, count] = seqsIn(c, opened);
  // The first alone; then a link message each time the next would not fit (12 of ~5 KiB do).
  EXPECT_EQ(seqs, oneTo(37));
  EXPECT_EQ(count, 4u);
  c.advance(0);  // the turn ends
  std::tie(seqs, count) = seqsIn(c, opened);
  EXPECT_EQ(seqs, oneTo(40));
  EXPECT_EQ(count, 5u);
  ASSERT_TRUE(c.client.sendTo("P1", "41").ok());
  EXPECT_EQ(seqsIn(c, opened).first.back(), 41u) << "a new turn: at once again";
}

// A 0 ms timer is a task of its own in a browser (a setTimeout and its run, tens of
// microseconds): a reply, alone in its turn, must not cost one. A second send in the turn does.
TEST_F(LinkBatches, AReplyEndsItsTurnWithoutAZeroMsTimerAndASecondSendStartsOne) {
  c.fromPeer("P1", msg(1));
  std::size_t before = c.port.startedDelays.size();
  ASSERT_TRUE(c.client.sendTo("P1", "\"pong\"").ok());
  std::vector<double> started(c.port.startedDelays.begin() + before, c.port.startedDelays.end());
  EXPECT_THAT(started, ::testing::Contains(kEndOfTurn));
  EXPECT_THAT(started, ::testing::Not(::testing::Contains(0.0)));
  ASSERT_TRUE(c.client.sendTo("P1", "2").ok());
  EXPECT_EQ(c.port.startedDelays.back(), 0.0) << "the burst's timer";
  EXPECT_EQ(seqsIn(c, opened).first, oneTo(1)) << "the second is held";
  c.advance(0);
  EXPECT_EQ(seqsIn(c, opened).first, oneTo(2));
}

TEST_F(LinkBatches, APingGoesAtOnceTakingWhatIsHeldAlong) {
  ASSERT_TRUE(c.client.sendTo("P1", "1").ok());
  ASSERT_TRUE(c.client.sendTo("P1", "2").ok());  // held
  EXPECT_EQ(seqsIn(c, opened).first, oneTo(1));
  c.fromPeer("P1", LinkPing{5});
  auto sent = messagesSince();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(only<AppMessage>(sent[1]).seq, 2u);
  EXPECT_DOUBLE_EQ(only<LinkPong>(sent[1]).ts, 5);
}

TEST_F(LinkBatches, WhatIsHeldWhenTheLinkFailsIsResentOnTheNextPath) {
  ASSERT_TRUE(c.client.sendTo("P1", "1").ok());
  ASSERT_TRUE(c.client.sendTo("P1", "2").ok());  // held
  c.client.onLinkFailed("P1", "gone");
  c.advance(0);
  EXPECT_EQ(seqsIn(c, opened).first, oneTo(1)) << "nothing more on a failed link";
  std::size_t before = c.port.linkFrames.size();
  c.client.onLinkOpen("P1");
  c.advance(0);
  EXPECT_EQ(seqsIn(c, before).first, oneTo(2));
}

TEST_F(LinkBatches, WhatIsResentOnANewLinkSharesLinkMessagesThatFitAFrame) {
  std::string data = "\"" + std::string(5000, 'x') + "\"";
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(c.client.sendTo("P1", data).ok());
  c.advance(0);
  c.client.onLinkFailed("P1", "gone");
  std::size_t before = c.port.linkFrames.size();
  c.client.onLinkOpen("P1");
  auto [seqs, count] = seqsIn(c, before);
  EXPECT_EQ(seqs, oneTo(40));
  // sync, the first message, 36 in 3, the last 3 with the first ping
  EXPECT_EQ(count, 6u);
}

TEST_F(LinkBatches, AnAckOwedToAnEarlierStreamIsDroppedWhenTheMemberStartsANewOne) {
  c.fromPeer("P1", msg(1));
  c.fromPeer("P1", msg(2));
  c.fromPeer("P1", msg(3));
  c.fromPeer("P1", StreamSync{6, 1});  // Ann reloaded
  c.advance(kDefaults.ackDelayMs * 2);
  EXPECT_THAT(acksSince(), IsEmpty()) << "ack 3 would acknowledge her new stream's unseen messages";
  c.fromPeer("P1", msg(1));
  c.advance(kDefaults.ackDelayMs);
  EXPECT_THAT(acksSince(), ElementsAre(1));
}

// Ann runs a version from before batching: her sync has no `batch`.
TEST(LinkWithoutBatches, AnOlderMemberGetsOneFramePerMessageAndAcksAtOnce) {
  ClientHarness c;
  c.enterRoom(kSelf, {{"P1", "Ann", 1}, {kSelf, "Me", 2}});
  c.client.onLinkOpen("P1");
  c.client.onLinkFrame("P1", R"({"t":"sync","e":5,"seq":1})");
  c.fromPeer("P1", msg(1));
  EXPECT_THAT(c.acksTo("P1"), ElementsAre(1)) << "at once";
  ASSERT_TRUE(c.client.sendTo("P1", "2").ok());
  c.client.onLinkFailed("P1", "gone");
  c.client.onLinkOpen("P1");  // resends message 1 with the sync and a ping
  for (const auto& f : c.port.linkFrames) EXPECT_EQ(f.frame.front(), '{') << f.frame;
  EXPECT_EQ(c.messagesTo("P1").size(), 2u);
}

}  // namespace
}  // namespace huddle
