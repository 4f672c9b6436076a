// RFC 6455 framing as huddle-server speaks it after the opening handshake: the header of a client
// frame, read and checked (section 5.2), the header of a server frame, written, and the payload
// mask. Pure functions on bytes, no sockets, so every rule is tested on its own (ws_frame_test.cpp).
// Messages made of several frames are ws_reader.hpp's concern.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace huddle::server::ws {

// Frame opcodes (RFC 6455 5.2). 3-7 and 0xB-0xF are reserved: a frame using one fails the connection.
enum class Opcode : std::uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

inline bool isControl(Opcode op) { return (static_cast<std::uint8_t>(op) & 0x8) != 0; }

// Close codes huddle-server sends (RFC 6455 7.4.1).
inline constexpr std::uint16_t kCloseProtocolError = 1002;
inline constexpr std::uint16_t kCloseTooBig = 1009;

// Largest control frame payload (RFC 6455 5.5).
inline constexpr std::size_t kMaxControlPayload = 125;
// Largest server frame header: 2 bytes and a 64-bit length; server frames carry no mask.
inline constexpr std::size_t kMaxServerHeaderBytes = 10;

// A client frame's header, once all of it has arrived.
struct ClientHeader {
  bool fin = false;
  Opcode opcode = Opcode::Text;
  std::uint64_t payloadBytes = 0;
  std::uint32_t mask = 0;        // the masking key as it lies in memory (4 bytes, network order)
  std::size_t headerBytes = 0;   // 6, 8 or 14: where the payload starts
};

// What parseClientHeader found.
enum class HeaderStatus {
  Complete,      // `header` is filled in
  NeedMore,      // the header is not all there yet
  Invalid,       // the frame breaks a rule; `problem` says which (the connection fails with 1002)
};

// Reads the header of the client frame at data[0, size). Checks what the header alone can show:
// RSV bits clear (no extension is ever negotiated), a known opcode, the MASK bit set (every
// client frame is masked, 5.1), control frames final and at most 125 bytes (5.5), the length in
// its shortest form with the 64-bit form's top bit clear (5.2). Message-level rules (fragment
// order, the message size cap) are the reader's.
HeaderStatus parseClientHeader(const char* data, std::size_t size, ClientHeader& header, const char*& problem);

// Writes the header of a final, unmasked server frame with a payload of `payloadBytes` to `out`
// (room for kMaxServerHeaderBytes); returns its size: 2, 4 or 10 bytes.
std::size_t writeServerHeader(char* out, Opcode opcode, std::size_t payloadBytes);

// XORs `size` bytes at `data` with `mask` (as in ClientHeader), starting at the mask's first byte.
void unmask(char* data, std::size_t size, std::uint32_t mask);

// True for a close code a peer may send (RFC 6455 7.4.1 and 7.4.2, IANA registry): 1000-1003,
// 1007-1014 and 3000-4999. 1005, 1006 and 1015 are only ever reported, never sent.
bool isValidCloseCode(std::uint16_t code);

// The payload of a close frame with `code`: two bytes, big-endian, then `reason` (UTF-8, cut to
// the 123 bytes a control frame leaves it, RFC 6455 5.5); empty for 0 (no code, which is how an
// endpoint answers a close frame that carried none).
std::string closePayload(std::uint16_t code, std::string_view reason = {});

}  // namespace huddle::server::ws
