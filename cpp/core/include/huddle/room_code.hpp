// Room codes and peer ids: strings over limits::kRoomCodeAlphabet. Randomness is passed in
// (the server reads a CSPRNG), which keeps core deterministic under test.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace huddle {

// Maps random bytes to alphabet characters, one byte per character. The alphabet has 32
// characters and 256 % 32 == 0, so `byte % 32` is unbiased. Produces random.size() characters.
std::string alphabetString(std::span<const std::uint8_t> random);

// Reads a code the way people type it: trims spaces, accepts lower case. nullopt when the result
// is not exactly kRoomCodeLength characters of the alphabet.
std::optional<std::string> normalizeRoomCode(std::string_view typed);

// The key a room is stored under, from what a client sent in join: a room code (normalized as
// above) when it reads as one, otherwise a room name of 1..kMaxRoomNameChars of [A-Za-z0-9_.-],
// kept as is (case-sensitive). nullopt when it is neither.
std::optional<std::string> normalizeRoomKey(std::string_view typed);

// 1..kMaxPeerIdChars of [A-Za-z0-9_-]: what a client may ask for as its peer id.
bool isValidPeerId(std::string_view id);

// kMinResumeTokenChars..kMaxResumeTokenChars of [A-Za-z0-9_-].
bool isValidResumeToken(std::string_view token);

// Random bytes as URL-safe text ([A-Za-z0-9_-], 6 bits per character from each byte's low bits,
// unbiased because 256 % 64 == 0). Produces random.size() characters.
std::string tokenString(std::span<const std::uint8_t> random);

// Checks a display name and returns it trimmed; nullopt when empty, longer than kMaxNameChars
// code points, not valid UTF-8, containing control, bidi-override or invisible (format)
// characters, or mixing letters of Latin, Greek and Cyrillic (names that would look like another).
std::optional<std::string> normalizeName(std::string_view name);

}  // namespace huddle
