// Room passwords (docs/protocol.md "Room passwords"): a room created with one keeps only a salted
// hash of it. Hashing is a key-derivation function (OpenSSL's PBKDF2 in huddle-server), so core
// only declares its shape and the platform provides it (HubConfig::hashPassword), as with join
// tokens (join_claims.hpp).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace huddle {

// The hash of `password` (UTF-8, at most limits::kMaxRoomPasswordBytes) with `salt` (random bytes,
// limits::kRoomPasswordSaltBytes of them): the same inputs always give the same bytes, and
// different passwords different bytes, for all practical purposes. Called once per room created
// with a password and once per join that must present one.
using PasswordHasher = std::function<std::string(std::string_view password, std::string_view salt)>;

}  // namespace huddle
