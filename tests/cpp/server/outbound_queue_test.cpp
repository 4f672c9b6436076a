// The outbound queue on its own: one gather write carries every waiting frame (up to the caps),
// each as a server header plus the shared payload, and the byte count follows.
#include <string>

#include <boost/asio/buffer.hpp>
#include <gtest/gtest.h>

#include "server/outbound_queue.hpp"

namespace huddle::test {
namespace {

using server::OutboundQueue;
using server::ws::Opcode;

std::string concat(std::span<const boost::asio::const_buffer> buffers) {
  std::string out;
  for (const auto& b : buffers) out.append(static_cast<const char*>(b.data()), b.size());
  return out;
}

TEST(OutboundQueue, OneWriteCarriesEveryWaitingFrame) {
  OutboundQueue q;
  const SharedFrame shared(std::string("{\"t\":\"peer_joined\"}"));
  q.push(Opcode::Text, shared);
  q.push(Opcode::Text, SharedFrame(std::string(200, 'x')));
  q.push(Opcode::Ping, SharedFrame{});
  q.push(Opcode::Close, SharedFrame(std::string("\x03\xE9", 2)));
  EXPECT_EQ(q.frames(), 4u);
  EXPECT_EQ(q.bytes(), shared.size() + 200 + 2);

  const auto buffers = q.beginWrite();
  EXPECT_TRUE(q.writing());
  EXPECT_FALSE(q.hasWaiting());
  EXPECT_EQ(buffers.size(), 7u);  // a header each, a payload each but the ping's
  // The payload is sent from where the shared frame holds it, not copied.
  EXPECT_EQ(buffers[1].data(), static_cast<const void*>(shared.data()));
  const std::string expected = "\x81\x13" + std::string(shared.view()) + std::string("\x81\x7E\x00\xC8", 4) +
                               std::string(200, 'x') + std::string("\x89\x00", 2) + std::string("\x88\x02\x03\xE9", 4);
  EXPECT_EQ(concat(buffers), expected);

  EXPECT_EQ(q.frames(), 4u);  // in flight still counts
  EXPECT_TRUE(q.endWrite());  // it carried the close frame
  EXPECT_EQ(q.frames(), 0u);
  EXPECT_EQ(q.bytes(), 0u);
}

TEST(OutboundQueue, AWriteTakesAtMostThirtyTwoFrames) {
  OutboundQueue q;
  for (int i = 0; i < 70; ++i) q.push(Opcode::Text, SharedFrame(std::to_string(i)));
  EXPECT_EQ(q.beginWrite().size(), 2 * OutboundQueue::kMaxWriteFrames);
  q.push(Opcode::Text, SharedFrame(std::string("late")));
  EXPECT_EQ(q.frames(), 71u);
  EXPECT_FALSE(q.endWrite());
  EXPECT_EQ(q.frames(), 71u - OutboundQueue::kMaxWriteFrames);
  const std::string second = concat(q.beginWrite());
  EXPECT_EQ(second.substr(0, 4), "\x81\x02" "32");  // order kept across writes
  q.endWrite();
  const std::string third = concat(q.beginWrite());
  EXPECT_EQ(third.substr(third.size() - 4), "late");
}

TEST(OutboundQueue, AWriteStopsAtTheByteCapButTakesAtLeastOneFrame) {
  OutboundQueue q;
  q.push(Opcode::Text, SharedFrame(std::string(OutboundQueue::kMaxWriteBytes + 10, 'a')));
  q.push(Opcode::Text, SharedFrame(std::string(10, 'b')));
  EXPECT_EQ(q.beginWrite().size(), 2u);
  q.endWrite();
  EXPECT_EQ(q.beginWrite().size(), 2u);
}

TEST(OutboundQueue, DroppingKeepsTheWriteInFlight) {
  OutboundQueue q;
  q.push(Opcode::Text, SharedFrame(std::string("abc")));
  q.beginWrite();
  q.push(Opcode::Text, SharedFrame(std::string("defg")));
  q.dropWaiting();
  EXPECT_EQ(q.frames(), 1u);
  EXPECT_EQ(q.bytes(), 3u);
  q.endWrite();
  EXPECT_EQ(q.bytes(), 0u);
  EXPECT_FALSE(q.hasWaiting());
}

}  // namespace
}  // namespace huddle::test
