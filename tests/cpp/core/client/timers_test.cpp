// Timers on their own: each timer runs what it was started with, once; cancelled and cleared
// timers never run, even when the platform fires them anyway; a timer may start or clear timers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/timers.hpp"
#include "fakes/fake_port.hpp"

namespace huddle::client {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class TimersTest : public ::testing::Test {
 protected:
  void advance(double ms) {
    port.advance(ms, [this](TimerId id) { timers.fire(id); });
  }
  huddle::testing::FakePort port;
  Timers timers{port};
  std::vector<std::string> ran;
};

TEST_F(TimersTest, EachTimerRunsItsOwnActionOnceWhenDue) {
  TimerId a = timers.start(100, [&] { ran.push_back("a"); });
  timers.start(50, [&] { ran.push_back("b"); });
  EXPECT_NE(a, 0u);
  advance(60);
  EXPECT_THAT(ran, ElementsAre("b"));
  advance(100);
  EXPECT_THAT(ran, ElementsAre("b", "a"));
  timers.fire(a);  // a stale id from the platform
  EXPECT_THAT(ran, ElementsAre("b", "a"));
}

TEST_F(TimersTest, CancelZeroesTheIdAndTheTimerNeverRuns) {
  TimerId a = timers.start(100, [&] { ran.push_back("a"); });
  TimerId id = a;
  timers.cancel(id);
  EXPECT_EQ(id, 0u);
  EXPECT_THAT(port.cancelledTimers, ElementsAre(a));
  timers.fire(a);  // fired anyway
  advance(200);
  EXPECT_THAT(ran, IsEmpty());
  timers.cancel(id);  // 0: nothing to do
  EXPECT_THAT(port.cancelledTimers, ElementsAre(a));
}

TEST_F(TimersTest, ATimerMayStartAnotherOrClearThemAll) {
  timers.start(10, [&] {
    ran.push_back("first");
    timers.start(10, [&] {
      ran.push_back("second");
      timers.clear();
    });
  });
  timers.start(100, [&] { ran.push_back("never"); });
  advance(50);
  EXPECT_THAT(ran, ElementsAre("first", "second"));
  EXPECT_EQ(port.pendingTimers(), 0u);
  advance(100);
  EXPECT_THAT(ran, ElementsAre("first", "second"));
}

TEST_F(TimersTest, DestroyingThemCancelsWhatIsPending) {
  auto scoped = std::make_unique<Timers>(port);
  TimerId a = scoped->start(100, [] {});
  scoped.reset();
  EXPECT_THAT(port.cancelledTimers, ElementsAre(a));
}

}  // namespace
}  // namespace huddle::client
