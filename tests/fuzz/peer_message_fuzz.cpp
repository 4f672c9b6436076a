// Peer frames and link messages as they arrive on a data channel or through the relay: one
// message, a batch, or either (decodeLinkMessage). What decodes encodes and decodes again.
#include "fuzz_check.hpp"
#include "huddle/peer_message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  std::string_view text = fuzz::asText(data, size);
  Result<PeerMessage> one = decodePeerMessage(text);
  if (one.ok()) HUDDLE_FUZZ_CHECK(decodePeerMessage(encode(one.value())).ok());
  Result<std::vector<PeerMessage>> batch = decodeBatch(text);
  if (batch.ok()) HUDDLE_FUZZ_CHECK(!batch.value().empty());
  Result<std::vector<PeerMessage>> link = decodeLinkMessage(text);
  if (link.ok()) {
    HUDDLE_FUZZ_CHECK(!link.value().empty());
    for (const PeerMessage& m : link.value()) HUDDLE_FUZZ_CHECK(decodePeerMessage(encode(m)).ok());
  }
  return 0;
}
