// Turns the bytes a WebSocket client sent into whole messages and control frames: checks every
// frame (ws_frame.hpp), reassembles fragmented messages (RFC 6455 5.4), enforces the message size
// cap and validates close frames (5.5.1). Works on the caller's buffer and unmasks in place: a
// message that came in one frame (nearly all do) is handed out where it lies, without a copy. No
// sockets, so tested on its own (ws_reader_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/ws_frame.hpp"

namespace huddle::server::ws {

class MessageReader {
 public:
  struct Event {
    enum class Kind {
      NeedMore,  // nothing complete at the front: read more and call again
      Text,      // `payload` is a whole text message
      Binary,    // `payload` is a whole binary message
      Ping,      // `payload` is the ping's (answer it with a pong carrying the same bytes)
      Pong,
      Close,     // the peer's close frame: `closeCode` (0: it gave none), `payload` its reason
      Failed,    // a rule was broken (`problem` says which): fail the connection with 1002
      TooBig,    // a message grew past the cap: close with 1009
    };
    Kind kind = Kind::NeedMore;
    // Bytes of the input used, whatever the kind; the caller drops them before the next call.
    std::size_t consumed = 0;
    std::string_view payload;
    std::uint16_t closeCode = 0;
    const char* problem = nullptr;
    // NeedMore: how many bytes, counted from the first unconsumed one, the frame at the front
    // spans once its header is in (0 while the header itself is incomplete), so the caller can
    // make room for all of it.
    std::size_t frameBytes = 0;
  };

  explicit MessageReader(std::size_t maxMessageBytes) : maxMessageBytes_(maxMessageBytes) {}

  // The next message or control frame at the start of data[0, size): the connection's bytes not
  // yet consumed. Payloads are unmasked in place. A `payload` stays valid until the next call
  // and as long as the caller keeps those bytes.
  // After Failed every later call consumes everything (RFC 6455 7.1.7: no more processing of the
  // peer's data); after TooBig the reader discards data frames as after discardMessages().
  Event next(char* data, std::size_t size);

  // From now on data frames are skipped as they arrive, at any size and never buffered; control
  // frames are still reported. For after our close frame is sent, while waiting for the peer's.
  void discardMessages();

 private:
  Event fail(std::size_t size, const char* problem);

  const std::size_t maxMessageBytes_;
  std::string fragments_;          // the frames so far of an unfinished fragmented message
  std::uint64_t skipBytes_ = 0;    // payload bytes still to skip (a discarded frame)
  Opcode messageOpcode_ = Opcode::Text;  // of the unfinished message
  bool inMessage_ = false;         // a fragmented message has begun and not ended
  bool handedOutFragments_ = false;  // the last Text/Binary pointed into fragments_
  bool discarding_ = false;
  bool failed_ = false;
};

}  // namespace huddle::server::ws
