#include "huddle/room_code.hpp"

#include <cstring>

#include "huddle/limits.hpp"

namespace huddle {
namespace {

constexpr std::size_t kAlphabetSize = sizeof(limits::kRoomCodeAlphabet) - 1;
static_assert(kAlphabetSize == 32, "byte % 32 is unbiased only for a 32-character alphabet");

bool inAlphabet(char c) {
  return c != '\0' && std::memchr(limits::kRoomCodeAlphabet, c, kAlphabetSize) != nullptr;
}

constexpr char kTokenAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
static_assert(sizeof(kTokenAlphabet) - 1 == 64, "byte % 64 is unbiased only for a 64-character alphabet");

bool isAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Every character is alphanumeric or one of `extra`, and the length is within [minLen, maxLen].
bool isPlainIdentifier(std::string_view s, std::size_t minLen, std::size_t maxLen, std::string_view extra) {
  if (s.size() < minLen || s.size() > maxLen) return false;
  for (char c : s) {
    if (!isAsciiAlnum(c) && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Decodes one UTF-8 code point at s[i], advancing i; false on malformed input (overlong forms,
// surrogates and values past U+10FFFF included).
bool nextCodePoint(std::string_view s, std::size_t& i, char32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  std::size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) return false;
  cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  i += len;
  return true;
}

bool isControl(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);  // bidi overrides
}

}  // namespace

std::string alphabetString(std::span<const std::uint8_t> random) {
  std::string out;
  out.reserve(random.size());
  for (std::uint8_t b : random) out.push_back(limits::kRoomCodeAlphabet[b % kAlphabetSize]);
  return out;
}

std::optional<std::string> normalizeRoomCode(std::string_view typed) {
  std::string_view t = trim(typed);
  if (t.size() != limits::kRoomCodeLength) return std::nullopt;
  std::string code;
  for (char c : t) {
    char up = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (!inAlphabet(up)) return std::nullopt;
    code.push_back(up);
  }
  return code;
}

std::optional<std::string> normalizeName(std::string_view name) {
  std::string_view t = trim(name);
  std::size_t count = 0;
  for (std::size_t i = 0; i < t.size();) {
    char32_t cp = 0;
    if (!nextCodePoint(t, i, cp) || isControl(cp)) return std::nullopt;
    ++count;
  }
  if (count == 0 || count > limits::kMaxNameChars) return std::nullopt;
  return std::string(t);
}

std::optional<std::string> normalizeRoomKey(std::string_view typed) {
  if (auto code = normalizeRoomCode(typed)) return code;
  if (isPlainIdentifier(typed, 1, limits::kMaxRoomNameChars, "_.-")) return std::string(typed);
  return std::nullopt;
}

bool isValidPeerId(std::string_view id) { return isPlainIdentifier(id, 1, limits::kMaxPeerIdChars, "_-"); }

bool isValidResumeToken(std::string_view token) {
  return isPlainIdentifier(token, limits::kMinResumeTokenChars, limits::kMaxResumeTokenChars, "_-");
}

std::string tokenString(std::span<const std::uint8_t> random) {
  std::string out;
  out.reserve(random.size());
  for (std::uint8_t b : random) out.push_back(kTokenAlphabet[b % 64]);
  return out;
}

}  // namespace huddle
