// The message reader on its own: whole messages out of frames however the bytes arrive,
// fragments reassembled, control frames in between, and every rule that fails a connection.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/ws_reader.hpp"
#include "ws_test_frames.hpp"

namespace huddle::test {
namespace {

using namespace server::ws;
using Kind = MessageReader::Event::Kind;

constexpr std::size_t kCap = 1000;

struct Seen {
  Kind kind;
  std::string payload;
  std::uint16_t code = 0;
};

// Plays a connection: bytes arrive `chunk` at a time into a buffer; after each arrival the reader
// is called until it needs more, and what it used is dropped, as the session does.
class Feeder {
 public:
  explicit Feeder(std::size_t cap = kCap) : reader_(cap) {}

  std::vector<Seen> feed(const std::string& bytes, std::size_t chunk = 0) {
    std::vector<Seen> seen;
    if (chunk == 0) chunk = bytes.size();
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
      buffer_ += bytes.substr(at, chunk);
      drain(seen);
    }
    return seen;
  }
  MessageReader& reader() { return reader_; }
  const std::string& held() const { return buffer_; }
  std::size_t lastFrameBytes() const { return lastFrameBytes_; }

 private:
  void drain(std::vector<Seen>& seen) {
    std::size_t at = 0;
    for (;;) {
      auto event = reader_.next(buffer_.data() + at, buffer_.size() - at);
      at += event.consumed;
      if (event.kind == Kind::NeedMore) {
        lastFrameBytes_ = event.frameBytes;
        break;
      }
      seen.push_back({event.kind, std::string(event.payload), event.closeCode});
    }
    buffer_.erase(0, at);
  }

  MessageReader reader_;
  std::string buffer_;
  std::size_t lastFrameBytes_ = 0;
};

std::string text(std::string_view payload, FrameOptions o = {}) { return clientFrame(Opcode::Text, payload, o); }

TEST(WsReader, OneTextFrameIsOneMessage) {
  Feeder f;
  auto seen = f.feed(text("{\"t\":\"ping\"}"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::Text);
  EXPECT_EQ(seen[0].payload, "{\"t\":\"ping\"}");
  EXPECT_TRUE(f.held().empty());
}

TEST(WsReader, EveryFrameOfOneReadIsHandled) {
  Feeder f;
  std::string bytes;
  for (int i = 0; i < 50; ++i) bytes += text("message " + std::to_string(i));
  bytes += clientFrame(Opcode::Binary, "\x01\x02");
  auto seen = f.feed(bytes);
  ASSERT_EQ(seen.size(), 51u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)].payload, "message " + std::to_string(i));
  EXPECT_EQ(seen[50].kind, Kind::Binary);
}

TEST(WsReader, FramesSplitAcrossReadsAtEveryPoint) {
  std::string bytes = text("first") + text(std::string(300, 'm')) + clientFrame(Opcode::Ping, "pp") +
                      text(std::string(70, 'z'));
  for (std::size_t chunk : {1u, 2u, 3u, 5u, 7u, 64u, 301u}) {
    Feeder f;
    auto seen = f.feed(bytes, chunk);
    ASSERT_EQ(seen.size(), 4u) << chunk;
    EXPECT_EQ(seen[0].payload, "first");
    EXPECT_EQ(seen[1].payload, std::string(300, 'm'));
    EXPECT_EQ(seen[2].kind, Kind::Ping);
    EXPECT_EQ(seen[2].payload, "pp");
    EXPECT_EQ(seen[3].payload, std::string(70, 'z'));
    EXPECT_TRUE(f.held().empty());
  }
}

TEST(WsReader, AnIncompleteFrameSaysHowBigItIs) {
  Feeder f;
  const std::string frame = text(std::string(500, 'q'));
  EXPECT_TRUE(f.feed(frame.substr(0, 1)).empty());
  EXPECT_EQ(f.lastFrameBytes(), 0u);  // header incomplete
  EXPECT_TRUE(f.feed(frame.substr(1, 100)).empty());
  EXPECT_EQ(f.lastFrameBytes(), frame.size());
  EXPECT_EQ(f.held().size(), 101u);  // nothing consumed while the frame is incomplete
  EXPECT_EQ(f.feed(frame.substr(101)).size(), 1u);
}

TEST(WsReader, FragmentsAreReassembledWithControlFramesInBetween) {
  Feeder f;
  auto seen = f.feed(text("Hel", {.fin = false}) + clientFrame(Opcode::Ping, "x") +
                     clientFrame(Opcode::Continuation, "lo, ", {.fin = false}) + clientFrame(Opcode::Pong, "") +
                     clientFrame(Opcode::Continuation, "world") + text("next"));
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].kind, Kind::Ping);
  EXPECT_EQ(seen[1].kind, Kind::Pong);
  EXPECT_EQ(seen[2].kind, Kind::Text);
  EXPECT_EQ(seen[2].payload, "Hello, world");
  EXPECT_EQ(seen[3].payload, "next");
}

TEST(WsReader, FragmentedBinaryStaysBinary) {
  Feeder f;
  auto seen = f.feed(clientFrame(Opcode::Binary, "ab", {.fin = false}) + clientFrame(Opcode::Continuation, "cd"), 3);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::Binary);
  EXPECT_EQ(seen[0].payload, "abcd");
}

TEST(WsReader, ContinuationOutsideAMessageFails) {
  Feeder f;
  auto seen = f.feed(clientFrame(Opcode::Continuation, "x"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::Failed);
}

TEST(WsReader, NewMessageBeforeTheLastEndedFails) {
  Feeder f;
  auto seen = f.feed(text("a", {.fin = false}) + text("b"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::Failed);
}

TEST(WsReader, BrokenHeaderFailsAndNothingAfterItIsRead) {
  for (const std::string& bad : {text("x", {.masked = false}), text("x", {.rsv = 4}), clientFrame(3, ""),
                                 clientFrame(Opcode::Ping, "x", {.fin = false}),
                                 clientFrame(Opcode::Ping, std::string(126, 'p'))}) {
    Feeder f;
    auto seen = f.feed(text("before") + bad + text("after") + clientFrame(Opcode::Close, closeBody(1000)));
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].payload, "before");
    EXPECT_EQ(seen[1].kind, Kind::Failed);
    EXPECT_TRUE(f.held().empty());  // swallowed
    EXPECT_TRUE(f.feed(text("later")).empty());
  }
}

TEST(WsReader, CloseFrames) {
  {
    Feeder f;
    auto seen = f.feed(clientFrame(Opcode::Close, closeBody(4000, "bye")));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, Kind::Close);
    EXPECT_EQ(seen[0].code, 4000);
    EXPECT_EQ(seen[0].payload, "bye");
  }
  {
    Feeder f;
    auto seen = f.feed(clientFrame(Opcode::Close, ""));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, Kind::Close);
    EXPECT_EQ(seen[0].code, 0);
  }
  for (const std::string& body : {std::string("\x03"), closeBody(1005), closeBody(999), closeBody(2000)}) {
    Feeder f;
    auto seen = f.feed(clientFrame(Opcode::Close, body));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, Kind::Failed);
  }
}

TEST(WsReader, MessageUpToTheCapIsRead) {
  Feeder f;
  auto seen = f.feed(text(std::string(kCap, 'c')));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].payload.size(), kCap);
}

TEST(WsReader, FrameOverTheCapIsRefusedAtItsHeaderAndSkipped) {
  Feeder f;
  const std::string big = text(std::string(kCap + 1, 'c'));
  // Only the header has arrived: refused already.
  auto seen = f.feed(big.substr(0, 8));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::TooBig);
  // The rest of it, and further messages, are skipped; the peer's close still comes through.
  seen = f.feed(big.substr(8) + text("ignored") + clientFrame(Opcode::Close, closeBody(1000)), 100);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::Close);
  EXPECT_TRUE(f.held().empty());
}

TEST(WsReader, FragmentedMessageOverTheCapIsRefusedAtTheFragmentThatCrossesIt) {
  Feeder f;
  auto seen = f.feed(text(std::string(kCap / 2, 'a'), {.fin = false}) +
                     clientFrame(Opcode::Continuation, std::string(kCap / 2, 'b'), {.fin = false}));
  EXPECT_TRUE(seen.empty());
  seen = f.feed(clientFrame(Opcode::Continuation, "c"));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, Kind::TooBig);
}

TEST(WsReader, DiscardingSkipsDataOfAnySizeButReportsControlFrames) {
  Feeder f(10);
  f.reader().discardMessages();
  auto seen = f.feed(text(std::string(5000, 'x')) + clientFrame(Opcode::Ping, "p") +
                         clientFrame(Opcode::Binary, "b", {.fin = false}) + clientFrame(Opcode::Continuation, "c") +
                         clientFrame(Opcode::Close, closeBody(1001)),
                     512);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, Kind::Ping);
  EXPECT_EQ(seen[1].kind, Kind::Close);
  EXPECT_EQ(seen[1].code, 1001);
}

}  // namespace
}  // namespace huddle::test
