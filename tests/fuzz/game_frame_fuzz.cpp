// Game sync frames (docs/protocol.md "Game sync"), gi and gs, as they arrive from another member.
// What decodes encodes to a frame that decodes again to the same text.
#include <variant>

#include "fuzz_check.hpp"
#include "huddle/game_frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  auto frame = decodeGameFrame(fuzz::asText(data, size));
  if (!frame.ok()) return 0;
  auto write = [](const GameFrame& f) { return std::visit([](const auto& m) { return encode(m); }, f); };
  const std::string once = write(frame.value());
  auto again = decodeGameFrame(once);
  HUDDLE_FUZZ_CHECK(again.ok());
  HUDDLE_FUZZ_CHECK(write(again.value()) == once);
  return 0;
}
