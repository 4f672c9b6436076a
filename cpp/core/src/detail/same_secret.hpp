// Comparing secrets (resume tokens, password hashes) without telling an attacker, through the
// time it takes, how much of a guess was right.
#pragma once

#include <cstddef>
#include <string_view>

namespace huddle::detail {

// Compares a presented secret with the stored one in time independent of where they differ (the
// length is not secret: tokens and hashes have fixed lengths).
inline bool sameSecret(std::string_view stored, std::string_view presented) {
  if (stored.size() != presented.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) diff |= static_cast<unsigned char>(stored[i] ^ presented[i]);
  return diff == 0;
}

}  // namespace huddle::detail
