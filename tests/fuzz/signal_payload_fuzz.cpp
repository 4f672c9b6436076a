// The signal payload (offer, answer, ICE candidate) inside signal frames, read by the Hub and by
// the client. The reader gets validated JSON, as its callers give it; what it reads writes and
// reads back the same.
#include "detail/signal_payload.hpp"
#include "detail/text_fields.hpp"
#include "fuzz_check.hpp"
#include "wire/json_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle;
  std::string_view text = fuzz::asText(data, size);
  if (!wire::isStrictJson(text, detail::kMaxJsonDepth)) return 0;
  detail::TextFields outer(std::string_view("{}"));
  SignalPayload payload = detail::readSignalPayload(text, outer);
  if (!outer.ok()) return 0;
  std::string written = detail::writeSignalPayload(payload);
  detail::TextFields again(std::string_view("{}"));
  SignalPayload reread = detail::readSignalPayload(written, again);
  HUDDLE_FUZZ_CHECK(again.ok());
  HUDDLE_FUZZ_CHECK(detail::writeSignalPayload(reread) == written);
  return 0;
}
