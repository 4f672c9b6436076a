// A WebSocket connection's read buffer. Most connections are quiet most of the time, so it rests
// small; it grows when a read fills it (a burst: the next read can take more at once) or when the
// frame at its front needs more room, and it shrinks back once a read finds little and no partial
// frame is left.
//
// Why a buffer per connection rather than one per thread behind async_wait(wait_read) and a
// non-blocking read: Asio re-arms the descriptor with epoll_ctl(MOD) on every async_wait
// (epoll_reactor::start_op, non-speculative path), a syscall per read on top of the read itself.
// async_read_some tries the read at once instead: under load it usually finds data and skips the
// trip through epoll; on a quiet connection it costs one recv that finds nothing, no more than
// the epoll_ctl would. The price is these few hundred idle bytes.
#pragma once

#include <cstddef>
#include <memory>

#include <boost/asio/buffer.hpp>

namespace huddle::server {

class ReadBuffer {
 public:
  // Size while the connection is quiet: a few small frames.
  static constexpr std::size_t kRestingBytes = 512;
  // Bursts grow the buffer up to this; one frame larger than it still gets room for all of it.
  static constexpr std::size_t kBurstBytes = 64 * 1024;

  char* data() { return bytes_.get(); }
  // Bytes read and not consumed yet (a partial frame, or frames not handled yet).
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }

  // Where the next read goes: all the free room after the held bytes (allocated on first use).
  boost::asio::mutable_buffer space();
  // `bytes` were read into space().
  void commit(std::size_t bytes);
  // Drops the first `bytes` (handled frames); what is left moves to the front.
  void consume(std::size_t bytes);
  // After the bytes of a read were handled: `frameBytes` is what the frame now at the front needs
  // in all (0: unknown, or nothing held).
  void adapt(std::size_t frameBytes);

 private:
  void resize(std::size_t capacity);

  std::unique_ptr<char[]> bytes_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::size_t lastSpace_ = 0;  // room the last read was given
  std::size_t lastRead_ = 0;   // bytes it brought
};

}  // namespace huddle::server
