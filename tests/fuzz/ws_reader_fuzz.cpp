// huddle-server's WebSocket message reader behind its read buffer, driven as a session drives
// them (websocket_session.cpp, handleFrames): bytes arrive in reads of the sizes the input's
// first bytes pick, events are taken until NeedMore, a failure discards and carries on. It must
// never read outside the buffer, never hand out a message over the cap, and never spin.
#include <algorithm>
#include <cstring>

#include "fuzz_check.hpp"
#include "server/read_buffer.hpp"
#include "server/ws_reader.hpp"

namespace {
constexpr std::size_t kCap = 1000;  // small, so fuzzed frames reach it
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace huddle::server;
  using Kind = ws::MessageReader::Event::Kind;
  if (size < 1) return 0;
  const std::size_t readSize = 1 + data[0] % 64u;  // how much each read brings at most
  data += 1;
  size -= 1;
  ReadBuffer buffer;
  ws::MessageReader reader(kCap);
  bool closed = false;
  std::size_t offset = 0;
  while (offset < size && !closed) {
    boost::asio::mutable_buffer space = buffer.space();
    std::size_t n = std::min({readSize, space.size(), size - offset});
    HUDDLE_FUZZ_CHECK(n > 0);
    std::memcpy(space.data(), data + offset, n);
    offset += n;
    buffer.commit(n);
    std::size_t at = 0;
    for (std::size_t events = 0;; ++events) {
      HUDDLE_FUZZ_CHECK(events <= buffer.size() + 2);  // every event but the last consumes something
      auto event = reader.next(buffer.data() + at, buffer.size() - at);
      HUDDLE_FUZZ_CHECK(event.consumed <= buffer.size() - at);
      at += event.consumed;
      if (event.kind == Kind::NeedMore) {
        buffer.consume(at);
        buffer.adapt(event.frameBytes);
        break;
      }
      if (event.kind == Kind::Text || event.kind == Kind::Binary) HUDDLE_FUZZ_CHECK(event.payload.size() <= kCap);
      if (event.kind == Kind::Ping || event.kind == Kind::Pong) {
        HUDDLE_FUZZ_CHECK(event.payload.size() <= ws::kMaxControlPayload);
      }
      if (event.kind == Kind::Failed) HUDDLE_FUZZ_CHECK(event.problem != nullptr);
      if (event.kind == Kind::Failed || event.kind == Kind::TooBig) reader.discardMessages();
      if (event.kind == Kind::Close) {
        closed = true;
        break;
      }
      // Touch the payload: ASan reports a view into freed or foreign memory here.
      volatile char sink = 0;
      for (char c : event.payload) sink = static_cast<char>(sink ^ c);
      (void)sink;
    }
  }
  return 0;
}
