// A histogram in the Prometheus sense: how many observations were at or below each of a fixed set
// of upper bounds (and in all, the implied +Inf bucket), and their sum. Plain counters: no clock,
// no I/O, no locking. The Hub observes closed rooms into two (HubStats); huddle-server writes
// them out as the exposition format's _bucket, _sum and _count series (server/metrics.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace huddle {

class Histogram {
 public:
  // `upperBounds`: finite and strictly increasing (not checked: callers pass constants); +Inf is implied.
  Histogram(std::initializer_list<double> upperBounds);

  // Counts `value` in the first bucket whose bound it does not exceed (the +Inf one if none).
  void observe(double value);

  const std::vector<double>& upperBounds() const { return bounds_; }
  // Observations at or below upperBounds()[i]: cumulative, as the exposition format's le="..." is.
  std::uint64_t countAtOrBelow(std::size_t i) const;
  // Every observation (the +Inf bucket), and their sum.
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> inBucket_;  // per finite bound, not cumulative; the rest are above the last
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace huddle
