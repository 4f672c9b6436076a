// Reading a frame's fields from its JSON text, without building a tree: the peer frames' decoder
// (peer_message.cpp), where a tree would be built and thrown away for every message. The text was
// validated first (wire::isStrictJson); each member comes back as the bytes it arrived as, so app
// data is handed on exactly as its sender wrote it. Errors read as Fields's (json_fields.hpp): the
// first problem, naming the frame type and the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/error.hpp"
#include "wire/json_scan.hpp"

namespace huddle::detail {

class TextFields {
 public:
  // The members of a top-level object as the validator recorded them (walked again when it has
  // more than it records), or of an object inside validated text.
  TextFields(std::string_view object, const wire::JsonMembers& members);
  explicit TextFields(std::string_view object);

  // The type ("t") as written; nullopt when missing, not a string, or escaped.
  std::optional<std::string_view> type() const;
  void setType(std::string_view type) { type_ = type; }

  std::uint64_t unsignedInt(const char* key);
  double number(const char* key);
  std::optional<bool> optionalBool(const char* key);
  // Any value, as text; "" when missing (recorded).
  std::string_view any(const char* key);

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }
  void fail(const char* key, std::string_view problem);

 private:
  std::optional<std::string_view> find(const char* key, bool required);

  // Keys as written (a key with an escape matches nothing), values as text. When a key repeats,
  // the last one counts, as in a parsed tree.
  std::vector<std::pair<std::string_view, std::string_view>> members_;
  std::string_view type_;
  std::optional<Error> error_;
};

// App data handed to send(): one JSON value of at most maxBytes, nested at most
// limits::kMaxAppDataDepth deep (DataInvalid otherwise). It then travels as written.
Status checkData(std::string_view text, std::size_t maxBytes);

// `value` as a JSON number's text, written the way JavaScript reads it back to the same double.
void appendNumber(std::string& out, double value);
void appendUnsigned(std::string& out, std::uint64_t value);

}  // namespace huddle::detail
