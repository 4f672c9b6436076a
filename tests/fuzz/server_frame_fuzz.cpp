// The client's decoder of server frames (it runs in every browser, fed by whatever answers on
// /ws): any text gives a ServerMessage or a clear error, and what decodes encodes and decodes again.
#include "fuzz_check.hpp"
#include "huddle/codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  Result<ServerMessage> decoded = decodeServerMessage(fuzz::asText(data, size));
  if (!decoded.ok()) {
    HUDDLE_FUZZ_CHECK(!decoded.error().message.empty());
    return 0;
  }
  std::string again = encode(decoded.value());
  HUDDLE_FUZZ_CHECK(decodeServerMessage(again).ok());
  return 0;
}
