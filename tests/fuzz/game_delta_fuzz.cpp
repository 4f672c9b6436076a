// Game states and deltas (huddle/game_state.hpp). The input is lines: a state A, a state B, and a
// delta D from a peer. When A and B are states, applyDelta(A, diff(A, B)) is B (same text, same
// hash), and a foreign D applied to A gives a canonical state or a clear error, never a crash.
#include <string_view>

#include "fuzz_check.hpp"
#include "huddle/game_state.hpp"

namespace {
std::string_view line(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string_view out = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
  return out;
}

bool isCanonical(const huddle::GameText& text) {
  auto again = huddle::canonicalGameValue(text, text.size() * 2, "state");
  return again.ok() && again.value() == text;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  std::string_view rest = fuzz::asText(data, size);
  auto a = parseState(line(rest));
  auto b = parseState(line(rest));
  if (!a.ok()) return 0;
  if (b.ok()) {
    auto made = applyDelta(a.value(), diff(a.value(), b.value()));
    HUDDLE_FUZZ_CHECK(made.ok());
    HUDDLE_FUZZ_CHECK(made.value() == b.value());
    HUDDLE_FUZZ_CHECK(stateHash(made.value()) == stateHash(b.value()));
    // What interpolation writes is canonical text again (a state members may diff against).
    HUDDLE_FUZZ_CHECK(isCanonical(interpolate(a.value(), b.value(), 0.5)));
  }
  auto delta = parseState(line(rest));  // a delta is an object too
  if (delta.ok()) {
    auto applied = applyDelta(a.value(), delta.value());
    // A foreign delta, once canonical, gives a canonical state or a clear error.
    if (applied.ok()) HUDDLE_FUZZ_CHECK(isCanonical(applied.value()));
  }
  return 0;
}
