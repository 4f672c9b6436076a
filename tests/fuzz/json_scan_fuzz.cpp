// The strict JSON validator every frame passes first, and its helpers. Whatever it accepts,
// nlohmann/json (an independent parser) must accept too.
#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "wire/json_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  std::string_view text = fuzz::asText(data, size);
  wire::JsonMembers top;
  bool strict = wire::isStrictJson(text, 64, &top);
  if (strict) {
    HUDDLE_FUZZ_CHECK(nlohmann::json::accept(text));
    // The helpers take a value as the cursor hands it out: without the whitespace around it.
    std::size_t first = text.find_first_not_of(" \t\r\n");
    std::size_t last = text.find_last_not_of(" \t\r\n");
    std::string_view value = text.substr(first, last - first + 1);
    (void)wire::safeInteger(value);
    if (wire::kindOf(value) == wire::JsonKind::String) {
      std::string unquoted = wire::unquote(value);
      std::optional<std::string_view> plain = wire::plainString(value);
      if (plain) HUDDLE_FUZZ_CHECK(*plain == unquoted);
      HUDDLE_FUZZ_CHECK(nlohmann::json::parse(value).get<std::string>() == unquoted);
    }
  }
  (void)wire::utf8Length(text.data(), text.data() + text.size());
  return 0;
}
