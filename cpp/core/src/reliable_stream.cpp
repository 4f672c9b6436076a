#include "huddle/reliable_stream.hpp"

namespace huddle {

Result<AppMessage> ReliableSender::push(AppMessage message, std::size_t bytes) {
  if (!hasRoom()) {
    return Error{ErrorCode::SendQueueFull,
                 "send queue full: " + std::to_string(capacity_) + " messages await acknowledgement"};
  }
  message.seq = nextSeq_++;
  unacked_.push_back(message);
  sizes_.push_back(bytes);
  queuedBytes_ += bytes;
  return message;
}

std::vector<AppMessage> ReliableSender::acknowledge(std::uint64_t ackSeq) {
  std::vector<AppMessage> acked;
  if (ackSeq >= nextSeq_) return acked;  // acknowledges something never sent: ignore it whole
  while (!unacked_.empty() && unacked_.front().seq <= ackSeq) {
    acked.push_back(std::move(unacked_.front()));
    unacked_.pop_front();
    queuedBytes_ -= sizes_.front();
    sizes_.pop_front();
  }
  return acked;
}

Status ReliableReceiver::sync(const StreamSync& sync) {
  if (sync.epoch != epoch_) {
    epoch_ = sync.epoch;
    nextExpected_ = sync.seq;
    early_.clear();
    return Ok{};
  }
  if (sync.seq <= nextExpected_) return Ok{};
  std::uint64_t skipped = sync.seq - nextExpected_;
  nextExpected_ = sync.seq;
  std::erase_if(early_, [&](const auto& kv) { return kv.first < nextExpected_; });
  return Error{ErrorCode::ProtocolViolation,
               "sender skipped " + std::to_string(skipped) + " messages this side never acknowledged"};
}

Result<ReliableReceiver::Outcome> ReliableReceiver::accept(AppMessage message) {
  Outcome outcome;
  if (message.seq == 0) return Error{ErrorCode::ProtocolViolation, "message seq must start at 1"};
  if (message.seq < nextExpected_ || early_.contains(message.seq)) {
    outcome.duplicate = true;
    outcome.ack = nextExpected_ - 1;  // re-ack so a sender that missed our ack can move on
    return outcome;
  }
  if (message.seq - nextExpected_ >= window_) {
    return Error{ErrorCode::ProtocolViolation,
                 "message seq " + std::to_string(message.seq) + " is beyond the reorder window"};
  }
  early_.emplace(message.seq, std::move(message));
  for (auto it = early_.begin(); it != early_.end() && it->first == nextExpected_; it = early_.erase(it)) {
    outcome.deliver.push_back(std::move(it->second));
    ++nextExpected_;
  }
  outcome.ack = nextExpected_ - 1;
  return outcome;
}

}  // namespace huddle
