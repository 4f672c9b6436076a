// A token bucket: up to `burst` tokens at once, refilled at `perSecond`. A token is whatever the
// caller counts (a frame, a byte). Time is passed in, so the server drives it with its steady
// clock, the client with its port's, and tests with plain numbers.
#pragma once

namespace huddle {

class RateLimiter {
 public:
  RateLimiter(double perSecond, double burst) : perSecond_(perSecond), burst_(burst), tokens_(burst) {}

  // Takes `cost` tokens at `nowMs` (any monotonic clock, in ms); false, taking none, when fewer
  // are left.
  bool allow(double nowMs, double cost = 1.0);
  // The tokens there are at `nowMs`.
  double available(double nowMs);
  // Takes `cost` tokens, which available() said are there.
  void take(double cost) { tokens_ -= cost; }
  // How long from `nowMs` until `cost` tokens are there (0: now). A cost above the burst is
  // never there whole: the wait is until the bucket is full.
  double waitMs(double nowMs, double cost);

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
