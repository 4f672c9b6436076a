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

// Invisible and format characters (Unicode's Cf, as of Unicode 15): they change nothing a person
// sees, so a name with one looks like the name without it.
bool isInvisible(char32_t cp) {
  return cp == 0x00AD || (cp >= 0x0600 && cp <= 0x0605) || cp == 0x061C || cp == 0x06DD || cp == 0x070F ||
         cp == 0x08E2 || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x206F) ||
         cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0x110BD || cp == 0x110CD ||
         (cp >= 0x13430 && cp <= 0x1343F) || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
         (cp >= 0xE0000 && cp <= 0xE007F);
}

// The scripts whose letters look alike (a, а, α): a name may use one of them, not two.
enum class LookAlikeScript { None, Latin, Greek, Cyrillic };

LookAlikeScript lookAlikeScript(char32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 &&
                                                                 cp != 0x00F7) ||
      (cp >= 0x1E00 && cp <= 0x1EFF)) {
    return LookAlikeScript::Latin;
  }
  if ((cp >= 0x0370 && cp <= 0x03FF) || (cp >= 0x1F00 && cp <= 0x1FFF)) return LookAlikeScript::Greek;
  if ((cp >= 0x0400 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F) || (cp >= 0x2DE0 && cp <= 0x2DFF) ||
      (cp >= 0xA640 && cp <= 0xA69F)) {
    return LookAlikeScript::Cyrillic;
  }
  return LookAlikeScript::None;
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
  LookAlikeScript script = LookAlikeScript::None;
  for (std::size_t i = 0; i < t.size();) {
    char32_t cp = 0;
    if (!nextCodePoint(t, i, cp) || isControl(cp) || isInvisible(cp)) return std::nullopt;
    LookAlikeScript s = lookAlikeScript(cp);
    if (s != LookAlikeScript::None && script != LookAlikeScript::None && s != script) return std::nullopt;
    if (s != LookAlikeScript::None) script = s;
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
