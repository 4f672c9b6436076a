// Cryptographically secure random bytes for the Hub (room codes, peer ids), from the kernel's
// CSPRNG via getrandom(2).
#pragma once

#include <cstdint>
#include <span>

namespace huddle::server {

// Fills `out` completely. getrandom() only fails here if the kernel lacks it (pre-3.17); there is
// no safe fallback for unguessable room codes, so that aborts the process with a message.
void fillRandom(std::span<std::uint8_t> out);

}  // namespace huddle::server
