// Exactly-once, in-order delivery over one sender->receiver stream: the sender numbers messages
// and keeps them until acknowledged; the receiver delivers each seq once, in order, buffering a
// bounded number that arrive early. Transport-agnostic: the same stream survives a transport
// switch because seq belongs to the pair of members, not to the link.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/limits.hpp"
#include "huddle/peer_message.hpp"

namespace huddle {

class ReliableSender {
 public:
  // `epoch` names this stream (non-zero, random per sender so that a reloaded page's new stream
  // is told apart from its old one).
  explicit ReliableSender(std::uint64_t epoch = 1, std::size_t capacity = limits::kMaxUnackedPerPeer)
      : epoch_(epoch), capacity_(capacity) {}

  bool hasRoom() const { return unacked_.size() < capacity_; }
  // Assigns the next seq and keeps a copy until acknowledged. Fails with SendQueueFull. `bytes`
  // is what the message weighs on the wire (its data as sent), counted in queuedBytes().
  Result<AppMessage> push(AppMessage message, std::size_t bytes = 0);
  // Drops everything with seq <= ack.seq and returns it (in seq order). Acks for seqs never sent
  // are ignored (returns nothing) so a confused peer cannot clear the queue.
  std::vector<AppMessage> acknowledge(std::uint64_t ackSeq);
  // Messages sent but not yet acknowledged, oldest first.
  const std::deque<AppMessage>& unacked() const { return unacked_; }
  std::uint64_t lastSeq() const { return nextSeq_ - 1; }
  // The bytes of app data not yet acknowledged.
  std::size_t queuedBytes() const { return queuedBytes_; }
  std::size_t capacity() const { return capacity_; }
  // What to announce when a transport opens: the epoch and the oldest seq not acknowledged (the
  // next one to be assigned when all are).
  StreamSync sync() const { return {epoch_, unacked_.empty() ? nextSeq_ : unacked_.front().seq}; }
  std::uint64_t epoch() const { return epoch_; }

 private:
  std::uint64_t epoch_;
  std::size_t capacity_;
  std::uint64_t nextSeq_ = 1;
  std::deque<AppMessage> unacked_;
  std::deque<std::size_t> sizes_;  // each unacked message's bytes, in the same order
  std::size_t queuedBytes_ = 0;
};

class ReliableReceiver {
 public:
  explicit ReliableReceiver(std::size_t window = limits::kMaxReorderPerPeer) : window_(window) {}

  struct Outcome {
    std::vector<AppMessage> deliver;  // now deliverable, in order
    bool duplicate = false;           // already delivered or already buffered
    std::uint64_t ack = 0;            // cumulative ack to send back (0: nothing delivered yet)
  };
  // Fails with ProtocolViolation when seq is 0 or further ahead than the reorder window.
  Result<Outcome> accept(AppMessage message);
  // A sender announced its stream. Another epoch than the known one is a new stream: start over
  // at sync.seq (what was buffered from the old stream is dropped; the old sender is gone). The
  // same epoch changes nothing, except that a sender claiming to have moved past messages never
  // delivered here is a protocol violation (reported; the receiver then follows it).
  Status sync(const StreamSync& sync);
  std::uint64_t delivered() const { return nextExpected_ - 1; }
  std::uint64_t epoch() const { return epoch_; }

 private:
  std::size_t window_;
  std::uint64_t epoch_ = 0;  // 0: no sync seen yet
  std::uint64_t nextExpected_ = 1;
  std::map<std::uint64_t, AppMessage> early_;
};

}  // namespace huddle
