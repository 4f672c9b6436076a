// Room state frames (docs/protocol.md "Room state") as they arrive from another member. What
// decodes encodes to a frame that decodes again to the same text: a copy never re-sends a frame
// its peers would refuse, nor one that means something else.
#include "fuzz_check.hpp"
#include "huddle/state_frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  auto frame = state::decodeStateFrame(fuzz::asText(data, size));
  if (!frame.ok()) return 0;
  const std::string once = state::encodeStateFrame(frame.value());
  auto again = state::decodeStateFrame(once);
  HUDDLE_FUZZ_CHECK(again.ok());
  HUDDLE_FUZZ_CHECK(state::encodeStateFrame(again.value()) == once);
  return 0;
}
