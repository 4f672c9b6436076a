#include "huddle/histogram.hpp"

#include <algorithm>

namespace huddle {

Histogram::Histogram(std::initializer_list<double> upperBounds)
    : bounds_(upperBounds), inBucket_(upperBounds.size(), 0) {}

void Histogram::observe(double value) {
  // lower_bound: a value equal to a bound belongs to that bound's bucket (le is "less or equal").
  auto at = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  if (at != bounds_.end()) ++inBucket_[static_cast<std::size_t>(at - bounds_.begin())];
  ++count_;
  sum_ += value;
}

std::uint64_t Histogram::countAtOrBelow(std::size_t i) const {
  std::uint64_t total = 0;
  for (std::size_t b = 0; b <= i && b < inBucket_.size(); ++b) total += inBucket_[b];
  return total;
}

}  // namespace huddle
