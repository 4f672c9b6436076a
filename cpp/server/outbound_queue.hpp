// A WebSocket connection's outgoing frames: those waiting, and those of the one write in flight.
// A write takes every waiting frame (up to kMaxWriteFrames / kMaxWriteBytes) as one gather write:
// per frame a small header and the payload where it already lies (a SharedFrame, which a
// broadcast's recipients share), so a burst of N frames is one writev, not N writes.
// Not thread-safe: the session uses it on its strand only.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include <boost/asio/buffer.hpp>

#include "huddle/shared_frame.hpp"
#include "server/ws_frame.hpp"

namespace huddle::server {

class OutboundQueue {
 public:
  // Two buffers per frame (header, payload): 32 frames fill the 64 buffers Asio passes to one
  // writev (buffer_sequence_adapter::max_buffers); more would cost a second syscall anyway.
  static constexpr std::size_t kMaxWriteFrames = 32;
  // A write stops adding frames past this many bytes, so one connection's backlog does not keep
  // its strand busy copying into the kernel for long.
  static constexpr std::size_t kMaxWriteBytes = 256 * 1024;

  // Frames and payload bytes held: waiting plus in flight (what the session's bounds apply to).
  std::size_t frames() const { return waiting_.size() + (write_ ? write_->frames.size() : 0); }
  std::size_t bytes() const { return bytes_; }
  bool writing() const { return writing_; }
  bool hasWaiting() const { return !waiting_.empty(); }

  void push(ws::Opcode opcode, SharedFrame payload);
  // Forgets the waiting frames; the write in flight keeps its own until endWrite().
  void dropWaiting();

  // Starts a write: moves the first waiting frames into it and returns its buffers, which stay
  // valid until endWrite(). Call only when hasWaiting() and not writing().
  std::span<const boost::asio::const_buffer> beginWrite();
  // The write in flight is over (done or failed): its frames are released. Returns true when it
  // carried a close frame.
  bool endWrite();

 private:
  struct Frame {
    SharedFrame payload;
    ws::Opcode opcode = ws::Opcode::Text;
  };
  // Everything one write needs to stay alive while the kernel copies it.
  struct Write {
    std::vector<Frame> frames;
    std::array<char, kMaxWriteFrames * ws::kMaxServerHeaderBytes> headers;
    std::array<boost::asio::const_buffer, 2 * kMaxWriteFrames> buffers;
    std::size_t bufferCount = 0;
    std::size_t payloadBytes = 0;
  };

  std::vector<Frame> waiting_;
  // Allocated while the connection is writing; freed when it falls quiet (idle connections are
  // most of them, and these ~1.4 KiB would be most of their memory).
  std::unique_ptr<Write> write_;
  std::size_t bytes_ = 0;
  bool writing_ = false;
};

}  // namespace huddle::server
