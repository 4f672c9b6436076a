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
    (void)wire::kindOf(text);
    (void)wire::safeInteger(text);
    if (wire::kindOf(text) == wire::JsonKind::String) {
      std::string unquoted = wire::unquote(text);
      std::optional<std::string_view> plain = wire::plainString(text);
      if (plain) HUDDLE_FUZZ_CHECK(*plain == unquoted);
      HUDDLE_FUZZ_CHECK(nlohmann::json::parse(text).get<std::string>() == unquoted);
    }
  }
  (void)wire::utf8Length(text.data(), text.data() + text.size());
  return 0;
}
