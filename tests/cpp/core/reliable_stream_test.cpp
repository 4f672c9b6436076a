// Exactly-once, in-order delivery per sender (DESIGN.md "Nothing lost, nothing doubled").
#include <algorithm>
#include <deque>
#include <random>

#include <gtest/gtest.h>

#include "fakes/printers.hpp"
#include "huddle/reliable_stream.hpp"

namespace huddle {
namespace {

AppMessage withId(std::uint64_t id) { return AppMessage{0, id, 0, true, std::to_string(id)}; }
AppMessage withSeq(std::uint64_t seq) { return AppMessage{seq, seq * 10, 0, true, std::to_string(seq)}; }

std::vector<std::uint64_t> seqs(const std::vector<AppMessage>& ms) {
  std::vector<std::uint64_t> out;
  for (const auto& m : ms) out.push_back(m.seq);
  return out;
}

// ---- sender --------------------------------------------------------------------------------------

TEST(ReliableSender, NumbersMessagesFromOneUpAndKeepsThemUntilAcked) {
  ReliableSender s(1, 8);
  EXPECT_EQ(s.lastSeq(), 0u);
  for (std::uint64_t i = 1; i <= 3; ++i) {
    auto pushed = s.push(withId(100 + i));
    ASSERT_TRUE(pushed.ok());
    EXPECT_EQ(pushed.value().seq, i);
    EXPECT_EQ(pushed.value().id, 100 + i);
  }
  EXPECT_EQ(s.lastSeq(), 3u);
  ASSERT_EQ(s.unacked().size(), 3u);
  EXPECT_EQ(s.unacked().front().seq, 1u);
  EXPECT_EQ(s.unacked().back().seq, 3u);
}

TEST(ReliableSender, RefusesPastCapacityWithSendQueueFull) {
  ReliableSender s(1, 2);
  s.push(withId(1));
  s.push(withId(2));
  EXPECT_FALSE(s.hasRoom());
  auto third = s.push(withId(3));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::SendQueueFull);
  EXPECT_EQ(s.lastSeq(), 2u);  // the refused message used no seq
  s.acknowledge(1);
  EXPECT_TRUE(s.hasRoom());
  EXPECT_EQ(s.push(withId(3)).value().seq, 3u);
}

TEST(ReliableSender, AcknowledgeIsCumulativeAndReturnsWhatItReleased) {
  ReliableSender s(1, 8);
  for (std::uint64_t i = 1; i <= 5; ++i) s.push(withId(i));
  EXPECT_EQ(seqs(s.acknowledge(3)), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(s.unacked().size(), 2u);
  EXPECT_TRUE(s.acknowledge(2).empty());  // stale ack: nothing more to release
  EXPECT_TRUE(s.acknowledge(0).empty());
  EXPECT_EQ(seqs(s.acknowledge(5)), (std::vector<std::uint64_t>{4, 5}));
  EXPECT_TRUE(s.unacked().empty());
}

TEST(ReliableSender, AcksForSeqsNeverSentAreIgnoredWhole) {
  ReliableSender s(1, 8);
  for (std::uint64_t i = 1; i <= 3; ++i) s.push(withId(i));
  EXPECT_TRUE(s.acknowledge(4).empty());
  EXPECT_TRUE(s.acknowledge(UINT64_MAX).empty());
  EXPECT_EQ(s.unacked().size(), 3u);
}

// ---- receiver ------------------------------------------------------------------------------------

TEST(ReliableReceiver, DeliversInOrderAndAcksEach) {
  ReliableReceiver r(8);
  for (std::uint64_t i = 1; i <= 3; ++i) {
    auto o = r.accept(withSeq(i));
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(seqs(o.value().deliver), std::vector<std::uint64_t>{i});
    EXPECT_FALSE(o.value().duplicate);
    EXPECT_EQ(o.value().ack, i);
  }
  EXPECT_EQ(r.delivered(), 3u);
}

TEST(ReliableReceiver, FlagsDuplicatesAndReAcksWithoutDelivering) {
  ReliableReceiver r(8);
  r.accept(withSeq(1));
  r.accept(withSeq(2));
  auto again = r.accept(withSeq(1));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value().duplicate);
  EXPECT_TRUE(again.value().deliver.empty());
  EXPECT_EQ(again.value().ack, 2u);
}

TEST(ReliableReceiver, BuffersEarlyMessagesAndDeliversThemOnceTheGapFills) {
  ReliableReceiver r(8);
  auto third = r.accept(withSeq(3));
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third.value().deliver.empty());
  EXPECT_EQ(third.value().ack, 0u);  // nothing delivered yet
  auto second = r.accept(withSeq(2));
  EXPECT_TRUE(second.value().deliver.empty());
  auto early = r.accept(withSeq(3));  // already buffered
  EXPECT_TRUE(early.value().duplicate);
  auto first = r.accept(withSeq(1));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(seqs(first.value().deliver), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(first.value().deliver[1].id, 20u);  // the buffered copy, intact
  EXPECT_EQ(first.value().ack, 3u);
}

TEST(ReliableReceiver, RefusesSeqsBeyondTheReorderWindow) {
  ReliableReceiver r(4);
  EXPECT_TRUE(r.accept(withSeq(4)).ok());  // nextExpected 1 + 3: last slot in the window
  auto far = r.accept(withSeq(5));
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error().code, ErrorCode::ProtocolViolation);
  EXPECT_FALSE(r.accept(withSeq(UINT64_MAX)).ok());
  r.accept(withSeq(1));  // the window slides with delivery
  EXPECT_TRUE(r.accept(withSeq(5)).ok());
}

TEST(ReliableReceiver, RefusesSeqZero) {
  ReliableReceiver r(4);
  auto zero = r.accept(withSeq(0));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code, ErrorCode::ProtocolViolation);
  EXPECT_EQ(r.delivered(), 0u);
}

// ---- a lossy, duplicating, reordering channel ----------------------------------------------------

// Sender -> receiver over a channel that drops, duplicates and reorders frames (acks too), with
// the sender retransmitting whatever is unacknowledged each round. Every message must be
// delivered exactly once and in order.
void runLossyChannel(std::uint32_t seed, std::size_t capacity, std::uint64_t total) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  ReliableSender sender(1, capacity);
  ReliableReceiver receiver(capacity);
  std::deque<AppMessage> toReceiver;
  std::deque<std::uint64_t> toSender;
  std::vector<std::uint64_t> deliveredIds;
  std::uint64_t nextId = 1;
  std::uint64_t ackedIds = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t heldEarly = 0;  // accepted but not deliverable yet: arrived out of order

  for (int round = 0; round < 100000 && deliveredIds.size() < total; ++round) {
    while (nextId <= total && sender.hasRoom()) {
      ASSERT_TRUE(sender.push(withId(nextId++)).ok());
    }
    for (const auto& m : sender.unacked()) {  // (re)transmit
      if (chance(30)) continue;               // lost
      toReceiver.push_back(m);
      if (chance(10)) toReceiver.push_back(m);  // duplicated
    }
    std::shuffle(toReceiver.begin(), toReceiver.end(), rng);
    while (!toReceiver.empty()) {
      auto outcome = receiver.accept(toReceiver.front());
      toReceiver.pop_front();
      ASSERT_TRUE(outcome.ok()) << outcome.error().message;
      if (outcome.value().duplicate) ++duplicates;
      if (!outcome.value().duplicate && outcome.value().deliver.empty()) ++heldEarly;
      for (const auto& m : outcome.value().deliver) deliveredIds.push_back(m.id);
      if (!chance(30)) toSender.push_back(outcome.value().ack);
      if (chance(10)) toSender.push_back(outcome.value().ack);
    }
    std::shuffle(toSender.begin(), toSender.end(), rng);
    for (std::uint64_t ack : toSender) {
      for (const auto& m : sender.acknowledge(ack)) {
        ASSERT_EQ(m.id, ++ackedIds) << "acks release each message once, in order";
      }
    }
    toSender.clear();
  }
  ASSERT_EQ(deliveredIds.size(), total);
  for (std::uint64_t i = 0; i < total; ++i) ASSERT_EQ(deliveredIds[i], i + 1);
  EXPECT_EQ(receiver.delivered(), total);
  EXPECT_LE(ackedIds, total);
  // The channel really was hostile, or this proves nothing.
  EXPECT_GT(duplicates, 0u);
  if (capacity > 1) {
    EXPECT_GT(heldEarly, 0u);
  }
}

TEST(ReliableStream, LossyChannelDeliversEveryMessageExactlyOnceInOrder) {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    runLossyChannel(seed, 1 + seed % 16, 300);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(ReliableStream, LossyChannelWithTheDefaultLimits) {
  runLossyChannel(7, limits::kMaxUnackedPerPeer, 5000);
}

// ---- links that fail and are remade ---------------------------------------------------------------

// One stream over a series of links, as Client runs it: each link is ordered and reliable
// while it lives, but when it fails whatever is in flight either way is lost, and some frames of
// the dead link still straggle in after the next one opened. Every new link starts with the
// sender's sync and a resend of everything unacknowledged. Delivery must stay exactly once and in
// order throughout.
void runFlappingLinks(std::uint32_t seed, std::uint64_t total) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  ReliableSender sender(0xE90C + seed, 64);
  ReliableReceiver receiver(64);
  struct Frame {
    bool sync = false;
    StreamSync announced;  // sync: what the sender said when the link opened
    AppMessage message;
  };
  std::deque<Frame> toReceiver;
  std::deque<std::uint64_t> toSender;
  std::deque<AppMessage> stragglers;  // frames of dead links that still arrive
  std::vector<std::uint64_t> deliveredIds;
  std::uint64_t nextId = 1;
  int links = 0;
  int straggled = 0;

  auto openLink = [&] {
    ++links;
    toReceiver.clear();
    toSender.clear();
    toReceiver.push_back({true, sender.sync(), {}});
    for (const auto& m : sender.unacked()) toReceiver.push_back({false, {}, m});
  };
  openLink();
  for (int round = 0; round < 20000 && deliveredIds.size() < total; ++round) {
    while (nextId <= total && sender.hasRoom() && chance(60)) {
      auto pushed = sender.push(withId(nextId++));
      ASSERT_TRUE(pushed.ok());
      toReceiver.push_back({false, {}, pushed.value()});
    }
    // The receiver reads a few frames of the live link (in order), and maybe a straggler.
    for (int n = static_cast<int>(rng() % 4); n > 0 && !toReceiver.empty(); --n) {
      Frame f = toReceiver.front();
      toReceiver.pop_front();
      if (f.sync) {
        ASSERT_TRUE(receiver.sync(f.announced).ok());
        continue;
      }
      auto outcome = receiver.accept(f.message);
      ASSERT_TRUE(outcome.ok()) << outcome.error().message;
      for (const auto& m : outcome.value().deliver) deliveredIds.push_back(m.id);
      if (outcome.value().ack > 0) toSender.push_back(outcome.value().ack);
    }
    if (!stragglers.empty() && chance(20)) {
      auto outcome = receiver.accept(stragglers.front());
      stragglers.pop_front();
      ASSERT_TRUE(outcome.ok()) << outcome.error().message;
      // A straggler may well be the next message due (it is unacknowledged, so the live link
      // carries it again too): delivered once, whichever copy comes first.
      for (const auto& m : outcome.value().deliver) deliveredIds.push_back(m.id);
      ++straggled;
    }
    for (int n = static_cast<int>(rng() % 3); n > 0 && !toSender.empty(); --n) {
      sender.acknowledge(toSender.front());
      toSender.pop_front();
    }
    if (chance(3)) {  // the link fails: part of what was in flight straggles in later, the rest is lost
      for (const auto& f : toReceiver) {
        if (!f.sync && chance(30) && stragglers.size() < 256) stragglers.push_back(f.message);
      }
      openLink();
    }
  }
  ASSERT_EQ(deliveredIds.size(), total) << "after " << links << " links";
  for (std::uint64_t i = 0; i < total; ++i) ASSERT_EQ(deliveredIds[i], i + 1);
  EXPECT_GT(links, 3) << "the links really did fail, or this proves nothing";
  EXPECT_GT(straggled, 0) << "frames of dead links really did straggle in";
}

TEST(ReliableStream, LinksThatFailAndAreRemadeLoseNothingAndDoubleNothing) {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    runFlappingLinks(seed, 400);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(ReliableStream, ANewEpochIsANewStreamStartingWhereTheSenderSays) {
  ReliableReceiver r;
  ASSERT_TRUE(r.sync({5, 1}).ok());
  r.accept(AppMessage{1, 1, 0, true, R"("a")"});
  r.accept(AppMessage{2, 2, 0, true, R"("b")"});
  ASSERT_TRUE(r.sync({9, 40}).ok());  // another sender (a reloaded page) that had acks up to 39
  EXPECT_EQ(r.epoch(), 9u);
  EXPECT_EQ(r.delivered(), 39u);
  auto outcome = r.accept(AppMessage{40, 7, 0, true, R"("c")"});
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome.value().deliver.size(), 1u);
  EXPECT_EQ(outcome.value().ack, 40u);
}

}  // namespace
}  // namespace huddle
