#include "huddle/rate_limit.hpp"

#include <algorithm>

namespace huddle {

bool RateLimiter::allow(double nowMs) {
  if (started_ && nowMs > lastMs_) {
    tokens_ = std::min(burst_, tokens_ + (nowMs - lastMs_) * perSecond_ / 1000.0);
  }
  // A clock that steps back refills nothing; it never takes tokens away either.
  if (!started_ || nowMs > lastMs_) lastMs_ = nowMs;
  started_ = true;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace huddle
