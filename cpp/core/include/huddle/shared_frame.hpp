// One encoded server frame, immutable and reference-counted: a broadcast builds its text once and
// every recipient's Outgoing (and, in huddle-server, every send queue) holds the same bytes.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace huddle {

class SharedFrame {
 public:
  SharedFrame() = default;
  // Implicit on purpose: every encode(...) result becomes a frame where an Outgoing is built.
  SharedFrame(std::string text) : text_(std::make_shared<const std::string>(std::move(text))) {}

  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view{}; }
  operator std::string_view() const { return view(); }
  const char* data() const { return view().data(); }
  std::size_t size() const { return text_ ? text_->size() : 0; }
  // Recipients holding these bytes (1 for a frame to one connection).
  long holders() const { return text_.use_count(); }

  friend std::ostream& operator<<(std::ostream& os, const SharedFrame& f) { return os << f.view(); }

 private:
  std::shared_ptr<const std::string> text_;
};

}  // namespace huddle
