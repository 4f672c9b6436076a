// Reading the fields of one decoded JSON object with validation. Records the first problem as
// an Error naming the frame type and field (e.g. "join.code: expected a string"), so decoders can
// read every field unconditionally and check ok() once at the end.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "huddle/error.hpp"

namespace huddle::detail {

using nlohmann::json;

// Parses text as one JSON value, refusing frames over maxBytes (FrameTooLarge), nested deeper
// than kMaxJsonDepth (BadFrame: deep nesting would exhaust the stack when re-serialized, which
// matters in Wasm), non-JSON (BadJson) and non-objects or objects without a string "t" (BadFrame).
Result<json> parseFrame(std::string_view text, std::size_t maxBytes);

// Whether the deepest array/object in text is nested deeper than maxDepth, scanning iteratively
// (strings skipped), so a hostile frame cannot recurse anything before we refuse it.
bool nestedDeeperThan(std::string_view text, int maxDepth);

// `value` as compact JSON text. Never the strict dump: where the Wasm build compiles this, nlohmann
// aborts instead of throwing on invalid UTF-8 (the `replace` handler writes U+FFFD instead).
std::string dumpJson(const json& value);

// Nesting depth limit for any JSON frame, including app data inside it.
inline constexpr int kMaxJsonDepth = 64;

class Fields {
 public:
  Fields(const json& object, std::string_view type) : object_(object), type_(type) {}

  std::string string(const char* key, std::size_t maxBytes);
  std::optional<std::string> optionalString(const char* key, std::size_t maxBytes);
  std::uint64_t unsignedInt(const char* key);
  std::optional<std::uint64_t> optionalUnsigned(const char* key);
  int integer(const char* key, int min, int max);
  std::optional<int> optionalInteger(const char* key, int min, int max);
  std::optional<bool> optionalBool(const char* key);
  double number(const char* key);
  // The raw value of a required field of any type; null json when missing.
  const json& any(const char* key);
  const json& object(const char* key);
  // An optional object field: nullptr when absent (or null), and when not an object (recorded).
  const json* optionalObject(const char* key);
  const json& array(const char* key);

  bool ok() const { return !error_; }
  const Error& error() const { return *error_; }
  void fail(const char* key, std::string_view problem);

 private:
  const json* find(const char* key, bool required);

  const json& object_;
  std::string_view type_;
  std::optional<Error> error_;
};

}  // namespace huddle::detail
