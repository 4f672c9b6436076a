// The per-connection frame rate limit (huddle-server applies it before the Hub).
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

}  // namespace
}  // namespace huddle
