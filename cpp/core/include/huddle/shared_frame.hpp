// One encoded server frame, immutable and reference-counted: a broadcast builds its text once and
// every recipient's Outgoing (and, in huddle-server, every send queue) holds the same bytes. The
// count and the bytes live in one allocation, and the hot frames are written straight into it
// (FrameWriter), so forwarding a message allocates once. (Hand-rolled rather than
// make_shared<char[]>: Emscripten's libc++ has no array form.)
#pragma once

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace huddle {

class SharedFrame {
 public:
  SharedFrame() = default;
  // Implicit on purpose: every encode(...) result becomes a frame where an Outgoing is built.
  SharedFrame(const std::string& text) : SharedFrame(std::string_view(text)) {}
  explicit SharedFrame(std::string_view text) : block_(allocate(text.size())) {
    if (!text.empty()) std::memcpy(bytes(), text.data(), text.size());
  }
  SharedFrame(const SharedFrame& other) noexcept : block_(other.block_) {
    if (block_) block_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  SharedFrame(SharedFrame&& other) noexcept : block_(std::exchange(other.block_, nullptr)) {}
  SharedFrame& operator=(SharedFrame other) noexcept {
    std::swap(block_, other.block_);
    return *this;
  }
  ~SharedFrame() {
    if (block_ && block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      block_->~Block();
      ::operator delete(block_);
    }
  }

  std::string_view view() const { return block_ ? std::string_view(bytes(), block_->size) : std::string_view{}; }
  operator std::string_view() const { return view(); }
  const char* data() const { return block_ ? bytes() : nullptr; }
  std::size_t size() const { return block_ ? block_->size : 0; }
  // Recipients holding these bytes (1 for a frame to one connection).
  long holders() const { return block_ ? block_->refs.load(std::memory_order_relaxed) : 0; }

  friend std::ostream& operator<<(std::ostream& os, const SharedFrame& f) { return os << f.view(); }

 private:
  friend class FrameWriter;
  // The bytes follow the header in the same allocation.
  struct Block {
    std::atomic<long> refs;
    std::size_t size;
  };

  static Block* allocate(std::size_t size) { return new (::operator new(sizeof(Block) + size)) Block{{1}, size}; }
  char* bytes() const { return reinterpret_cast<char*>(block_ + 1); }

  Block* block_ = nullptr;
};

// Writes a frame of at most `capacity` bytes in place; done() hands it over.
class FrameWriter {
 public:
  explicit FrameWriter(std::size_t capacity) : capacity_(capacity) { frame_.block_ = SharedFrame::allocate(capacity); }

  FrameWriter& append(std::string_view text) {
    std::size_t n = std::min(text.size(), capacity_ - size_);
    std::memcpy(frame_.bytes() + size_, text.data(), n);
    size_ += n;
    return *this;
  }
  SharedFrame done() && {
    frame_.block_->size = size_;
    return std::move(frame_);
  }

 private:
  SharedFrame frame_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace huddle
