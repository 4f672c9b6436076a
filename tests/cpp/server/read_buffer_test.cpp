// The read buffer rests small, grows for bursts and big frames, and shrinks back when quiet.
#include <algorithm>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "server/read_buffer.hpp"

namespace huddle::test {
namespace {

using server::ReadBuffer;

// Pretends a read brought `n` bytes (at most the room offered).
std::size_t readInto(ReadBuffer& b, std::size_t n) {
  auto space = b.space();
  n = std::min(n, space.size());
  std::memset(space.data(), 'r', n);
  b.commit(n);
  return n;
}

TEST(ReadBuffer, RestsSmallAndGrowsWhenAReadFillsIt) {
  ReadBuffer b;
  EXPECT_EQ(b.space().size(), ReadBuffer::kRestingBytes);
  readInto(b, 100000);  // a burst: the read filled the buffer
  b.consume(b.size());
  b.adapt(0);
  EXPECT_EQ(b.capacity(), 4 * ReadBuffer::kRestingBytes);
  for (int i = 0; i < 10; ++i) {
    readInto(b, 1000000);
    b.consume(b.size());
    b.adapt(0);
  }
  EXPECT_EQ(b.capacity(), ReadBuffer::kBurstBytes);
}

TEST(ReadBuffer, ShrinksWhenQuietAgain) {
  ReadBuffer b;
  readInto(b, 100000);
  b.consume(b.size());
  b.adapt(0);
  ASSERT_GT(b.capacity(), ReadBuffer::kRestingBytes);
  readInto(b, 40);
  b.consume(b.size());
  b.adapt(0);
  EXPECT_EQ(b.capacity(), ReadBuffer::kRestingBytes);
}

TEST(ReadBuffer, MakesRoomForAWholeFrameAndKeepsItsStart) {
  ReadBuffer b;
  readInto(b, 300);
  std::memcpy(b.data() + 100, "head", 4);
  b.consume(100);  // two frames handled; a 200-byte start of a 200000-byte frame remains
  b.adapt(200000);
  EXPECT_GE(b.capacity(), 200000u);
  EXPECT_EQ(b.size(), 200u);
  EXPECT_EQ(std::string(b.data(), 4), "head");
  EXPECT_EQ(b.space().size(), b.capacity() - 200);
}

}  // namespace
}  // namespace huddle::test
