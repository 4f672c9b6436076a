// What a signed join token grants (docs/tokens.md): a site's backend mints one with a secret it
// shares with huddle-server, and the Hub trusts its claims. Checking the signature needs a MAC
// (OpenSSL in huddle-server), so core only declares the claims and the verifier's shape; the
// platform provides the verifier (HubConfig::verifyToken).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "huddle/error.hpp"

namespace huddle {

struct JoinClaims {
  std::string room;    // the room name or code the token admits to (exact, as the join names it)
  std::string peerId;  // the id its holder becomes; the token proves the right to it
  std::string name;    // the display name its holder shows
  std::int64_t expiresAt = 0;  // Unix time, seconds: the token is refused from then on
  int maxMembers = 0;          // rules for the room if this join creates it; 0: the server default
  bool relayOnly = false;
};

// Checks a token's signature and expiry (against the platform's wall clock) and returns its
// claims, or invalid_token / token_expired with a message saying what is wrong.
using TokenVerifier = std::function<Result<JoinClaims>(std::string_view token)>;

}  // namespace huddle
