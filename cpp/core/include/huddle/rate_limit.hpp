// A token bucket: up to `burst` frames at once, refilled at `perSecond`. Time is passed in, so the
// server drives it with its steady clock and tests with plain numbers.
#pragma once

namespace huddle {

class RateLimiter {
 public:
  RateLimiter(double perSecond, double burst) : perSecond_(perSecond), burst_(burst), tokens_(burst) {}

  // Takes one token at `nowMs` (any monotonic clock, in ms); false when none is left.
  bool allow(double nowMs);

  double perSecond() const { return perSecond_; }
  double burst() const { return burst_; }

 private:
  double perSecond_;
  double burst_;
  double tokens_;
  double lastMs_ = 0;
  bool started_ = false;
};

}  // namespace huddle
