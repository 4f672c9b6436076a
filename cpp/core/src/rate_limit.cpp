#include "huddle/rate_limit.hpp"

#include <algorithm>

namespace huddle {

double RateLimiter::available(double nowMs) {
  if (started_ && nowMs > lastMs_) {
    tokens_ = std::min(burst_, tokens_ + (nowMs - lastMs_) * perSecond_ / 1000.0);
  }
  // A clock that steps back refills nothing; it never takes tokens away either.
  if (!started_ || nowMs > lastMs_) lastMs_ = nowMs;
  started_ = true;
  return tokens_;
}

bool RateLimiter::allow(double nowMs, double cost) {
  if (available(nowMs) < cost) return false;
  take(cost);
  return true;
}

double RateLimiter::waitMs(double nowMs, double cost) {
  double missing = std::min(cost, burst_) - available(nowMs);
  return missing <= 0 ? 0 : missing * 1000.0 / perSecond_;
}

}  // namespace huddle
