// RoomState's protocol on a fake network (state_net.hpp): local writes, sequencing, convergence,
// late joiners, healing, host handover.
#include "huddle/room_state.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "huddle/limits.hpp"
#include "state/state_net.hpp"

namespace huddle::test {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

std::size_t countFrames(const StateNet& net, const std::string& type, const std::string& to) {
  std::size_t n = 0;
  for (const auto& f : net.sent()) {
    if (f.to == to && f.text.find("\"t\":\"" + type + "\"") != std::string::npos) ++n;
  }
  return n;
}

TEST(RoomState, AWriteShowsLocallyAtOnceAndReachesEveryone) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(1).set("title", R"( {"text":"hi"} )").ok());
  EXPECT_EQ(net.state(1).get("title"), std::optional<std::string>(R"({"text":"hi"})"));
  ASSERT_EQ(net.observer(1).changes.size(), 1u);
  EXPECT_EQ(net.observer(1).changes[0].from, "b");
  EXPECT_EQ(net.state(0).get("title"), std::nullopt);  // not yet delivered
  net.settle(100);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(net.state(i).get("title"), std::optional<std::string>(R"({"text":"hi"})"));
    EXPECT_EQ(net.state(i).pendingWrites(), 0u);
  }
  // b's own write shows once: the sequenced copy changes nothing it could see.
  EXPECT_EQ(net.observer(1).changes.size(), 1u);
  ASSERT_EQ(net.observer(2).changes.size(), 1u);
  EXPECT_EQ(net.observer(2).changes[0].from, "b");
  ASSERT_TRUE(net.state(2).remove("title").ok());
  net.settle(100);
  EXPECT_EQ(net.state(0).get("title"), std::nullopt);
  EXPECT_EQ(net.observer(0).changes.back().value, std::nullopt);
  expectPresentAgree(net);
}

TEST(RoomState, ConcurrentWritesToOneKeyEndTheSameWhateverTheOrder) {
  for (int order = 0; order < 2; ++order) {
    StateNet net({"a", "b", "c"});
    net.settle(100);
    ASSERT_TRUE(net.state(1).set("k", "1").ok());
    ASSERT_TRUE(net.state(2).set("k", "2").ok());  // same Lamport clock: the higher peer id ("c") wins
    ASSERT_EQ(net.state(1).lamport(), net.state(2).lamport());
    // Each sees its own first; the host takes the two writes in either order.
    EXPECT_EQ(net.state(1).get("k"), std::optional<std::string>("1"));
    EXPECT_EQ(net.state(2).get("k"), std::optional<std::string>("2"));
    auto& q = net.queue();
    ASSERT_EQ(q.size(), 2u);
    if (order == 1) std::swap(q[0], q[1]);
    net.settle(100);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(net.state(i).get("k"), std::optional<std::string>("2"));
    expectPresentAgree(net);
  }
}

TEST(RoomState, ALaterWriteWinsOverAConcurrentOlderOneAndADeleteStays) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("k", "1").ok());
  net.settle(100);
  // b deletes having seen the write (clock 2); c, not yet having seen... c has: write with clock 2
  // too, but "c" > "b" wins the tie; a third write by b after seeing both wins by clock.
  ASSERT_TRUE(net.state(1).remove("k").ok());
  ASSERT_TRUE(net.state(2).set("k", "3").ok());
  net.settle(100);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(net.state(i).get("k"), std::optional<std::string>("3"));
  ASSERT_TRUE(net.state(1).remove("k").ok());
  net.settle(100);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(net.state(i).get("k"), std::nullopt);
  expectPresentAgree(net);
}

TEST(RoomState, ALateJoinerGetsTheDocumentBeforeLaterChangesWithoutFlicker) {
  StateNet net({"a", "b", "c"});
  net.setAway(2, true);
  net.settle(100);
  for (int i = 1; i <= 50; ++i) ASSERT_TRUE(net.state(i % 2).set("k" + std::to_string(i % 5), std::to_string(i)).ok());
  net.settle(100);
  net.recordSent = true;
  net.setAway(2, false);
  // Writes keep coming while c catches up.
  for (int i = 51; i <= 80; ++i) {
    ASSERT_TRUE(net.state(i % 2).set("k" + std::to_string(i % 5), std::to_string(i)).ok());
    net.tick(10);
    if (!net.queue().empty()) net.deliver(0);
  }
  net.settle(3000);
  expectPresentAgree(net);
  // c's view of each key only ever moved forward: no older value after a newer one.
  std::map<std::string, int> last;
  for (const auto& e : net.observer(2).changes) {
    ASSERT_TRUE(e.value);
    int v = std::stoi(*e.value);
    EXPECT_GT(v, last[e.key]) << e.key;
    last[e.key] = v;
  }
  EXPECT_EQ(net.observer(2).healed, 0);
  // The whole history was still in the host's tail, but it held 50 writes to 5 keys: one
  // snapshot instead (c sees each key once, then the writes after it).
  EXPECT_EQ(countFrames(net, "sh", "c"), 1u);
  EXPECT_EQ(countFrames(net, "ss", "c"), 0u);
}

TEST(RoomState, ABatchOfFramesIsTakenInOrderAsIfEachCameAlone) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(net.state(1).set("k", std::to_string(i)).ok());
  ASSERT_TRUE(net.state(1).set("other", "true").ok());
  // b's four writes to the host, in one message.
  std::string batch = "[";
  for (auto it = net.queue().begin(); it != net.queue().end();) {
    if (it->from != "b" || it->to != "a") {
      ++it;
      continue;
    }
    batch += (batch.size() > 1 ? "," : "") + it->text;
    it = net.queue().erase(it);
  }
  batch += "]";
  ASSERT_TRUE(net.state(0).receive("b", batch).ok()) << batch;
  net.settle(100);
  EXPECT_EQ(net.state(0).get("k"), std::optional<std::string>("2"));
  EXPECT_EQ(net.state(2).get("other"), std::optional<std::string>("true"));
  EXPECT_EQ(net.state(1).pendingWrites(), 0u);
  expectPresentAgree(net);
  // A batch with one bad frame changes nothing.
  auto before = net.state(0).entries();
  std::string write = R"({"t":"sw","e":1,"h":"a","n":99,"k":"bad","v":1,"l":99})";
  EXPECT_FALSE(net.state(0).receive("b", "[" + write + R"(,{"t":"nope"}])").ok());
  EXPECT_EQ(net.state(0).entries(), before);
}

TEST(RoomState, ALateJoinerWhoseTailIsNoLongerThanTheDocumentGetsTheTail) {
  StateNet net({"a", "b", "c"});
  net.setAway(2, true);
  net.settle(100);
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(net.state(i % 2).set("k" + std::to_string(i), std::to_string(i)).ok());
  net.settle(100);
  net.recordSent = true;
  net.setAway(2, false);
  net.settle(3000);
  expectPresentAgree(net);
  EXPECT_EQ(net.observer(2).changes.size(), 6u);
  // Six changes for six keys: a rebase plus the tail, no snapshot.
  EXPECT_EQ(countFrames(net, "sh", "c"), 0u);
  EXPECT_EQ(countFrames(net, "ss", "c"), 1u);
}

TEST(RoomState, AMemberFurtherBehindThanTheTailGetsOneSnapshot) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("early", "true").ok());
  net.settle(100);
  net.setAway(2, true);
  for (std::size_t i = 0; i < limits::kMaxStateTail + 10; ++i) {
    ASSERT_TRUE(net.state(i % 2).set("k" + std::to_string(i % 7), std::to_string(i)).ok());
    net.deliverAll();
  }
  net.recordSent = true;
  net.setAway(2, false);
  net.settle(5000);
  expectPresentAgree(net);
  // One snapshot (one part: the document is small), not one per request sent while it came back.
  EXPECT_EQ(countFrames(net, "sh", "c"), 1u);
  EXPECT_EQ(net.observer(2).healed, 0);
}

TEST(RoomState, ACopyThatDivergedIsHealedFromTheHostsAnnouncement) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("k", "1").ok());
  net.settle(100);
  net.state(2).corruptForTesting("k", "666");
  EXPECT_EQ(net.state(2).get("k"), std::optional<std::string>("666"));
  net.settle(limits::kStateHashIntervalMs + 500);
  EXPECT_EQ(net.state(2).get("k"), std::optional<std::string>("1"));
  EXPECT_EQ(net.observer(2).healed, 1);
  EXPECT_EQ(net.observer(1).healed, 0);
  ASSERT_FALSE(net.observer(2).changes.empty());
  EXPECT_EQ(net.observer(2).changes.back().value, std::optional<std::string>("1"));
  expectPresentAgree(net);
}

TEST(RoomState, AHostWhoseCopyWentBadTakesTheMembersSoundCopyBack) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(1).set("k", "1").ok());
  ASSERT_TRUE(net.state(2).set("j", "2").ok());
  net.settle(100);
  ASSERT_TRUE(net.state(0).isHost());
  net.state(0).corruptForTesting("k", "666");  // behind its running hash: only a content check sees it
  net.settle(limits::kStateHashIntervalMs + limits::kStateHandoverTimeoutMs);
  EXPECT_EQ(net.state(0).get("k"), std::optional<std::string>("1"));
  EXPECT_TRUE(net.state(0).isHost());
  EXPECT_EQ(net.observer(0).healed, 1);
  EXPECT_EQ(net.observer(1).healed, 0);  // the members' copies were sound: they only rebase
  expectPresentAgree(net);
  // The history goes on from there.
  ASSERT_TRUE(net.state(2).set("after", "3").ok());
  net.settle(1000);
  EXPECT_EQ(net.state(0).get("after"), std::optional<std::string>("3"));
  expectPresentAgree(net);
}

TEST(RoomState, AHostAloneWithABadCopyGoesOnWithItsContent) {
  StateNet net({"a"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("k", "1").ok());
  net.state(0).corruptForTesting("k", "2");
  net.settle(limits::kStateHashIntervalMs + 100);
  EXPECT_TRUE(net.state(0).isHost());
  EXPECT_EQ(net.state(0).get("k"), std::optional<std::string>("2"));
  ASSERT_TRUE(net.state(0).set("next", "1").ok());  // and it still works
  EXPECT_EQ(net.state(0).get("next"), std::optional<std::string>("1"));
  net.settle(limits::kStateHashIntervalMs + 100);
  EXPECT_EQ(net.observer(0).healed, 0);  // nothing better to heal from
}

TEST(RoomState, AChangeThatHashesDifferentlyHealsAtOnce) {
  StateNet net({"a", "b"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("k", "1").ok());
  net.settle(100);
  // b's copy drifts in a way its running hash sees (as a wrong apply would): the next change's
  // hash disagrees, and b heals before any announcement.
  net.state(1).corruptForTesting("k", "2");
  ASSERT_TRUE(net.state(1).set("other", "1").ok());  // goes through b's document properly
  net.deliverAll();
  EXPECT_EQ(net.state(1).get("k"), std::optional<std::string>("2"));  // the corruption sits behind the running hash
  net.settle(limits::kStateHashIntervalMs + 100);
  EXPECT_EQ(net.state(1).get("k"), std::optional<std::string>("1"));
  EXPECT_EQ(net.observer(1).healed, 1);
}

TEST(RoomState, HostHandoverKeepsAcknowledgedWrites) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(2).set("k", "\"acked\"").ok());
  // The host sequences c's write; only c gets the change before the host is gone.
  net.deliver(0);  // sw to a
  ASSERT_EQ(net.queue().size(), 2u);
  std::size_t toC = net.queue()[0].to == "c" ? 0 : 1;
  net.deliver(toC);
  EXPECT_EQ(net.state(2).pendingWrites(), 0u);  // acknowledged
  EXPECT_EQ(net.state(1).get("k"), std::nullopt);
  net.setAway(0, true);  // b becomes host, c holds the most advanced copy
  net.settle(3000);
  EXPECT_TRUE(net.state(1).isHost());
  EXPECT_EQ(net.state(1).get("k"), std::optional<std::string>("\"acked\""));
  EXPECT_EQ(net.state(2).get("k"), std::optional<std::string>("\"acked\""));
  EXPECT_EQ(net.state(1).position().epoch.number, 2u);
  // a comes back, is host again (first in join order) and continues from b's epoch.
  net.setAway(0, false);
  net.settle(3000);
  EXPECT_TRUE(net.state(0).isHost());
  EXPECT_EQ(net.state(0).position().epoch.number, 3u);
  expectPresentAgree(net);
  EXPECT_EQ(net.state(0).get("k"), std::optional<std::string>("\"acked\""));
}

TEST(RoomState, WritesMadeDuringAHandoverAreTakenOnce) {
  StateNet net({"a", "b", "c", "d"});
  net.settle(100);
  net.recordSent = true;
  net.setAway(0, true);
  // While b takes over, everyone writes; for 3 s no sequenced change arrives anywhere, so the
  // writers send their writes again (and again): b must take each once.
  double until = net.now() + 3000;
  net.dropWhen = [&](const StateNet::Frame& f) { return net.now() < until && f.text.find("\"t\":\"sc\"") != std::string::npos; };
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(net.state(1 + i % 3).set("k" + std::to_string(i), std::to_string(i)).ok());
    net.tick(200);
    net.deliverAll();
  }
  net.settle(5000);
  expectPresentAgree(net);
  EXPECT_EQ(net.state(3).entries().size(), 6u);
  // Every (writer, n) was broadcast by the host once.
  std::multiset<std::string> sequenced;
  for (const auto& f : net.sent()) {
    if (!f.broadcast || f.from != "b" || f.text.find("\"t\":\"sc\"") == std::string::npos) continue;
    auto decoded = state::decodeStateFrame(f.text);
    ASSERT_TRUE(decoded.ok());
    const auto& c = std::get<state::StateChange>(decoded.value());
    if (f.to == "c") sequenced.insert(c.writer + "#" + std::to_string(c.n));
  }
  EXPECT_EQ(sequenced.size(), 6u);
  for (const auto& s : sequenced) EXPECT_EQ(sequenced.count(s), 1u) << s;
}

TEST(RoomState, ACorruptedCopyNeverWinsAHandover) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("k", "1").ok());
  net.settle(100);
  // b's copy goes bad right before the host leaves (well within an announcement interval), and
  // b is the next host: it continues from c's copy instead of its own.
  net.state(1).corruptForTesting("k", "666");
  net.setAway(0, true);
  net.settle(3000);
  EXPECT_TRUE(net.state(1).isHost());
  EXPECT_EQ(net.state(1).get("k"), std::optional<std::string>("1"));
  EXPECT_EQ(net.state(2).get("k"), std::optional<std::string>("1"));
  EXPECT_EQ(net.state(1).hash(), net.state(2).hash());
}

TEST(RoomState, WritesWhileAloneOrAwayApplyLocallyAndGoOutLater) {
  StateNet net({"a", "b"});
  net.setAway(1, true);
  ASSERT_TRUE(net.state(1).set("offline", "1").ok());
  EXPECT_EQ(net.state(1).get("offline"), std::optional<std::string>("1"));
  ASSERT_TRUE(net.state(0).set("host", "1").ok());
  net.settle(500);
  net.setAway(1, false);
  net.settle(3000);
  EXPECT_EQ(net.state(0).get("offline"), std::optional<std::string>("1"));
  EXPECT_EQ(net.state(1).get("host"), std::optional<std::string>("1"));
  expectPresentAgree(net);
}

TEST(RoomState, WritesPastTheCapsAreRefusedWithStateTooLarge) {
  StateNet net({"a", "b"});
  net.settle(100);
  std::string big = "\"" + std::string(limits::kMaxStateValueBytes - 2, 'x') + "\"";
  Status last = Ok{};
  int written = 0;
  for (int i = 0; i < 40 && last.ok(); ++i) {
    last = net.state(1).set("big" + std::to_string(i), big);
    if (last.ok()) ++written;
    net.settle(100);
  }
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, ErrorCode::StateTooLarge);
  EXPECT_NE(last.error().message.find("bytes"), std::string::npos);
  EXPECT_EQ(static_cast<int>(net.state(0).entries().size()), written);
  expectPresentAgree(net);
  // Overwriting a key with something no larger still works when full.
  EXPECT_TRUE(net.state(1).set("big0", "1").ok());
}

TEST(RoomState, TheHostRefusesAWriteThatConcurrentWritesMadeTooLarge) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  std::string big = "\"" + std::string(limits::kMaxStateValueBytes - 2, 'x') + "\"";
  int i = 0;
  while (net.state(1).set("fill" + std::to_string(i), big).ok()) {
    ++i;
    net.settle(50);
  }
  // Free some room, then b and c each fill it before seeing the other's write.
  ASSERT_TRUE(net.state(0).remove("fill0").ok());
  ASSERT_TRUE(net.state(0).remove("fill1").ok());
  net.settle(100);
  ASSERT_TRUE(net.state(1).set("x", big).ok());
  ASSERT_TRUE(net.state(2).set("y", big).ok());
  ASSERT_TRUE(net.state(2).set("z", big).ok());
  net.settle(100);
  expectPresentAgree(net);
  std::size_t refused = net.observer(1).refused.size() + net.observer(2).refused.size();
  EXPECT_EQ(refused, 1u);
  for (const auto& r : net.observer(2).refused) EXPECT_EQ(r.second.code, ErrorCode::StateTooLarge);
  EXPECT_EQ(net.state(0).get("z"), std::nullopt);
}

TEST(RoomState, BadKeysValuesAndTooManyPendingWritesAreRefused) {
  StateNet net({"a", "b"});
  EXPECT_EQ(net.state(1).set("", "1").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(net.state(1).set(std::string(limits::kMaxStateKeyBytes + 1, 'k'), "1").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(net.state(1).set("a\nb", "1").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(net.state(1).set("\xff", "1").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(net.state(1).set("k", "{").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(net.state(1).set("k", "1 2").error().code, ErrorCode::DataInvalid);
  EXPECT_EQ(net.state(1).set("k", std::string(100, '[') + std::string(100, ']')).error().code, ErrorCode::DataInvalid);
  EXPECT_TRUE(net.state(1).set("ключ 🔑", "null").ok());
  // b is cut off from the host: its writes wait, up to the cap.
  net.setAway(1, true);
  Status last = Ok{};
  std::size_t accepted = 0;
  while (last.ok() && accepted < limits::kMaxStatePendingWrites + 5) {
    last = net.state(1).set("k", std::to_string(accepted));
    if (last.ok()) ++accepted;
  }
  EXPECT_EQ(last.error().code, ErrorCode::SendQueueFull);
  EXPECT_EQ(net.state(1).pendingWrites(), limits::kMaxStatePendingWrites);
}

TEST(RoomState, FramesFromNonMembersOrFromTheWrongRoleChangeNothing) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  auto fake = state::encodeStateFrame(state::StateChange{net.state(1).position().epoch, net.state(1).position().seq + 1,
                                                          "c", 1, "k", std::string("1"), 5, 0});
  // From c (a member, not the host) and from someone not in the room.
  EXPECT_TRUE(net.state(1).receive("c", fake).ok());
  EXPECT_TRUE(net.state(1).receive("zed", fake).ok());
  EXPECT_EQ(net.state(1).get("k"), std::nullopt);
  // A write reaches the host from someone who is not in the room.
  auto write = state::encodeStateFrame(state::StateWrite{net.state(0).position().epoch, 1, "k", std::string("1"), 5});
  EXPECT_TRUE(net.state(0).receive("zed", write).ok());
  EXPECT_EQ(net.state(0).position().seq, 0u);
  EXPECT_EQ(net.state(0).get("k"), std::nullopt);
  // A malformed frame is refused with the decoder's error.
  EXPECT_EQ(net.state(1).receive("a", R"({"t":"sc"})").error().code, ErrorCode::BadFrame);
}

// Frames changed on the way (a bug, or a member that lies): whatever decodes is taken or ignored by
// the rules, nothing crashes, and once frames are honest again every copy ends the same.
TEST(RoomState, MangledFramesNeverBreakItAndItRecovers) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  std::mt19937 rng(14);
  const std::string alphabet = "0123456789abcdef\",:{}[]";
  int taken = 0;
  for (int round = 0; round < 3000; ++round) {
    if (rng() % 4 == 0) {
      ASSERT_TRUE(net.state(rng() % 3).set("k" + std::to_string(rng() % 4), std::to_string(round)).ok());
    }
    net.tick(10);
    auto& q = net.queue();
    if (q.empty()) continue;
    std::size_t pick = rng() % q.size();
    if (rng() % 3 == 0) {
      StateNet::Frame f = q[pick];
      f.text[rng() % f.text.size()] = alphabet[rng() % alphabet.size()];
      std::size_t to = f.to == "a" ? 0 : f.to == "b" ? 1 : 2;
      if (net.state(to).receive(f.from, f.text).ok()) ++taken;
    }
    net.deliverUnordered(pick);
  }
  EXPECT_GT(taken, 100);
  net.settle(10000);
  expectPresentAgree(net);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(net.state(i).hash(), net.state(0).hash());
}

}  // namespace
}  // namespace huddle::test
