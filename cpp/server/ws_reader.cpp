#include "server/ws_reader.hpp"

#include <algorithm>

namespace huddle::server::ws {
namespace {

using Kind = MessageReader::Event::Kind;

Kind messageKind(Opcode opcode) { return opcode == Opcode::Binary ? Kind::Binary : Kind::Text; }

}  // namespace

void MessageReader::discardMessages() {
  discarding_ = true;
  std::string().swap(fragments_);
}

MessageReader::Event MessageReader::fail(std::size_t size, const char* problem) {
  failed_ = true;
  std::string().swap(fragments_);
  Event event;
  event.kind = Kind::Failed;
  event.problem = problem;
  event.consumed = size;
  return event;
}

MessageReader::Event MessageReader::next(char* data, std::size_t size) {
  if (handedOutFragments_) {
    // A fragmented message is rare (browsers send whole messages): give its memory back.
    std::string().swap(fragments_);
    handedOutFragments_ = false;
  }
  Event event;
  if (failed_) {
    event.consumed = size;
    return event;
  }
  std::size_t at = 0;
  for (;;) {
    if (skipBytes_ > 0) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(skipBytes_, size - at));
      skipBytes_ -= n;
      at += n;
      if (skipBytes_ > 0) break;
    }
    ClientHeader header;
    const char* problem = nullptr;
    const HeaderStatus status = parseClientHeader(data + at, size - at, header, problem);
    if (status == HeaderStatus::NeedMore) break;
    if (status == HeaderStatus::Invalid) return fail(size, problem);

    const bool control = isControl(header.opcode);
    if (!control) {
      // RFC 6455 5.4: a fragmented message is a first frame, continuations, and nothing else of
      // data in between (control frames may come in between).
      const bool continuation = header.opcode == Opcode::Continuation;
      if (continuation && !inMessage_) return fail(size, "continuation frame outside a message");
      if (!continuation && inMessage_) return fail(size, "new message before the previous one ended");
      if (discarding_) {
        inMessage_ = !header.fin;
        at += header.headerBytes;
        skipBytes_ = header.payloadBytes;
        continue;
      }
      // Checked on the header, before the payload arrives, so an oversized message is refused
      // without buffering it.
      if (header.payloadBytes > maxMessageBytes_ - fragments_.size()) {
        discardMessages();
        inMessage_ = !header.fin;
        skipBytes_ = header.payloadBytes;
        event.kind = Kind::TooBig;
        event.consumed = at + header.headerBytes;
        return event;
      }
    }

    const std::size_t frameBytes = header.headerBytes + static_cast<std::size_t>(header.payloadBytes);
    if (size - at < frameBytes) {
      event.frameBytes = frameBytes;
      break;
    }
    char* payload = data + at + header.headerBytes;
    const auto payloadBytes = static_cast<std::size_t>(header.payloadBytes);
    unmask(payload, payloadBytes, header.mask);
    at += frameBytes;
    event.consumed = at;

    if (control) {
      event.payload = std::string_view(payload, payloadBytes);
      if (header.opcode == Opcode::Ping) {
        event.kind = Kind::Ping;
      } else if (header.opcode == Opcode::Pong) {
        event.kind = Kind::Pong;
      } else {
        // RFC 6455 5.5.1: an empty body, or a 2-byte code and then a reason.
        if (payloadBytes == 1) return fail(size, "close frame with a 1-byte body");
        if (payloadBytes >= 2) {
          event.closeCode = static_cast<std::uint16_t>((static_cast<std::uint8_t>(payload[0]) << 8) |
                                                       static_cast<std::uint8_t>(payload[1]));
          if (!isValidCloseCode(event.closeCode)) return fail(size, "invalid close code");
          event.payload.remove_prefix(2);
        }
        event.kind = Kind::Close;
      }
      return event;
    }
    if (!inMessage_ && header.fin) {  // a whole message in one frame: hand it out where it lies
      event.kind = messageKind(header.opcode);
      event.payload = std::string_view(payload, payloadBytes);
      return event;
    }
    if (!inMessage_) {
      inMessage_ = true;
      messageOpcode_ = header.opcode;
    }
    fragments_.append(payload, payloadBytes);
    if (header.fin) {
      inMessage_ = false;
      handedOutFragments_ = true;
      event.kind = messageKind(messageOpcode_);
      event.payload = fragments_;
      return event;
    }
  }
  event.consumed = at;
  return event;
}

}  // namespace huddle::server::ws
