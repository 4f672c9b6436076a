#include "server/outbound_queue.hpp"

#include <algorithm>
#include <utility>

namespace huddle::server {

void OutboundQueue::push(ws::Opcode opcode, SharedFrame payload) {
  bytes_ += payload.size();
  waiting_.push_back(Frame{std::move(payload), opcode});
}

void OutboundQueue::dropWaiting() {
  for (const Frame& f : waiting_) bytes_ -= f.payload.size();
  waiting_.clear();
}

std::span<const boost::asio::const_buffer> OutboundQueue::beginWrite() {
  if (!write_) write_ = std::make_unique<Write>();
  Write& w = *write_;
  std::size_t count = 0;
  std::size_t bytes = 0;
  while (count < waiting_.size() && count < kMaxWriteFrames &&
         (count == 0 || bytes + waiting_[count].payload.size() <= kMaxWriteBytes)) {
    bytes += waiting_[count].payload.size();
    ++count;
  }
  if (count == waiting_.size()) {
    w.frames.swap(waiting_);  // the usual case: everything goes, nothing is moved
  } else {
    w.frames.assign(std::make_move_iterator(waiting_.begin()), std::make_move_iterator(waiting_.begin() + count));
    waiting_.erase(waiting_.begin(), waiting_.begin() + count);
  }
  w.bufferCount = 0;
  w.payloadBytes = bytes;
  char* header = w.headers.data();
  for (const Frame& f : w.frames) {
    const std::size_t n = ws::writeServerHeader(header, f.opcode, f.payload.size());
    w.buffers[w.bufferCount++] = boost::asio::buffer(header, n);
    if (f.payload.size() > 0) w.buffers[w.bufferCount++] = boost::asio::buffer(f.payload.data(), f.payload.size());
    header += n;
  }
  writing_ = true;
  return {w.buffers.data(), w.bufferCount};
}

bool OutboundQueue::endWrite() {
  writing_ = false;
  const bool carriedClose = std::any_of(write_->frames.begin(), write_->frames.end(),
                                        [](const Frame& f) { return f.opcode == ws::Opcode::Close; });
  bytes_ -= write_->payloadBytes;
  write_->frames.clear();
  if (waiting_.empty()) {
    write_.reset();
    std::vector<Frame>().swap(waiting_);
  }
  return carriedClose;
}

}  // namespace huddle::server
