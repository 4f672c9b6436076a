#include "detail/text_fields.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "huddle/limits.hpp"

namespace huddle::detail {

using wire::JsonKind;
using wire::kindOf;

bool nestedDeeperThan(std::string_view text, int maxDepth) {
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  for (char c : text) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

Result<std::string_view> checkFrameText(std::string_view text, std::size_t maxBytes, wire::JsonMembers* top) {
  if (text.size() > maxBytes) {
    return Error{ErrorCode::FrameTooLarge,
                 "frame is " + std::to_string(text.size()) + " bytes; the limit is " + std::to_string(maxBytes)};
  }
  if (!wire::isStrictJson(text, kMaxJsonDepth, top)) {
    if (nestedDeeperThan(text, kMaxJsonDepth)) {
      return Error{ErrorCode::BadFrame, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    }
    return Error{ErrorCode::BadJson, "frame is not valid JSON"};
  }
  std::size_t first = text.find_first_not_of(" \t\r\n");
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

Result<TextFields> frameFields(std::string_view text, std::size_t maxBytes) {
  wire::JsonMembers top;
  auto checked = checkFrameText(text, maxBytes, &top);
  if (!checked) return checked.error();
  std::string_view value = checked.value();
  if (kindOf(value) != JsonKind::Object) return Error{ErrorCode::BadFrame, "frame must be a JSON object"};
  TextFields fields(value, top);
  auto type = fields.readType();
  if (!type) return Error{ErrorCode::BadFrame, "frame needs a string field \"t\" naming its type"};
  fields.setType(*type);
  return fields;
}

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

namespace {

// A key as written against a plain name: a key with an escape ("\u0074" for "t") is decoded first,
// so that it means what it would in a parsed tree.
bool sameKey(std::string_view written, const char* key) {
  if (written.find('\\') == std::string_view::npos) return written == key;
  std::string quoted;
  quoted.reserve(written.size() + 2);
  quoted += '"';
  quoted += written;
  quoted += '"';
  return wire::unquote(quoted) == key;
}

}  // namespace

std::optional<std::string> TextFields::readType() const {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (!sameKey(it->first, "t")) continue;
    if (kindOf(it->second) != JsonKind::String) return std::nullopt;
    if (auto plain = wire::plainString(it->second)) return std::string(*plain);
    return wire::unquote(it->second);
  }
  return std::nullopt;
}

void TextFields::fail(const char* key, std::string_view problem) {
  if (error_) return;
  error_ = Error{ErrorCode::BadFrame, type_ + "." + key + ": " + std::string(problem)};
}

bool TextFields::has(const char* key) const {
  for (const auto& [written, value] : members_) {
    if (sameKey(written, key)) return true;
  }
  return false;
}

std::optional<std::string_view> TextFields::find(const char* key, bool required) {
  for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
    if (!sameKey(it->first, key)) continue;
    if (kindOf(it->second) == JsonKind::Null && !required) return std::nullopt;
    return it->second;
  }
  if (required) fail(key, "missing");
  return std::nullopt;
}

std::string TextFields::string(const char* key, std::size_t maxBytes) {
  auto v = find(key, true);
  if (!v) return {};
  if (kindOf(*v) != JsonKind::String) {
    fail(key, "expected a string");
    return {};
  }
  std::string s;
  if (auto plain = wire::plainString(*v)) {
    s = *plain;
  } else {
    s = wire::unquote(*v);
  }
  if (s.size() > maxBytes) {
    fail(key, "longer than " + std::to_string(maxBytes) + " bytes");
    return {};
  }
  return s;
}

std::optional<std::string> TextFields::optionalString(const char* key, std::size_t maxBytes) {
  if (!find(key, false)) return std::nullopt;
  return string(key, maxBytes);
}

std::uint64_t TextFields::unsignedInt(const char* key) {
  auto v = find(key, true);
  if (!v) return 0;
  // JS numbers are doubles: integers above 2^53 cannot round-trip, so they are refused.
  if (auto n = wire::safeInteger(*v)) return *n;
  fail(key, "expected an integer from 0 to 2^53-1");
  return 0;
}

std::optional<std::uint64_t> TextFields::optionalUnsigned(const char* key) {
  if (!find(key, false)) return std::nullopt;
  return unsignedInt(key);
}

int TextFields::integer(const char* key, int min, int max) {
  auto v = find(key, true);
  if (!v) return min;
  // An integer is written without fraction or exponent, as a parsed tree would keep it.
  bool negative = !v->empty() && v->front() == '-';
  auto n = wire::safeInteger(negative ? v->substr(1) : *v);
  if (n) {  // at most 2^53-1: fits
    std::int64_t value = negative ? -static_cast<std::int64_t>(*n) : static_cast<std::int64_t>(*n);
    if (value >= min && value <= max) return static_cast<int>(value);
  }
  fail(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return min;
}

std::optional<int> TextFields::optionalInteger(const char* key, int min, int max) {
  if (!find(key, false)) return std::nullopt;
  return integer(key, min, max);
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

std::string_view TextFields::ofKind(const char* key, JsonKind kind, const char* expected) {
  auto v = find(key, true);
  if (!v) return {};
  if (kindOf(*v) != kind) {
    fail(key, expected);
    return {};
  }
  return *v;
}

std::string_view TextFields::object(const char* key) { return ofKind(key, JsonKind::Object, "expected an object"); }

std::string_view TextFields::array(const char* key) { return ofKind(key, JsonKind::Array, "expected an array"); }

std::optional<std::string_view> TextFields::optionalObject(const char* key) {
  if (!find(key, false)) return std::nullopt;
  std::string_view v = object(key);
  if (v.empty()) return std::nullopt;
  return v;
}

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
  if (value >= -kMaxSafe && value <= kMaxSafe && value == std::floor(value)) {
    // Integers as JavaScript writes them: digits, no ".0" (and -0 as 0, as JSON.stringify does).
    if (value < 0) out += '-';
    return appendUnsigned(out, static_cast<std::uint64_t>(std::fabs(value)));
  }
  // nlohmann's shortest round-trip form (Grisu2), header-only: no tree comes with it.
  char buffer[64];
  char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void appendString(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + value.size() + 2);
  out += '"';
  const char* p = value.data();
  const char* end = p + value.size();
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out += static_cast<char>(c);
      ++p;
      continue;
    }
    if (c >= 0x80) {
      std::size_t length = wire::utf8Length(p, end);
      if (length == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for the byte that starts no valid sequence
        ++p;
      } else {
        out.append(p, length);
        p += length;
      }
      continue;
    }
    out += '\\';
    switch (c) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '\b': out += 'b'; break;
      case '\f': out += 'f'; break;
      case '\n': out += 'n'; break;
      case '\r': out += 'r'; break;
      case '\t': out += 't'; break;
      default:
        out += "u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
    ++p;
  }
  out += '"';
}

void JsonObject::key(const char* key) {
  if (out_.size() > 1) out_ += ',';
  out_ += '"';
  out_ += key;
  out_ += "\":";
}

JsonObject& JsonObject::string(const char* k, std::string_view value) {
  key(k);
  appendString(out_, value);
  return *this;
}

JsonObject& JsonObject::unsignedInt(const char* k, std::uint64_t value) {
  key(k);
  appendUnsigned(out_, value);
  return *this;
}

JsonObject& JsonObject::integer(const char* k, std::int64_t value) {
  key(k);
  if (value < 0) out_ += '-';
  appendUnsigned(out_, value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value));
  return *this;
}

JsonObject& JsonObject::number(const char* k, double value) {
  key(k);
  appendNumber(out_, value);
  return *this;
}

JsonObject& JsonObject::boolean(const char* k, bool value) {
  key(k);
  out_ += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::raw(const char* k, std::string_view text) {
  key(k);
  out_ += text;
  return *this;
}

std::string JsonObject::close() && {
  out_ += '}';
  return std::move(out_);
}

}  // namespace huddle::detail
