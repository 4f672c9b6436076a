// The Hub's decoder of client frames: any text gives a ClientMessage or a clear error, and what
// decodes encodes again to text that decodes (the client's encoder and the server's decoder agree).
#include "fuzz_check.hpp"
#include "huddle/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  Result<ClientMessage> decoded = decodeClientMessage(fuzz::asText(data, size));
  if (!decoded.ok()) {
    HUDDLE_FUZZ_CHECK(!decoded.error().message.empty());
    return 0;
  }
  std::string again = encode(decoded.value());
  HUDDLE_FUZZ_CHECK(decodeClientMessage(again).ok());
  return 0;
}
