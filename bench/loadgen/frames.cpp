#include "frames.hpp"

#include <cstring>

namespace loadgen {
namespace {

// Writes a client frame header (FIN, opcode, MASK bit, length, key) to `out`; returns its size.
std::size_t writeHeader(char* out, Opcode opcode, std::size_t length, const MaskKey& mask) {
  std::size_t n = 0;
  out[n++] = static_cast<char>(0x80 | static_cast<std::uint8_t>(opcode));
  if (length < 126) {
    out[n++] = static_cast<char>(0x80 | length);
  } else if (length <= 0xFFFF) {
    out[n++] = static_cast<char>(0x80 | 126);
    out[n++] = static_cast<char>(length >> 8);
    out[n++] = static_cast<char>(length & 0xFF);
  } else {
    out[n++] = static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out[n++] = static_cast<char>((length >> shift) & 0xFF);
  }
  std::memcpy(out + n, mask.data(), 4);
  return n + 4;
}

void maskBytes(char* p, std::size_t n, std::size_t phase, const MaskKey& mask) {
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<char>(p[i] ^ mask[(phase + i) & 3]);
}

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

void appendClientFrame(std::string& out, Opcode opcode, std::string_view payload, const MaskKey& mask) {
  char header[14];
  const std::size_t h = writeHeader(header, opcode, payload.size(), mask);
  const std::size_t at = out.size();
  out.append(header, h);
  out.append(payload);
  maskBytes(out.data() + at + h, payload.size(), 0, mask);
}

void appendServerFrameHeader(std::string& out, Opcode opcode, std::size_t length) {
  char header[14];
  const std::size_t h = writeHeader(header, opcode, length, MaskKey{});
  header[1] = static_cast<char>(header[1] & 0x7F);  // no MASK bit, and no key
  out.append(header, h - 4);
}

FrameTemplate::FrameTemplate(std::string_view text, std::size_t tsPos, std::size_t seqPos, const MaskKey& mask)
    : tsPos_(tsPos), seqPos_(seqPos), mask_(mask) {
  appendClientFrame(bytes_, Opcode::Text, text, mask);
  payloadAt_ = bytes_.size() - text.size();
}

void FrameTemplate::appendTo(std::string& out, std::uint64_t tsNs, std::uint64_t seq) const {
  const std::size_t at = out.size();
  out.append(bytes_);
  char* payload = out.data() + at + payloadAt_;
  // Digits are written straight in masked form: byte k of the payload is masked with key[k % 4].
  for (int i = 0; i < 16; ++i) {
    const std::size_t k = tsPos_ + static_cast<std::size_t>(i);
    payload[k] = static_cast<char>(kHex[(tsNs >> (60 - 4 * i)) & 0xF] ^ mask_[k & 3]);
  }
  if (seqPos_ != kNone) {
    std::uint64_t v = 1000000000ULL + seq % 9000000000ULL;
    for (int i = 9; i >= 0; --i, v /= 10) {
      const std::size_t k = seqPos_ + static_cast<std::size_t>(i);
      payload[k] = static_cast<char>(('0' + v % 10) ^ mask_[k & 3]);
    }
  }
}

long parseServerFrame(char* data, std::size_t size, std::size_t maxPayload, ServerFrame& frame) {
  if (size < 2) return 0;
  const auto b0 = static_cast<std::uint8_t>(data[0]);
  const auto b1 = static_cast<std::uint8_t>(data[1]);
  std::size_t at = 2;
  std::uint64_t length = b1 & 0x7F;
  if (length == 126) {
    if (size < 4) return 0;
    length = (std::uint64_t{static_cast<std::uint8_t>(data[2])} << 8) | static_cast<std::uint8_t>(data[3]);
    at = 4;
  } else if (length == 127) {
    if (size < 10) return 0;
    length = 0;
    for (int i = 0; i < 8; ++i) length = (length << 8) | static_cast<std::uint8_t>(data[2 + i]);
    at = 10;
  }
  if (length > maxPayload) return -1;
  const bool masked = (b1 & 0x80) != 0;  // servers do not mask, but nothing forbids reading it
  MaskKey mask{};
  if (masked) {
    if (size < at + 4) return 0;
    std::memcpy(mask.data(), data + at, 4);
    at += 4;
  }
  if (size < at + length) return 0;
  if (masked) maskBytes(data + at, length, 0, mask);
  frame.opcode = static_cast<Opcode>(b0 & 0x0F);
  frame.fin = (b0 & 0x80) != 0;
  frame.payload = std::string_view(data + at, length);
  return static_cast<long>(at + length);
}

}  // namespace loadgen
