// Deterministic stand-ins for the platform's CSPRNG (huddle::RandomSource).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "huddle/hub.hpp"

namespace huddle::testing {

// A different, reproducible byte stream for every seed (splitmix64).
inline RandomSource seededRandom(std::uint64_t seed) {
  auto state = std::make_shared<std::uint64_t>(seed);
  return [state](std::span<std::uint8_t> out) {
    for (auto& b : out) {
      std::uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      b = static_cast<std::uint8_t>(z ^ (z >> 31));
    }
  };
}

// A broken source: every request is filled with the same byte.
inline RandomSource constantRandom(std::uint8_t value) {
  return [value](std::span<std::uint8_t> out) {
    for (auto& b : out) b = value;
  };
}

// Room codes (requests of kRoomCodeLength bytes) always come out the same; everything else
// (peer ids) is fresh, so only the code-clash path is exercised.
inline RandomSource repeatingCodeRandom(std::uint64_t seed) {
  auto fresh = seededRandom(seed);
  return [fresh](std::span<std::uint8_t> out) {
    if (out.size() == limits::kRoomCodeLength) {
      for (auto& b : out) b = 7;
    } else {
      fresh(out);
    }
  };
}

}  // namespace huddle::testing
