#include "detail/json_fields.hpp"

#include <limits>

#include "huddle/limits.hpp"

namespace huddle::detail {
namespace {

const json kNull;

}  // namespace

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

namespace {

// json::parse(text, nullptr, false) without its other half: json::parse builds nlohmann's DOM
// parser both with and without a callback into every program that calls it, and the Wasm client
// would carry the callback one unused (6 KB). Same parser, same result: a discarded value when the
// text is not exactly one JSON value.
json parseJson(std::string_view text) {
  json result;
  nlohmann::detail::json_sax_dom_parser<json> dom(result, /*allow_exceptions_=*/false);
  auto input = nlohmann::detail::input_adapter(text.data(), text.data() + text.size());
  nlohmann::detail::parser<json, decltype(input)> parser(std::move(input), nullptr, /*allow_exceptions_=*/false);
  if (!parser.sax_parse(&dom, /*strict=*/true)) return json(json::value_t::discarded);
  return result;
}

// One JSON value of any kind, with parseFrame's size and depth guards and errors.
Result<json> parseJsonText(std::string_view text, std::size_t maxBytes, int maxDepth) {
  if (text.size() > maxBytes) {
    return Error{ErrorCode::FrameTooLarge, "frame is " + std::to_string(text.size()) +
                                               " bytes; the limit is " + std::to_string(maxBytes)};
  }
  if (nestedDeeperThan(text, maxDepth)) {
    return Error{ErrorCode::BadFrame, "JSON nested deeper than " + std::to_string(maxDepth) + " levels"};
  }
  json value = parseJson(text);
  if (value.is_discarded()) return Error{ErrorCode::BadJson, "frame is not valid JSON"};
  return value;
}

}  // namespace

Result<json> parseFrame(std::string_view text, std::size_t maxBytes) {
  auto parsed = parseJsonText(text, maxBytes, kMaxJsonDepth);
  if (!parsed) return parsed.error();
  json value = std::move(parsed).value();
  if (!value.is_object()) return Error{ErrorCode::BadFrame, "frame must be a JSON object"};
  auto t = value.find("t");
  if (t == value.end() || !t->is_string()) {
    return Error{ErrorCode::BadFrame, "frame needs a string field \"t\" naming its type"};
  }
  return value;
}

std::string dumpJson(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

void Fields::fail(const char* key, std::string_view problem) {
  if (error_) return;
  error_ = Error{ErrorCode::BadFrame, std::string(type_) + "." + key + ": " + std::string(problem)};
}

const json* Fields::find(const char* key, bool required) {
  auto it = object_.find(key);
  if (it == object_.end() || (it->is_null() && !required)) {
    if (required) fail(key, "missing");
    return nullptr;
  }
  return &*it;
}

std::string Fields::string(const char* key, std::size_t maxBytes) {
  const json* v = find(key, true);
  if (!v) return {};
  if (!v->is_string()) {
    fail(key, "expected a string");
    return {};
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > maxBytes) {
    fail(key, "longer than " + std::to_string(maxBytes) + " bytes");
    return {};
  }
  return s;
}

std::optional<std::string> Fields::optionalString(const char* key, std::size_t maxBytes) {
  if (!find(key, false)) return std::nullopt;
  return string(key, maxBytes);
}

std::uint64_t Fields::unsignedInt(const char* key) {
  const json* v = find(key, true);
  if (!v) return 0;
  // JS numbers are doubles: integers above 2^53 cannot round-trip, so they are refused.
  constexpr std::uint64_t kMaxSafe = (std::uint64_t{1} << 53) - 1;
  if (v->is_number_unsigned()) {
    auto n = v->get<std::uint64_t>();
    if (n <= kMaxSafe) return n;
  }
  fail(key, "expected an integer from 0 to 2^53-1");
  return 0;
}

std::optional<std::uint64_t> Fields::optionalUnsigned(const char* key) {
  if (!find(key, false)) return std::nullopt;
  return unsignedInt(key);
}

int Fields::integer(const char* key, int min, int max) {
  const json* v = find(key, true);
  if (!v) return min;
  if (v->is_number_integer()) {
    auto n = v->get<std::int64_t>();
    if (n >= min && n <= max) return static_cast<int>(n);
  }
  fail(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  return min;
}

std::optional<int> Fields::optionalInteger(const char* key, int min, int max) {
  if (!find(key, false)) return std::nullopt;
  return integer(key, min, max);
}

std::optional<bool> Fields::optionalBool(const char* key) {
  const json* v = find(key, false);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    fail(key, "expected true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

double Fields::number(const char* key) {
  const json* v = find(key, true);
  if (!v) return 0;
  if (!v->is_number()) {
    fail(key, "expected a number");
    return 0;
  }
  return v->get<double>();
}

const json& Fields::any(const char* key) {
  const json* v = find(key, true);
  return v ? *v : kNull;
}

const json& Fields::object(const char* key) {
  const json* v = find(key, true);
  if (v && !v->is_object()) {
    fail(key, "expected an object");
    return kNull;
  }
  return v ? *v : kNull;
}

const json* Fields::optionalObject(const char* key) {
  const json* v = find(key, false);
  if (v && !v->is_object()) {
    fail(key, "expected an object");
    return nullptr;
  }
  return v;
}

const json& Fields::array(const char* key) {
  const json* v = find(key, true);
  if (v && !v->is_array()) {
    fail(key, "expected an array");
    return kNull;
  }
  return v ? *v : kNull;
}

}  // namespace huddle::detail
