// Client frames built byte by byte for the framing tests (RFC 6455 5.2), including the broken
// ones a real client library refuses to send.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/ws_frame.hpp"

namespace huddle::test {

using WsMask = std::array<std::uint8_t, 4>;
inline constexpr WsMask kTestMask{0x37, 0xfa, 0x21, 0x3d};

struct FrameOptions {
  bool fin = true;
  bool masked = true;
  std::uint8_t rsv = 0;         // the three RSV bits, as 0..7
  int lengthForm = 0;           // 0: shortest; 7, 16 or 64: that length field, minimal or not
  WsMask mask = kTestMask;
};

// One client frame: `opcode` is the raw 4-bit value so that reserved opcodes can be sent too.
inline std::string clientFrame(std::uint8_t opcode, std::string_view payload, FrameOptions o = {}) {
  std::string out;
  out += static_cast<char>((o.fin ? 0x80 : 0) | (o.rsv << 4) | (opcode & 0x0F));
  const std::uint64_t n = payload.size();
  int form = o.lengthForm;
  if (form == 0) form = n < 126 ? 7 : n <= 0xFFFF ? 16 : 64;
  const char maskBit = o.masked ? static_cast<char>(0x80) : 0;
  if (form == 7) {
    out += static_cast<char>(maskBit | static_cast<char>(n));
  } else if (form == 16) {
    out += static_cast<char>(maskBit | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(maskBit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  }
  if (o.masked) out.append(reinterpret_cast<const char*>(o.mask.data()), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out += o.masked ? static_cast<char>(payload[i] ^ static_cast<char>(o.mask[i & 3])) : payload[i];
  return out;
}

inline std::string clientFrame(server::ws::Opcode opcode, std::string_view payload, FrameOptions o = {}) {
  return clientFrame(static_cast<std::uint8_t>(opcode), payload, o);
}

// A close frame's body: the code, big-endian, then the reason.
inline std::string closeBody(std::uint16_t code, std::string_view reason = "") {
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)} + std::string(reason);
}

}  // namespace huddle::test
