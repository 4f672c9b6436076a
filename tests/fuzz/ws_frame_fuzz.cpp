// huddle-server's parser of client WebSocket frame headers, and the helpers around it: a header
// either needs more bytes, is refused with a reason, or says where its payload starts.
#include <cstring>
#include <string>

#include "fuzz_check.hpp"
#include "server/ws_frame.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle::server::ws;
  const char* bytes = reinterpret_cast<const char*>(data);
  ClientHeader header;
  const char* problem = nullptr;
  HeaderStatus status = parseClientHeader(bytes, size, header, problem);
  if (status == HeaderStatus::Invalid) HUDDLE_FUZZ_CHECK(problem != nullptr && *problem != '\0');
  if (status == HeaderStatus::Complete) {
    HUDDLE_FUZZ_CHECK(header.headerBytes == 6 || header.headerBytes == 8 || header.headerBytes == 14);
    HUDDLE_FUZZ_CHECK(header.headerBytes <= size);
    if (isControl(header.opcode)) HUDDLE_FUZZ_CHECK(header.fin && header.payloadBytes <= kMaxControlPayload);
    std::string payload(bytes + header.headerBytes, size - header.headerBytes);
    unmask(payload.data(), payload.size(), header.mask);
    unmask(payload.data(), payload.size(), header.mask);  // masking twice gives the bytes back
    HUDDLE_FUZZ_CHECK(std::memcmp(payload.data(), bytes + header.headerBytes, payload.size()) == 0);
    char out[kMaxServerHeaderBytes];
    HUDDLE_FUZZ_CHECK(writeServerHeader(out, header.opcode, payload.size()) <= kMaxServerHeaderBytes);
  }
  if (size >= 2) {
    auto code = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
    if (isValidCloseCode(code)) {
      std::string close = closePayload(code, std::string_view(bytes, size).substr(2));
      HUDDLE_FUZZ_CHECK(close.size() <= kMaxControlPayload);
    }
  }
  return 0;
}
