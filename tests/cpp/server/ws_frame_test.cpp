// RFC 6455 framing on its own: client headers read and checked, server headers written, masks.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "server/ws_frame.hpp"
#include "ws_test_frames.hpp"

namespace huddle::test {
namespace {

using namespace server::ws;

struct Parsed {
  HeaderStatus status;
  ClientHeader header;
  std::string problem;
};

Parsed parse(const std::string& bytes) {
  Parsed p{};
  const char* problem = nullptr;
  p.status = parseClientHeader(bytes.data(), bytes.size(), p.header, problem);
  if (problem) p.problem = problem;
  return p;
}

TEST(WsFrame, MaskedHeadersWithEachLengthForm) {
  for (std::size_t n : {0u, 1u, 125u, 126u, 65535u, 65536u, 200000u}) {
    const std::string frame = clientFrame(Opcode::Text, std::string(n, 'x'));
    const auto p = parse(frame);
    ASSERT_EQ(p.status, HeaderStatus::Complete) << n;
    EXPECT_TRUE(p.header.fin);
    EXPECT_EQ(p.header.opcode, Opcode::Text);
    EXPECT_EQ(p.header.payloadBytes, n);
    EXPECT_EQ(p.header.headerBytes, (n < 126 ? 2u : n <= 0xFFFF ? 4u : 10u) + 4u) << n;
    EXPECT_EQ(p.header.headerBytes + n, frame.size());
  }
}

TEST(WsFrame, EveryShorterPrefixOfAHeaderNeedsMore) {
  for (std::size_t n : {5u, 300u, 70000u}) {
    const std::string frame = clientFrame(Opcode::Binary, std::string(n, 'y'));
    const std::size_t headerBytes = parse(frame).header.headerBytes;
    for (std::size_t cut = 0; cut < headerBytes; ++cut)
      EXPECT_EQ(parse(frame.substr(0, cut)).status, HeaderStatus::NeedMore) << n << " cut at " << cut;
    // The header alone is enough: the payload is not the header parser's business.
    EXPECT_EQ(parse(frame.substr(0, headerBytes)).status, HeaderStatus::Complete);
  }
}

TEST(WsFrame, FinAndOpcodeAndMaskAreRead) {
  const auto p = parse(clientFrame(Opcode::Continuation, "ab", {.fin = false, .mask = {1, 2, 3, 4}}));
  ASSERT_EQ(p.status, HeaderStatus::Complete);
  EXPECT_FALSE(p.header.fin);
  EXPECT_EQ(p.header.opcode, Opcode::Continuation);
  char bytes[4];
  std::memcpy(bytes, &p.header.mask, 4);
  EXPECT_EQ(std::string(bytes, 4), std::string("\x01\x02\x03\x04", 4));
}

TEST(WsFrame, UnmaskedClientFrameIsInvalid) {
  const auto p = parse(clientFrame(Opcode::Text, "hi", {.masked = false}));
  EXPECT_EQ(p.status, HeaderStatus::Invalid);
  EXPECT_EQ(p.problem, "unmasked client frame");
}

TEST(WsFrame, ReservedBitsAreInvalid) {
  for (int rsv : {1, 2, 4, 7}) {
    const auto p = parse(clientFrame(Opcode::Text, "hi", {.rsv = static_cast<std::uint8_t>(rsv)}));
    EXPECT_EQ(p.status, HeaderStatus::Invalid) << rsv;
  }
}

TEST(WsFrame, ReservedOpcodesAreInvalid) {
  for (int op : {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
    const auto p = parse(clientFrame(static_cast<std::uint8_t>(op), ""));
    EXPECT_EQ(p.status, HeaderStatus::Invalid) << op;
    EXPECT_EQ(p.problem, "reserved opcode");
  }
}

TEST(WsFrame, ControlFramesMustBeFinalAndShort) {
  EXPECT_EQ(parse(clientFrame(Opcode::Ping, std::string(125, 'p'))).status, HeaderStatus::Complete);
  EXPECT_EQ(parse(clientFrame(Opcode::Ping, std::string(126, 'p'))).status, HeaderStatus::Invalid);
  EXPECT_EQ(parse(clientFrame(Opcode::Close, std::string(200, 'c'))).status, HeaderStatus::Invalid);
  // Invalid from the first two bytes on: no need to wait for the rest.
  EXPECT_EQ(parse(clientFrame(Opcode::Pong, std::string(126, 'p')).substr(0, 2)).status, HeaderStatus::Invalid);
  const auto fragmented = parse(clientFrame(Opcode::Ping, "x", {.fin = false}));
  EXPECT_EQ(fragmented.status, HeaderStatus::Invalid);
  EXPECT_EQ(fragmented.problem, "fragmented control frame");
}

TEST(WsFrame, LengthsNotInTheirShortestFormAreInvalid) {
  EXPECT_EQ(parse(clientFrame(Opcode::Text, "short", {.lengthForm = 16})).status, HeaderStatus::Invalid);
  EXPECT_EQ(parse(clientFrame(Opcode::Text, std::string(300, 'x'), {.lengthForm = 64})).status,
            HeaderStatus::Invalid);
  EXPECT_EQ(parse(clientFrame(Opcode::Text, std::string(126, 'x'), {.lengthForm = 16})).status,
            HeaderStatus::Complete);
}

TEST(WsFrame, SixtyFourBitLengthWithTheTopBitSetIsInvalid) {
  std::string frame = "\x81\xFF";
  frame += std::string("\x80\x00\x00\x00\x00\x01\x00\x00", 8);
  frame += "mask";
  const auto p = parse(frame);
  EXPECT_EQ(p.status, HeaderStatus::Invalid);
  EXPECT_EQ(p.problem, "payload length with its top bit set");
}

TEST(WsFrame, ServerHeadersUseTheShortestLengthAndNoMask) {
  char out[kMaxServerHeaderBytes];
  ASSERT_EQ(writeServerHeader(out, Opcode::Text, 0), 2u);
  EXPECT_EQ(std::string(out, 2), std::string("\x81\x00", 2));
  ASSERT_EQ(writeServerHeader(out, Opcode::Text, 125), 2u);
  EXPECT_EQ(std::string(out, 2), "\x81\x7D");
  ASSERT_EQ(writeServerHeader(out, Opcode::Close, 126), 4u);
  EXPECT_EQ(std::string(out, 4), std::string("\x88\x7E\x00\x7E", 4));
  ASSERT_EQ(writeServerHeader(out, Opcode::Text, 65535), 4u);
  EXPECT_EQ(std::string(out, 4), "\x81\x7E\xFF\xFF");
  ASSERT_EQ(writeServerHeader(out, Opcode::Pong, 65536), 10u);
  EXPECT_EQ(std::string(out, 10), std::string("\x8A\x7F\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}

TEST(WsFrame, UnmaskRestoresThePayloadAtEverySize) {
  for (std::size_t n = 0; n < 40; ++n) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) text += static_cast<char>('a' + i % 26);
    std::string frame = clientFrame(Opcode::Text, text);
    const auto p = parse(frame);
    ASSERT_EQ(p.status, HeaderStatus::Complete);
    unmask(frame.data() + p.header.headerBytes, n, p.header.mask);
    EXPECT_EQ(frame.substr(p.header.headerBytes), text) << n;
  }
}

TEST(WsFrame, CloseCodesAndBodies) {
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1014, 3000, 4999})
    EXPECT_TRUE(isValidCloseCode(static_cast<std::uint16_t>(code))) << code;
  for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
    EXPECT_FALSE(isValidCloseCode(static_cast<std::uint16_t>(code))) << code;
  EXPECT_EQ(closePayload(1009), "\x03\xF1");
  EXPECT_EQ(closePayload(0), "");
  EXPECT_EQ(closePayload(1008, "no hello"), "\x03\xF0no hello");
  EXPECT_EQ(closePayload(1008, std::string(200, 'x')).size(), 125u);  // a control frame's payload limit
}

}  // namespace
}  // namespace huddle::test
