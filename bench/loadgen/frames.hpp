// The generator's own RFC 6455 framing, used after Beast has done the opening handshake.
//
// Why not Beast's websocket::stream for the traffic: it writes one message per async_write and
// reads one per async_read. The generator must drive 150k+ messages/s while sharing two cores
// with the server it measures, so it appends many ready-made frames to one buffer per connection
// and sends them with one write, and parses every frame a read returned in one pass.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

// WebSocket opcodes (RFC 6455 section 5.2).
enum class Opcode : std::uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// A client frame's masking key. RFC 6455 5.3: every client frame is masked; the server unmasks
// with whatever key the frame carries. One random key per connection is enough for a server.
using MaskKey = std::array<std::uint8_t, 4>;

// Appends one complete, masked, final client frame carrying `payload` to `out`.
void appendClientFrame(std::string& out, Opcode opcode, std::string_view payload, const MaskKey& mask);

// Appends the header of an unmasked (server) frame whose payload of `length` bytes follows.
void appendServerFrameHeader(std::string& out, Opcode opcode, std::size_t length);

// A client text frame built once, of which each send appends a copy with the send time (16 hex
// digits of steady-clock ns) and, when the protocol has one, a 10-digit seq written in. Nothing
// else changes between sends, so a send is a memcpy and a few masked byte stores.
class FrameTemplate {
 public:
  static constexpr std::size_t kNone = std::string::npos;

  FrameTemplate() = default;
  // `text` is the unmasked JSON; `tsPos` / `seqPos` are where in it the 16 ts digits and the
  // 10 seq digits go (kNone: no seq).
  FrameTemplate(std::string_view text, std::size_t tsPos, std::size_t seqPos, const MaskKey& mask);

  // Appends the frame with `tsNs` and `seq` written in. seq is shown as 1000000000 + seq mod 9e9:
  // always 10 digits (JSON forbids leading zeros) and a valid non-negative integer.
  void appendTo(std::string& out, std::uint64_t tsNs, std::uint64_t seq) const;

  std::size_t size() const { return bytes_.size(); }

 private:
  std::string bytes_;           // the whole masked frame
  std::size_t payloadAt_ = 0;   // where the payload starts in bytes_ (the mask's phase counts from here)
  std::size_t tsPos_ = kNone;   // in the payload
  std::size_t seqPos_ = kNone;  // in the payload
  MaskKey mask_{};
};

// One frame from the server, payload unmasked in place.
struct ServerFrame {
  Opcode opcode = Opcode::Text;
  bool fin = true;
  std::string_view payload;
};

// Parses the frame at the start of data[0, size). Returns the bytes it spans, 0 when more bytes
// are needed, or -1 when the frame is unusable (a length over `maxPayload`).
long parseServerFrame(char* data, std::size_t size, std::size_t maxPayload, ServerFrame& frame);

}  // namespace loadgen
