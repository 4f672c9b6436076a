// The relay's sending side: what is owed to members reached through the server goes out in one
// `relay` frame with a part per member, each frame filled up to the frame limit; a backlog spreads
// over several. Frames are paced by two token buckets within a share of the server's limits
// (welcome's `rate`): a short burst (a reply, an ack) goes at once, sustained traffic is held to
// the rate. An ack with nothing else to carry it waits ackDelayMs for a reply to ride along.
// Messages the relay carried that no ack answers within relayResendMs are sent again after a sync.
// Contract: docs/protocol.md "Relay"; why batching: docs/decisions.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "client/context.hpp"
#include "huddle/message.hpp"
#include "huddle/peer_message.hpp"
#include "huddle/rate_limit.hpp"

namespace huddle::client {

class RelayBatcher {
 public:
  explicit RelayBatcher(Context& ctx);

  // The server's limits (from welcome): the relay keeps within its share of them, leaving the
  // rest for signaling.
  void limit(const RateLimits& server);
  // Owes `control` (an ack, ping, pong or sync) to the member of `path` on its next part. App
  // messages are never owed: the relay takes them from the path's sender queue.
  void owe(PeerPath& path, const PeerMessage& control);
  // Owes an unreliable message; when kMaxUnreliableQueuedPerPeer wait, the oldest is dropped.
  void oweUnreliable(PeerPath& path, PeerMessage message);
  // New messages wait in a relayed member's sender queue.
  void wake() { pending_ = true; }
  // Announce the stream and send every unacknowledged message again on the relay (after our own
  // or the member's reconnect, or when acks stall); the receiver drops what it already has.
  void restart(PeerPath& path);
  // An ack from `peer` made progress: the resend safety net starts over (or stops, when nothing
  // is left unacknowledged).
  void acked(const PeerId& peer, PeerPath& path);
  // Sends what is owed as far as the pacing allows now, and arms the timer for the rest. Every
  // entry point of the client calls it last, so one call's frames for all members leave together.
  void kick();
  // Out of the room: nothing is owed any more.
  void reset();

 private:
  // Builds and sends one frame of at most `budget` bytes; false when nothing fit.
  bool flush(std::size_t budget);
  // Nothing is owed but acks (no message, sync, ping, pong or unreliable message).
  bool onlyAcksOwed() const;
  // The next kick is due in `delayMs` (the earlier of this and one already armed).
  void armFlush(double delayMs);
  void armResend(const PeerId& peer, PeerPath& path);

  Context& ctx_;
  bool pending_ = false;  // something waits for the next relay frame
  TimerId timer_ = 0;
  double timerDueMs_ = 0;
  double ackOwedSinceMs_ = -1;  // when a lone ack began to wait; < 0: none waits
  RateLimiter frames_;
  RateLimiter bytes_;
  RateLimiter relayBytes_;  // what the server sends for us, counting every recipient
  std::uint64_t seq_ = 0;
  std::size_t rotation_ = 0;  // which member goes first in the next relay frame
};

}  // namespace huddle::client
