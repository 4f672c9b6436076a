#include "server/read_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace huddle::server {

boost::asio::mutable_buffer ReadBuffer::space() {
  if (capacity_ == 0) resize(kRestingBytes);
  if (size_ == capacity_) resize(capacity_ * 2);  // never hand out an empty buffer
  lastSpace_ = capacity_ - size_;
  return boost::asio::buffer(bytes_.get() + size_, lastSpace_);
}

void ReadBuffer::commit(std::size_t bytes) {
  size_ += bytes;
  lastRead_ = bytes;
}

void ReadBuffer::consume(std::size_t bytes) {
  size_ -= bytes;
  if (size_ > 0) std::memmove(bytes_.get(), bytes_.get() + bytes, size_);
}

void ReadBuffer::adapt(std::size_t frameBytes) {
  const bool filled = lastRead_ == lastSpace_;  // more may be waiting in the socket
  std::size_t want = capacity_;
  if (filled) want = std::max(want, std::min(capacity_ * 4, kBurstBytes));
  want = std::max(want, frameBytes);
  if (size_ == 0 && !filled && lastRead_ < kRestingBytes) want = kRestingBytes;  // quiet again
  if (want != capacity_) resize(want);
}

void ReadBuffer::resize(std::size_t capacity) {
  auto bytes = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ > 0) std::memcpy(bytes.get(), bytes_.get(), size_);
  bytes_ = std::move(bytes);
  capacity_ = capacity;
}

}  // namespace huddle::server
