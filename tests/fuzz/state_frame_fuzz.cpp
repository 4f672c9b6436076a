// Room state messages (docs/protocol.md "Room state") as they arrive from another member: a frame
// or a batch of frames. What decodes encodes to frames that decode again to the same text: a copy
// never re-sends a frame its peers would refuse, nor one that means something else; and the
// frames of a batch, put back in a batch by StateOutbox, decode to the same frames.
#include "fuzz_check.hpp"
#include "huddle/limits.hpp"
#include "huddle/state_frames.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  auto frames = state::decodeStateMessage(fuzz::asText(data, size));
  if (!frames.ok()) return 0;
  state::StateOutbox outbox(limits::kMaxFrameBytes);
  std::vector<std::string> texts;
  for (const auto& frame : frames.value()) {
    const std::string once = state::encodeStateFrame(frame);
    auto again = state::decodeStateFrame(once);
    HUDDLE_FUZZ_CHECK(again.ok());
    HUDDLE_FUZZ_CHECK(state::encodeStateFrame(again.value()) == once);
    texts.push_back(once);
    outbox.add("P", once);
  }
  std::size_t at = 0;
  for (const auto& message : outbox.take()) {
    auto back = state::decodeStateMessage(message.text);
    HUDDLE_FUZZ_CHECK(back.ok());
    for (const auto& frame : back.value()) {
      HUDDLE_FUZZ_CHECK(at < texts.size() && state::encodeStateFrame(frame) == texts[at]);
      ++at;
    }
  }
  HUDDLE_FUZZ_CHECK(at == texts.size());
  return 0;
}
