// The relay's pacing under the server's limits (welcome's `rate`): a reply or an ack goes the
// moment it is owed while the client's share of the burst lasts, a lone ack waits briefly for a
// reply to ride along, and sustained traffic is held to the share of the frame and byte rates.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/client_harness.hpp"

namespace huddle {
namespace {

using testing::ClientHarness;
using testing::dataOf;
using testing::framesOf;
using testing::kDefaults;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kSelf = "SELF000002";

// A relay-only room with Ann (P1), under the limits the test gives the server.
class RelayPacing : public ::testing::Test {
 protected:
  void enter(RateLimits rate) {
    c.rate = rate;
    ASSERT_TRUE(c.client.joinRoom("ABC234", "Me").ok());
    c.client.onSignalingOpen();
    c.welcome(kSelf);
    c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6, {{"P1", "Ann", 1}, {kSelf, "Me", 2}}, true});
    ASSERT_EQ(c.transportOf("P1"), Transport::Relay);
    c.advance(1000);  // the stream's sync is out of the way, the buckets full again
    start_ = c.relayFrames().size();
  }
  std::size_t framesSinceStart() const { return c.relayFrames().size() - start_; }

  ClientHarness c;
  std::size_t start_ = 0;
};

TEST_F(RelayPacing, AReplyGoesTheMomentItIsSentWithTheAckOfWhatItAnswers) {
  enter(RateLimits{});
  for (std::uint64_t seq = 1; seq <= 20; ++seq) {
    c.fromRelay("P1", {AppMessage{seq, seq, 0, true, R"("ping")"}});
    EXPECT_EQ(framesSinceStart(), seq - 1) << "the ack alone waits for a reply";
    ASSERT_TRUE(c.client.sendTo("P1", "\"pong\"").ok());  // as an app answering from its handler
    ASSERT_EQ(framesSinceStart(), seq) << "the reply went at once, round " << seq;
    auto last = decodeBatch(c.relayFrames().back().parts.at(0).data);
    ASSERT_TRUE(last.ok());
    ASSERT_EQ(last.value().size(), 2u);
    ASSERT_TRUE(std::holds_alternative<Ack>(last.value()[0]));
    EXPECT_EQ(std::get<Ack>(last.value()[0]).seq, seq) << "the ack rode along";
    c.fromRelay("P1", {Ack{seq}});
    c.advance(2);  // a round trip
  }
  EXPECT_EQ(framesSinceStart(), 20u) << "one frame per round trip: the acks never went alone";
}

TEST_F(RelayPacing, ALoneAckGoesAfterTheAckDelay) {
  enter(RateLimits{});
  c.fromRelay("P1", {AppMessage{1, 1, 0, true, R"("hello")"}});
  c.advance(kDefaults.ackDelayMs - 1);
  EXPECT_EQ(framesSinceStart(), 0u);
  c.advance(1);
  ASSERT_EQ(framesSinceStart(), 1u);
  EXPECT_THAT(c.relayedTo("P1").size(), ::testing::Ge(1u));
  EXPECT_EQ(framesOf<Ack>(c.relayedTo("P1")).back().seq, 1u);
}

TEST_F(RelayPacing, PingsAndPongsAreNeverHeldBack) {
  enter(RateLimits{});
  c.fromRelay("P1", {LinkPing{123}});
  ASSERT_EQ(framesSinceStart(), 1u);  // the pong measures the path: delaying it would skew it
  EXPECT_EQ(framesOf<LinkPong>(c.relayedTo("P1")).back().ts, 123);
}

TEST_F(RelayPacing, SustainedTrafficIsHeldToTheShareOfTheFrameRate) {
  // 100 frames/s, bursts of 20: the relay's share is 80/s, bursts of 10.
  enter(RateLimits{100, 20, 1e9, 1e9});
  int sent = 0;
  std::size_t seen = c.port.signaling.size();
  for (int ms = 0; ms < 1000; ++ms) {  // a message every millisecond for a second
    ASSERT_TRUE(c.client.sendTo("P1", std::to_string(sent++)).ok());
    c.advance(1);
    // Acked as they arrive, so the queue never fills: the newest relay frame's last message.
    if (c.port.signaling.size() == seen) continue;
    seen = c.port.signaling.size();
    auto frame = decodeClientMessage(c.port.signaling.back());
    ASSERT_TRUE(frame.ok());
    auto part = nlohmann::json::parse(std::get<RelayOut>(frame.value()).parts.at(0).data);
    c.fromRelay("P1", {Ack{part.back()["seq"].get<std::uint64_t>()}});
  }
  EXPECT_GE(framesSinceStart(), 80u);
  EXPECT_LE(framesSinceStart(), 10u + 80u + 1u);
  c.advance(100);
  std::vector<nlohmann::json> expected;
  for (int i = 0; i < sent; ++i) expected.push_back(i);
  EXPECT_EQ(dataOf(c.messagesRelayedTo("P1")), expected) << "every message went, in order, batched";
}

TEST_F(RelayPacing, BigMessagesAreHeldToTheShareOfTheByteRate) {
  // 256 KiB/s, bursts of 512 KiB: the share is ~205 KiB/s, bursts of 256 KiB.
  enter(RateLimits{1000, 4000, 256 * 1024, 512 * 1024});
  const std::string big = "\"" + std::string(30'000, 'x') + "\"";  // ~30 KB each
  std::size_t bytes = 0;
  for (int ms = 0; ms < 2000; ms += 25) {  // 1.2 MB/s offered, six times the share
    ASSERT_TRUE(c.client.sendTo("P1", big).ok());
    c.advance(25);
  }
  for (std::size_t i = start_; i < c.port.signaling.size(); ++i) bytes += c.port.signaling[i].size();
  // Two seconds at the share's rate plus its burst, and no more.
  EXPECT_LE(bytes, static_cast<std::size_t>(2 * 0.8 * 256 * 1024 + 0.5 * 512 * 1024 + 64 * 1024));
  EXPECT_GE(bytes, static_cast<std::size_t>(2 * 0.8 * 256 * 1024));
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

// Issue 13: the server counts what it sends for an address, every recipient's copy (welcome's
// relayBytes). A broadcast through the relay is a part per member, so it costs what it costs there.
TEST(RelayPacingPerAddress, BroadcastsAreHeldToTheShareOfTheRelayBudget) {
  ClientHarness c;
  // Bytes in are no limit here; the relay budget is 256 KiB/s, bursts of 512 KiB: the share is
  // ~205 KiB/s, bursts of 256 KiB.
  RateLimits rate{1000, 4000, 1e9, 1e9};
  rate.relayBytesPerSecond = 256 * 1024;
  rate.relayByteBurst = 512 * 1024;
  c.rate = rate;
  ASSERT_TRUE(c.client.joinRoom("ABC234", "Me").ok());
  c.client.onSignalingOpen();
  c.welcome(kSelf);
  c.fromServer(RoomJoined{"ABC234", kSelf, "P1", 6,
                          {{"P1", "Ann", 1}, {"P2", "Bob", 2}, {"P3", "Cy", 3}, {kSelf, "Me", 4}}, true});
  c.advance(1000);
  const std::size_t start = c.port.signaling.size();
  const std::string big = "\"" + std::string(30'000, 'x') + "\"";
  for (int ms = 0; ms < 2000; ms += 25) {  // 3.6 MB/s of copies offered, 17 times the share
    ASSERT_TRUE(c.client.send(big).ok());
    c.advance(25);
  }
  // What the server would send: each part with its envelope (our id, the largest seq).
  std::size_t forwarded = 0;
  for (std::size_t i = start; i < c.port.signaling.size(); ++i) {
    auto frame = decodeClientMessage(c.port.signaling[i]);
    ASSERT_TRUE(frame.ok());
    for (const auto& part : std::get<RelayOut>(frame.value()).parts) {
      forwarded += encode(ServerMessage{RelayIn{kSelf, (std::uint64_t{1} << 53) - 1, false, part.data}}).size();
    }
  }
  EXPECT_LE(forwarded, static_cast<std::size_t>(2 * 0.8 * 256 * 1024 + 0.5 * 512 * 1024 + 3 * 64 * 1024));
  EXPECT_GE(forwarded, static_cast<std::size_t>(2 * 0.8 * 256 * 1024 * 0.9));
  EXPECT_THAT(c.observer.errors, IsEmpty());
}

TEST_F(RelayPacing, AServerWithTighterLimitsIsKeptToThem) {
  enter(RateLimits{10, 4, 1e9, 1e9});  // the share: 8/s, bursts of 2
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(c.client.sendTo("P1", std::to_string(i)).ok());
  EXPECT_EQ(framesSinceStart(), 2u) << "the burst";
  c.advance(124);
  EXPECT_EQ(framesSinceStart(), 2u);
  c.advance(1);
  EXPECT_EQ(framesSinceStart(), 3u) << "the next frame 125 ms later carries all that waited";
  EXPECT_EQ(dataOf(c.messagesRelayedTo("P1")).size(), 10u);
}

}  // namespace
}  // namespace huddle
