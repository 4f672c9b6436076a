#include "server/ws_frame.hpp"

#include <cstring>

namespace huddle::server::ws {
namespace {

std::uint8_t byteAt(const char* data, std::size_t i) { return static_cast<std::uint8_t>(data[i]); }

bool isKnownOpcode(std::uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

}  // namespace

HeaderStatus parseClientHeader(const char* data, std::size_t size, ClientHeader& header, const char*& problem) {
  if (size < 2) return HeaderStatus::NeedMore;
  const std::uint8_t b0 = byteAt(data, 0);
  const std::uint8_t b1 = byteAt(data, 1);
  // The rules the first two bytes can break are checked before waiting for more: a broken frame
  // fails at once, whatever follows it.
  if ((b0 & 0x70) != 0) {
    problem = "reserved bits set (no extension was negotiated)";
    return HeaderStatus::Invalid;
  }
  if (!isKnownOpcode(b0 & 0x0F)) {
    problem = "reserved opcode";
    return HeaderStatus::Invalid;
  }
  if ((b1 & 0x80) == 0) {
    problem = "unmasked client frame";
    return HeaderStatus::Invalid;
  }
  header.fin = (b0 & 0x80) != 0;
  header.opcode = static_cast<Opcode>(b0 & 0x0F);
  const std::uint8_t length7 = b1 & 0x7F;
  if (isControl(header.opcode)) {
    if (!header.fin) {
      problem = "fragmented control frame";
      return HeaderStatus::Invalid;
    }
    if (length7 > kMaxControlPayload) {
      problem = "control frame over 125 bytes";
      return HeaderStatus::Invalid;
    }
  }

  std::size_t at = 2;
  std::uint64_t length = length7;
  if (length7 == 126) {
    if (size < 4) return HeaderStatus::NeedMore;
    length = (std::uint64_t{byteAt(data, 2)} << 8) | byteAt(data, 3);
    at = 4;
    if (length < 126) {
      problem = "payload length not in its shortest form";
      return HeaderStatus::Invalid;
    }
  } else if (length7 == 127) {
    if (size < 10) return HeaderStatus::NeedMore;
    length = 0;
    for (std::size_t i = 2; i < 10; ++i) length = (length << 8) | byteAt(data, i);
    at = 10;
    if ((length >> 63) != 0) {
      problem = "payload length with its top bit set";
      return HeaderStatus::Invalid;
    }
    if (length <= 0xFFFF) {
      problem = "payload length not in its shortest form";
      return HeaderStatus::Invalid;
    }
  }
  if (size < at + 4) return HeaderStatus::NeedMore;
  std::memcpy(&header.mask, data + at, 4);
  header.payloadBytes = length;
  header.headerBytes = at + 4;
  return HeaderStatus::Complete;
}

std::size_t writeServerHeader(char* out, Opcode opcode, std::size_t payloadBytes) {
  out[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (payloadBytes < 126) {
    out[1] = static_cast<char>(payloadBytes);
    return 2;
  }
  if (payloadBytes <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<char>(payloadBytes >> 8);
    out[3] = static_cast<char>(payloadBytes & 0xFF);
    return 4;
  }
  out[1] = 127;
  const auto length = static_cast<std::uint64_t>(payloadBytes);
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>((length >> (56 - 8 * i)) & 0xFF);
  return 10;
}

void unmask(char* data, std::size_t size, std::uint32_t mask) {
  // Eight bytes at a time: the key repeats every four bytes, so two copies of it in memory order
  // line up with any 8-byte block that starts at a multiple of four from the payload's start.
  std::uint64_t wide = 0;
  std::memcpy(&wide, &mask, 4);
  std::memcpy(reinterpret_cast<char*>(&wide) + 4, &mask, 4);
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t block;
    std::memcpy(&block, data + i, 8);
    block ^= wide;
    std::memcpy(data + i, &block, 8);
  }
  const auto* key = reinterpret_cast<const unsigned char*>(&mask);
  for (; i < size; ++i) data[i] = static_cast<char>(static_cast<unsigned char>(data[i]) ^ key[i & 3]);
}

bool isValidCloseCode(std::uint16_t code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

std::string closePayload(std::uint16_t code, std::string_view reason) {
  if (code == 0) return {};
  std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  payload += reason.substr(0, 123);
  return payload;
}

}  // namespace huddle::server::ws
