// The relay's sending side: what is owed to members reached through the server goes out in one
// `relay` frame with a part per member, at most one frame per relayFlushMs (the first after a
// quiet spell at once), each frame filled up to the frame limit; a backlog spreads over several.
// Messages the relay carried that no ack answers within relayResendMs are sent again after a sync.
// Contract: docs/protocol.md "Relay"; why batching: docs/decisions.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "client/context.hpp"
#include "huddle/peer_message.hpp"

namespace huddle::client {

class RelayBatcher {
 public:
  explicit RelayBatcher(Context& ctx) : ctx_(ctx) {}

  // Owes `control` (an ack, ping, pong or sync) to the member of `path` on its next part. App
  // messages are never owed: the relay takes them from the path's sender queue.
  void owe(PeerPath& path, const PeerMessage& control);
  // Owes an unreliable message; when kMaxUnreliableQueuedPerPeer wait, the oldest is dropped.
  void oweUnreliable(PeerPath& path, UnreliableMessage message);
  // New messages wait in a relayed member's sender queue.
  void wake() { pending_ = true; }
  // Announce the stream and send every unacknowledged message again on the relay (after our own
  // or the member's reconnect, or when acks stall); the receiver drops what it already has.
  void restart(PeerPath& path);
  // An ack from `peer` made progress: the resend safety net starts over (or stops, when nothing
  // is left unacknowledged).
  void acked(const PeerId& peer, PeerPath& path);
  // Sends what is owed now, or arms the timer for when the pacing allows. Every entry point of
  // the client calls it last, so one call's frames for all members leave together.
  void kick();
  // Out of the room: nothing is owed any more.
  void reset();

 private:
  void flush();
  // The next frame may go in `delayMs`.
  void armFlush(double delayMs);
  void armResend(const PeerId& peer, PeerPath& path);

  Context& ctx_;
  bool pending_ = false;  // something waits for the next relay frame
  TimerId timer_ = 0;
  double lastFlushMs_ = -1e300;
  std::uint64_t seq_ = 0;
  std::size_t rotation_ = 0;  // which member goes first in the next relay frame
};

}  // namespace huddle::client
