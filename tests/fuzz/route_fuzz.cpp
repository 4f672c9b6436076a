// The Hub's hot-path reader of relay, signal and ping frames: it must never read out of the text,
// and every view it returns lies inside it.
#include "fuzz_check.hpp"
#include "huddle/route.hpp"

#include <variant>

namespace {

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  std::string_view text = fuzz::asText(data, size);
  std::optional<Route> route = readRoute(text);
  if (!route) return 0;
  if (auto* relay = std::get_if<RouteRelay>(&*route)) {
    HUDDLE_FUZZ_CHECK(inside(relay->to, text) && inside(relay->data, text));
    HUDDLE_FUZZ_CHECK(relay->partCount <= relay->parts.size());
    for (std::size_t i = 0; i < relay->partCount; ++i) {
      HUDDLE_FUZZ_CHECK(inside(relay->parts[i].to, text) && inside(relay->parts[i].data, text));
    }
  } else if (auto* signal = std::get_if<RouteSignal>(&*route)) {
    HUDDLE_FUZZ_CHECK(inside(signal->to, text) && inside(signal->data, text));
  }
  return 0;
}
