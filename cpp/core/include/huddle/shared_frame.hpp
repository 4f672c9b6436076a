// One encoded server frame, immutable and reference-counted: a broadcast builds its text once and
// every recipient's Outgoing (and, in huddle-server, every send queue) holds the same bytes. The
// bytes and their count live in one allocation; the hot frames are written straight into it
// (FrameWriter), so forwarding a message allocates once.
#pragma once

#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace huddle {

class SharedFrame {
 public:
  SharedFrame() = default;
  // Implicit on purpose: every encode(...) result becomes a frame where an Outgoing is built.
  SharedFrame(const std::string& text) : SharedFrame(std::string_view(text)) {}
  explicit SharedFrame(std::string_view text) : bytes_(allocate(text.size())), size_(text.size()) {
    if (size_ > 0) std::memcpy(bytes_.get(), text.data(), size_);
  }

  std::string_view view() const { return {bytes_.get(), size_}; }
  operator std::string_view() const { return view(); }
  const char* data() const { return bytes_.get(); }
  std::size_t size() const { return size_; }
  // Recipients holding these bytes (1 for a frame to one connection).
  long holders() const { return bytes_.use_count(); }

  friend std::ostream& operator<<(std::ostream& os, const SharedFrame& f) { return os << f.view(); }

 private:
  friend class FrameWriter;
  SharedFrame(std::shared_ptr<char[]> bytes, std::size_t size) : bytes_(std::move(bytes)), size_(size) {}
  static std::shared_ptr<char[]> allocate(std::size_t size) { return std::make_shared_for_overwrite<char[]>(size); }

  std::shared_ptr<char[]> bytes_;
  std::size_t size_ = 0;
};

// Writes a frame of at most `capacity` bytes in place.
class FrameWriter {
 public:
  explicit FrameWriter(std::size_t capacity) : bytes_(SharedFrame::allocate(capacity)), capacity_(capacity) {}

  FrameWriter& append(std::string_view text) {
    std::memcpy(bytes_.get() + size_, text.data(), std::min(text.size(), capacity_ - size_));
    size_ += std::min(text.size(), capacity_ - size_);
    return *this;
  }
  SharedFrame done() && { return SharedFrame(std::move(bytes_), size_); }

 private:
  std::shared_ptr<char[]> bytes_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace huddle
