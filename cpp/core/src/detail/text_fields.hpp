// Reading and writing frames as JSON text, without building a tree: every codec (server frames,
// client frames, peer frames) reads its fields from the text the strict validator passed
// (wire::isStrictJson) and writes its frames by appending to a string. Values come back as the
// bytes they arrived as, so app data, relay data and ICE servers are handed on exactly as their
// sender wrote them. Field errors record the first problem as an Error naming the frame type and
// the field (e.g. "join.code: expected a string"), so decoders read every field unconditionally
// and check ok() once at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/error.hpp"
#include "wire/json_scan.hpp"

namespace huddle::detail {

// Nesting depth limit for any JSON frame, including app data inside it: deep nesting would exhaust
// the stack of whatever reads it next (a browser's JSON.parse, in Wasm our own validator).
inline constexpr int kMaxJsonDepth = 64;

// Whether the deepest array/object in text is nested deeper than maxDepth, scanning iteratively
// (strings skipped), so a hostile frame cannot recurse anything before we refuse it.
bool nestedDeeperThan(std::string_view text, int maxDepth);

// The checks every frame passes before its fields are read: at most maxBytes (FrameTooLarge),
// nested at most kMaxJsonDepth deep (BadFrame), exactly one JSON value (BadJson). Returns the value
// without surrounding whitespace; records a top-level object's members in `top` when given.
Result<std::string_view> checkFrameText(std::string_view text, std::size_t maxBytes, wire::JsonMembers* top);

class TextFields {
 public:
  // The members of a top-level object as the validator recorded them (walked again when it has
  // more than it records), or of an object inside validated text.
  TextFields(std::string_view object, const wire::JsonMembers& members);
  explicit TextFields(std::string_view object);

  // The type ("t") as read from the members, unescaped; nullopt when missing or not a string.
  std::optional<std::string> readType() const;
  // The type errors are named after: what frameFields read, or what setType gave.
  const std::string& type() const { return type_; }
  void setType(std::string_view type) { type_ = type; }

  // Whether the key is there at all, null included.
  bool has(const char* key) const;

  std::string string(const char* key, std::size_t maxBytes);
  std::optional<std::string> optionalString(const char* key, std::size_t maxBytes);
  // Integers as JavaScript holds them exactly: 0 to 2^53-1.
  std::uint64_t unsignedInt(const char* key);
  std::optional<std::uint64_t> optionalUnsigned(const char* key);
  int integer(const char* key, int min, int max);
  std::optional<int> optionalInteger(const char* key, int min, int max);
  double number(const char* key);
  std::optional<bool> optionalBool(const char* key);
  // Any value, as text; "" when missing (recorded).
  std::string_view any(const char* key);
  // An object or array, as text; "" when missing or of another kind (recorded).
  std::string_view object(const char* key);
  std::string_view array(const char* key);
  // An optional object: nullopt when absent (or null), and when not an object (recorded).
  std::optional<std::string_view> optionalObject(const char* key);

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }
  void fail(const char* key, std::string_view problem);

 private:
  std::optional<std::string_view> find(const char* key, bool required);
  std::string_view ofKind(const char* key, wire::JsonKind kind, const char* expected);

  // Keys as written (still escaped), values as text. When a key repeats, the last one counts, as
  // in a parsed tree.
  std::vector<std::pair<std::string_view, std::string_view>> members_;
  std::string type_;
  std::optional<Error> error_;
};

// The validated frame `text` (checkFrameText) as an object with a string "t": its fields, the type
// set for their errors.
Result<TextFields> frameFields(std::string_view text, std::size_t maxBytes);

// App data handed to send(): one JSON value of at most maxBytes, nested at most
// limits::kMaxAppDataDepth deep (DataInvalid otherwise). It then travels as written.
Status checkData(std::string_view text, std::size_t maxBytes);

// `value` as a JSON number's text, written the way JavaScript reads it back to the same double.
void appendNumber(std::string& out, double value);
void appendUnsigned(std::string& out, std::uint64_t value);
// `value` as a JSON string, quoted and escaped. Invalid UTF-8 (it comes from outside: names,
// SDP) becomes U+FFFD rather than an error, as the browser's TextDecoder would show it.
void appendString(std::string& out, std::string_view value);

// A JSON object written member by member: `JsonObject o; o.string("t", "ping"); o.close()`.
class JsonObject {
 public:
  JsonObject() { out_ += '{'; }
  JsonObject& string(const char* key, std::string_view value);
  JsonObject& unsignedInt(const char* key, std::uint64_t value);
  JsonObject& integer(const char* key, std::int64_t value);
  JsonObject& number(const char* key, double value);
  JsonObject& boolean(const char* key, bool value);
  // JSON text written as is (validated where it came from).
  JsonObject& raw(const char* key, std::string_view text);
  std::string close() &&;

 private:
  void key(const char* key);
  std::string out_;
};

}  // namespace huddle::detail
