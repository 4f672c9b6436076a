#include "detail/text_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "detail/json_fields.hpp"
#include "huddle/limits.hpp"

namespace huddle::detail {

using wire::JsonKind;
using wire::kindOf;

TextFields::TextFields(std::string_view object, const wire::JsonMembers& members) {
  if (!members.complete) {
    *this = TextFields(object);
    return;
  }
  members_.reserve(members.count);
  for (std::size_t i = 0; i < members.count; ++i) members_.emplace_back(members.keys[i], members.values[i]);
}

TextFields::TextFields(std::string_view object) {
  wire::JsonCursor cursor(object);
  std::string_view key, value;
  while (cursor.nextMember(key, value)) members_.emplace_back(key, value);
}

std::optional<std::string_view> TextFields::type() const {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->first == "t") return wire::plainString(it->second);
  }
  return std::nullopt;
}

void TextFields::fail(const char* key, std::string_view problem) {
  if (error_) return;
  error_ = Error{ErrorCode::BadFrame, std::string(type_) + "." + key + ": " + std::string(problem)};
}

std::optional<std::string_view> TextFields::find(const char* key, bool required) {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (it->first != key) continue;
    if (kindOf(it->second) == JsonKind::Null && !required) return std::nullopt;
    return it->second;
  }
  if (required) fail(key, "missing");
  return std::nullopt;
}

std::uint64_t TextFields::unsignedInt(const char* key) {
  auto v = find(key, true);
  if (!v) return 0;
  // JS numbers are doubles: integers above 2^53 cannot round-trip, so they are refused.
  if (auto n = wire::safeInteger(*v)) return *n;
  fail(key, "expected an integer from 0 to 2^53-1");
  return 0;
}

double TextFields::number(const char* key) {
  auto v = find(key, true);
  if (!v) return 0;
  if (kindOf(*v) != JsonKind::Number) {
    fail(key, "expected a number");
    return 0;
  }
  if (auto n = wire::safeInteger(*v)) return static_cast<double>(*n);  // the common case: Date.now()
  return std::strtod(std::string(*v).c_str(), nullptr);  // validated: finite
}

std::optional<bool> TextFields::optionalBool(const char* key) {
  auto v = find(key, false);
  if (!v) return std::nullopt;
  JsonKind kind = kindOf(*v);
  if (kind != JsonKind::True && kind != JsonKind::False) {
    fail(key, "expected true or false");
    return std::nullopt;
  }
  return kind == JsonKind::True;
}

std::string_view TextFields::any(const char* key) { return find(key, true).value_or(std::string_view()); }

Status checkData(std::string_view text, std::size_t maxBytes) {
  if (text.size() > maxBytes) {
    return Error{ErrorCode::DataInvalid,
                 "data is " + std::to_string(text.size()) + " bytes as JSON; the limit is " + std::to_string(maxBytes)};
  }
  if (!wire::isStrictJson(text, limits::kMaxAppDataDepth)) {
    if (nestedDeeperThan(text, limits::kMaxAppDataDepth)) {
      return Error{ErrorCode::DataInvalid,
                   "data nested deeper than " + std::to_string(limits::kMaxAppDataDepth) + " levels"};
    }
    return Error{ErrorCode::DataInvalid, "data is not valid JSON"};
  }
  return Ok{};
}

void appendUnsigned(std::string& out, std::uint64_t value) {
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

void appendNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += '0';  // JSON has no such number; nothing sends one
    return;
  }
  constexpr double kMaxSafe = 9007199254740991.0;
  if (value >= 0 && value <= kMaxSafe && value == std::floor(value)) {
    return appendUnsigned(out, static_cast<std::uint64_t>(value));
  }
  // nlohmann's shortest round-trip form (Grisu2), the one its dump() writes.
  char buffer[64];
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

}  // namespace huddle::detail
