// Signed, expiring join tokens (docs/tokens.md): how huddle-server mints and checks them.
//
//   token   = base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))
//   payload = {"v":1,"room":R,"peer":P,"name":N,"exp":UNIX_SECONDS[,"maxMembers":M][,"relayOnly":true]}
//
// base64url is RFC 4648 section 5 without "=" padding. The MAC covers the payload's base64url
// text exactly as sent, so a minter never has to reproduce our JSON spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/join_claims.hpp"

namespace huddle::server {

// RFC 4648 base64url without padding.
std::string base64UrlEncode(std::string_view bytes);
// Strict inverse of base64UrlEncode: nullopt on any character outside the alphabet, on "=", on a
// length no encoding has (4n+1), or on non-zero unused bits (so every token has one spelling).
std::optional<std::string> base64UrlDecode(std::string_view text);

// The token for `claims`, signed with `secret`.
std::string mintJoinToken(const JoinClaims& claims, std::string_view secret);

// Checks `token` against every secret in `secrets` (the current one and, while rotating, the
// previous one; compared in constant time) and its expiry against `nowSeconds` (Unix time).
// invalid_token: too long, malformed, a bad signature or bad claims; token_expired: exp <= now.
Result<JoinClaims> verifyJoinToken(std::string_view token, const std::vector<std::string>& secrets,
                                   std::int64_t nowSeconds);

// A verifier for HubConfig that reads the system clock; empty `secrets`: no verifier (auth off).
TokenVerifier makeTokenVerifier(std::vector<std::string> secrets);

// "90", "90s", "15m", "2h", "7d" -> seconds; nullopt when malformed, zero or over a year.
std::optional<std::int64_t> parseDurationSeconds(std::string_view text);

// `huddle-server token ...`: mints a token for scripts. Returns the exit code (0, or 2 on bad
// options) and fills `out` (the token and a newline) or `err` (what is wrong, or the help).
int runTokenCommand(const std::vector<std::string>& args, const char* envSecret, std::int64_t nowSeconds,
                    std::string& out, std::string& err);

}  // namespace huddle::server
