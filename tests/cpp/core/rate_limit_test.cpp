// The token bucket behind huddle-server's per-connection frame and byte limits and the client's
// relay pacing.
#include <gtest/gtest.h>

#include "huddle/rate_limit.hpp"

namespace huddle {
namespace {

int allowedAt(RateLimiter& limiter, double nowMs, int attempts) {
  int allowed = 0;
  for (int i = 0; i < attempts; ++i) allowed += limiter.allow(nowMs) ? 1 : 0;
  return allowed;
}

TEST(RateLimiter, AllowsABurstThenRefuses) {
  RateLimiter limiter(10, 40);
  EXPECT_EQ(allowedAt(limiter, 1000, 100), 40);
}

TEST(RateLimiter, RefillsAtTheConfiguredRate) {
  RateLimiter limiter(10, 40);
  allowedAt(limiter, 0, 40);
  EXPECT_EQ(allowedAt(limiter, 500, 100), 5);   // half a second at 10/s
  EXPECT_EQ(allowedAt(limiter, 600, 100), 1);
}

TEST(RateLimiter, NeverRefillsPastTheBurst) {
  RateLimiter limiter(10, 40);
  allowedAt(limiter, 0, 40);
  EXPECT_EQ(allowedAt(limiter, 3'600'000, 100), 40);
}

TEST(RateLimiter, AClockSteppingBackRefillsNothing) {
  RateLimiter limiter(10, 2);
  allowedAt(limiter, 10'000, 2);
  EXPECT_FALSE(limiter.allow(5'000));
  EXPECT_FALSE(limiter.allow(10'000));
  EXPECT_TRUE(limiter.allow(10'100));
}

TEST(RateLimiter, ACostTakesThatManyTokensOrNone) {
  RateLimiter bytes(1000, 4000);  // bytes per second
  EXPECT_TRUE(bytes.allow(0, 3000));
  EXPECT_FALSE(bytes.allow(0, 1500));  // 1000 left: refused whole, nothing taken
  EXPECT_TRUE(bytes.allow(0, 1000));
  EXPECT_FALSE(bytes.allow(0, 1));
  EXPECT_TRUE(bytes.allow(500, 500));  // half a second refilled 500
}

TEST(RateLimiter, SaysHowLongUntilACostIsThere) {
  RateLimiter frames(10, 4);
  allowedAt(frames, 0, 4);
  EXPECT_DOUBLE_EQ(frames.waitMs(0, 1), 100);
  EXPECT_DOUBLE_EQ(frames.waitMs(50, 1), 50);
  EXPECT_DOUBLE_EQ(frames.waitMs(100, 1), 0);
  EXPECT_DOUBLE_EQ(frames.waitMs(100, 100), 300);  // more than the burst: until it is full
  EXPECT_NEAR(frames.available(100), 1, 1e-9);
}

}  // namespace
}  // namespace huddle
