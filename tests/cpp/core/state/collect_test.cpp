// Collecting deletes (docs/protocol.md "Room state", "Collecting deletes"): tombstones go once every
// member is past them, so a room that keeps adding and deleting keys never fills up; a newcomer's
// first writes survive; a member that went away holds collection back, and its writes keep their
// place in last-writer-wins.
#include <gtest/gtest.h>

#include "huddle/limits.hpp"
#include "huddle/room_state.hpp"
#include "state/state_net.hpp"

namespace huddle::test {
namespace {

// Every present member holds the same document at the same position.
constexpr double kCycle = limits::kStateHashIntervalMs + 100;

TEST(StateCollect, ARoomThatKeepsAddingAndDeletingNeverFillsUp) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  // Three times the key cap, written and deleted in turns by two members.
  for (int round = 0; round < 6; ++round) {
    for (std::size_t i = 0; i < limits::kMaxStateKeys / 2; ++i) {
      std::string key = "r" + std::to_string(round) + "/" + std::to_string(i);
      ASSERT_TRUE(net.state(round % 2).set(key, "1").ok()) << key;
      if (i % 64 == 63) net.deliverAll();
    }
    net.settle(100);
    for (std::size_t i = 0; i < limits::kMaxStateKeys / 2; ++i) {
      ASSERT_TRUE(net.state(1 - round % 2).remove("r" + std::to_string(round) + "/" + std::to_string(i)).ok());
      if (i % 64 == 63) net.deliverAll();
    }
    net.settle(3 * kCycle);
  }
  ASSERT_TRUE(net.state(2).set("still room", "true").ok());
  net.settle(kCycle);
  for (std::size_t i = 0; i < net.size(); ++i) {
    EXPECT_EQ(net.state(i).entries().size(), 1u);
    EXPECT_TRUE(net.observer(i).refused.empty()) << net.id(i);
  }
  expectPresentAgree(net);
}

TEST(StateCollect, ANewcomersFirstWritesSurviveDeletesCollectedBeforeItCame) {
  StateNet net({"a", "b", "c"});
  net.setAway(2, true);  // c is not here yet
  net.settle(100);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(net.state(i % 2).set("k" + std::to_string(i), "1").ok());
  net.settle(100);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(net.state(0).remove("k" + std::to_string(i)).ok());
  net.settle(3 * kCycle);  // collected: the floor is well above stamp 1
  // c arrives and writes at once, before it has the document (its clock still 0).
  net.setAway(2, false);
  ASSERT_TRUE(net.state(2).set("k7", R"("from c")").ok());
  net.settle(3 * kCycle);
  EXPECT_EQ(net.state(0).get("k7"), std::optional<std::string>(R"("from c")"));
  expectPresentAgree(net);
}

TEST(StateCollect, AMemberThatWentAwayHoldsCollectionBackAndItsWritesKeepTheirPlace) {
  StateNet net({"a", "b", "c"});
  net.settle(100);
  ASSERT_TRUE(net.state(0).set("k", "1").ok());
  net.settle(100);
  ASSERT_TRUE(net.state(0).remove("k").ok());  // a tombstone c sees
  net.settle(kCycle);                           // and c says how far it is
  net.setAway(2, true);
  ASSERT_TRUE(net.state(2).set("k", R"("c, after the delete")").ok());  // made after c saw the delete
  // Meanwhile the others write on and on: their clocks run far past c's write.
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(net.state(i % 2).set("other" + std::to_string(i % 5), std::to_string(i)).ok());
  ASSERT_TRUE(net.state(1).remove("other0").ok());  // a tombstone far above c's write
  net.settle(3 * kCycle);
  // Collecting it would raise the floor above c's write, which would then lose: c's last word
  // holds it back.
  EXPECT_NE(net.state(0).entries().size(), 0u);
  net.setAway(2, false);
  net.settle(3 * kCycle);
  // c's write came after the delete: it wins, as last-writer-wins says, however late it arrived.
  EXPECT_EQ(net.state(0).get("k"), std::optional<std::string>(R"("c, after the delete")"));
  expectPresentAgree(net);
}

}  // namespace
}  // namespace huddle::test
