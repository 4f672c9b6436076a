#include "server/join_token.hpp"

#include <array>
#include <charconv>
#include <chrono>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "huddle/limits.hpp"
#include "huddle/room_code.hpp"

namespace huddle::server {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int kTokenVersion = 1;
constexpr std::size_t kMacBytes = 32;           // SHA-256
constexpr std::int64_t kMaxExp = (1LL << 53) - 1;  // what a JS number holds exactly
constexpr std::int64_t kMaxDurationSeconds = 366LL * 24 * 3600;

int alphabetIndex(char c) {
  auto at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::array<unsigned char, kMacBytes> mac(std::string_view secret, std::string_view message) {
  std::array<unsigned char, kMacBytes> out{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &length);
  return out;
}

Error invalid(std::string message) { return Error{ErrorCode::InvalidToken, "join token: " + std::move(message)}; }

// The claims of a payload whose signature already checked out.
Result<JoinClaims> readClaims(const std::string& payloadJson) {
  auto payload = nlohmann::json::parse(payloadJson, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) return invalid("the payload is not a JSON object");
  auto v = payload.find("v");
  if (v == payload.end() || !v->is_number_integer() || v->get<std::int64_t>() != kTokenVersion)
    return invalid("\"v\" must be 1");
  JoinClaims claims;
  auto room = payload.find("room");
  if (room == payload.end() || !room->is_string()) return invalid("\"room\" must be a string");
  auto key = normalizeRoomKey(room->get_ref<const std::string&>());
  if (!key) return invalid("\"room\" is neither a room code nor a room name (1-64 of A-Z a-z 0-9 _ . -)");
  claims.room = *key;
  auto peer = payload.find("peer");
  if (peer == payload.end() || !peer->is_string() || !isValidPeerId(peer->get_ref<const std::string&>()))
    return invalid("\"peer\" must be a peer id (1-64 of A-Z a-z 0-9 _ -)");
  claims.peerId = peer->get<std::string>();
  auto name = payload.find("name");
  if (name == payload.end() || !name->is_string()) return invalid("\"name\" must be a string");
  auto normalized = normalizeName(name->get_ref<const std::string&>());
  if (!normalized) return invalid("\"name\" is not a valid display name");
  claims.name = *normalized;
  auto exp = payload.find("exp");
  if (exp == payload.end() || !exp->is_number_integer() || exp->get<std::int64_t>() < 0 ||
      exp->get<std::int64_t>() > kMaxExp)
    return invalid("\"exp\" must be an integer Unix time in seconds");
  claims.expiresAt = exp->get<std::int64_t>();
  if (auto max = payload.find("maxMembers"); max != payload.end()) {
    if (!max->is_number_integer() || max->get<std::int64_t>() < limits::kMinRoomSize ||
        max->get<std::int64_t>() > limits::kMaxRoomSizeCap)
      return invalid("\"maxMembers\" must be an integer from " + std::to_string(limits::kMinRoomSize) + " to " +
                     std::to_string(limits::kMaxRoomSizeCap));
    claims.maxMembers = max->get<int>();
  }
  if (auto relayOnly = payload.find("relayOnly"); relayOnly != payload.end()) {
    if (!relayOnly->is_boolean()) return invalid("\"relayOnly\" must be true or false");
    claims.relayOnly = relayOnly->get<bool>();
  }
  return claims;
}

}  // namespace

std::string base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
  } else if (rest == 2) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    for (int shift : {18, 12, 6}) out += kAlphabet[(n >> shift) & 63];
  }
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = alphabetIndex(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-zero unused bits
  return out;
}

std::string mintJoinToken(const JoinClaims& claims, std::string_view secret) {
  nlohmann::json payload = {{"v", kTokenVersion}, {"room", claims.room}, {"peer", claims.peerId},
                            {"name", claims.name}, {"exp", claims.expiresAt}};
  if (claims.maxMembers != 0) payload["maxMembers"] = claims.maxMembers;
  if (claims.relayOnly) payload["relayOnly"] = true;
  std::string body = base64UrlEncode(payload.dump());
  const auto signature = mac(secret, body);
  return body + "." +
         base64UrlEncode(std::string_view(reinterpret_cast<const char*>(signature.data()), signature.size()));
}

Result<JoinClaims> verifyJoinToken(std::string_view token, const std::vector<std::string>& secrets,
                                   std::int64_t nowSeconds) {
  if (token.size() > limits::kMaxJoinTokenChars)
    return invalid("longer than " + std::to_string(limits::kMaxJoinTokenChars) + " characters");
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return invalid("expected PAYLOAD.SIGNATURE (base64url)");
  const std::string_view body = token.substr(0, dot);
  const auto signature = base64UrlDecode(token.substr(dot + 1));
  if (!signature || signature->size() != kMacBytes) return invalid("the signature is not 32 bytes of base64url");
  bool signedByUs = false;
  // Every secret is tried (no early exit), so the time taken does not tell which one matched.
  for (const auto& secret : secrets) {
    const auto expected = mac(secret, body);
    signedByUs |= CRYPTO_memcmp(expected.data(), signature->data(), kMacBytes) == 0;
  }
  if (!signedByUs) return invalid("the signature does not match (another secret, or the token was altered)");
  const auto payloadJson = base64UrlDecode(body);
  if (!payloadJson) return invalid("the payload is not base64url");
  auto claims = readClaims(*payloadJson);
  if (!claims) return claims;
  if (claims.value().expiresAt <= nowSeconds)
    return Error{ErrorCode::TokenExpired, "join token expired " + std::to_string(nowSeconds - claims.value().expiresAt) +
                                              " s ago (exp " + std::to_string(claims.value().expiresAt) + ")"};
  return claims;
}

TokenVerifier makeTokenVerifier(std::vector<std::string> secrets) {
  if (secrets.empty()) return nullptr;
  return [secrets = std::move(secrets)](std::string_view token) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    return verifyJoinToken(token, secrets, now);
  };
}

std::optional<std::int64_t> parseDurationSeconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (text.back()) {
    case 's': unit = 1; text.remove_suffix(1); break;
    case 'm': unit = 60; text.remove_suffix(1); break;
    case 'h': unit = 3600; text.remove_suffix(1); break;
    case 'd': unit = 86400; text.remove_suffix(1); break;
    default: break;
  }
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || n <= 0 ||
      n > kMaxDurationSeconds / unit)
    return std::nullopt;
  return n * unit;
}

}  // namespace huddle::server
