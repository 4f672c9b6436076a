// Reading JSON text without building a tree, for the server's hot path (wire/route.hpp): a strict
// validator, then a cursor that walks the validated text and hands back values as the bytes they
// arrived as. What the validator accepts is never more than nlohmann/json accepts (the codec's
// decoder), so a frame it passes decodes the same way through either; where it is unsure (a UTF-8
// byte-order mark, say) it refuses and the caller takes the full decoder.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace huddle::wire {

// The members of a top-level object as the validator met them, so that a reader need not walk
// the text again: keys without quotes (still escaped), values as written. At most kCap; when the
// object has more, `complete` is false and the reader walks it with JsonCursor.
struct JsonMembers {
  static constexpr std::size_t kCap = 16;
  std::array<std::string_view, kCap> keys{};
  std::array<std::string_view, kCap> values{};
  std::size_t count = 0;
  bool complete = true;
};

// One JSON value (RFC 8259) and nothing else but whitespace: grammar, strings of valid UTF-8
// without control characters, escapes (\u surrogates paired), numbers a double can hold, and
// arrays/objects nested at most maxDepth deep. When the value is an object and `top` is given,
// its members are recorded there.
bool isStrictJson(std::string_view text, int maxDepth, JsonMembers* top = nullptr);

enum class JsonKind { Object, Array, String, Number, True, False, Null };

// The first byte of a value names its kind.
JsonKind kindOf(std::string_view value);

// Walks the members of an object or the elements of an array in text that isStrictJson passed.
// Strings come back with their quotes; keys without them (still escaped).
class JsonCursor {
 public:
  // `container` is one whole object or array value.
  explicit JsonCursor(std::string_view container);

  // The next member of an object: false at its end.
  bool nextMember(std::string_view& key, std::string_view& value);
  // The next element of an array: false at its end.
  bool nextElement(std::string_view& value);

 private:
  void skipSpace();
  std::size_t valueEnd(std::size_t from) const;

  std::string_view text_;
  std::size_t pos_ = 1;  // past the opening bracket
};

// A string value's contents when it holds no escapes (the common case: ids, kinds); nullopt when
// it has one (the caller then takes the full decoder) or is not a string.
std::optional<std::string_view> plainString(std::string_view value);

// A string value's contents with its escapes decoded, as UTF-8 (valid text: isStrictJson passed
// it); "" for anything that is not a string.
std::string unquote(std::string_view value);

// The length of the UTF-8 sequence for one code point at `p` (RFC 3629: no overlong forms, no
// surrogates, at most U+10FFFF); 0 when the bytes there are not one.
std::size_t utf8Length(const char* p, const char* end);

// An integer value written as plain digits (no sign, fraction or exponent) up to 2^53-1, the
// integers JavaScript numbers hold exactly; nullopt for anything else.
std::optional<std::uint64_t> safeInteger(std::string_view value);

}  // namespace huddle::wire
