// The direct link's sending side, RelayBatcher's counterpart for the data channel: when each frame
// to a member goes out over its link, and with what. To a member that reads batches (its sync
// said so):
// - the first frame of a turn of the platform's event loop goes at once; a second one in the same
//   turn starts a burst: it and what follows until a timer of 0 ms fires are held and go as one
//   link message, or as few as fit a frame: an app sending in a loop costs the data channel a
//   message per 64 KiB, not one per send, and a reply costs no timer task;
// - the cumulative ack owed goes with the next link message to the member (a reply, a pong), or
//   alone after ackDelayMs, or at once after kAckAfterMessages messages or kAckAfterBytes bytes
//   since the last one, so a sender waiting in room.ready() never waits on our timer.
// To a member that does not (a version before batches), every frame goes alone and at once, acks
// included. Contract: docs/protocol.md "On a link: batches and acks that ride along".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "client/context.hpp"

namespace huddle::client {

class LinkBatcher {
 public:
  explicit LinkBatcher(Context& ctx) : ctx_(ctx) {}

  enum class When {
    Burst,  // an app message: at once when it starts a burst, else with the rest of it
    Now,    // a ping or pong: at once (with whatever is held), its timing is what it measures
  };
  // `frame` to the member of `path` over its open link.
  void send(const PeerId& peer, PeerPath& path, std::string frame, When when);
  // A message from the member, taken: owes it the cumulative ack `seq` (settleAck decides when).
  void oweAck(PeerPath& path, std::uint64_t seq);
  // A link message from the member delivered messages we now owe an ack for (path.linkOut.ack):
  // sends it, or lets it wait for a frame to ride along. `bytes`: the link message's size.
  void settleAck(const PeerId& peer, PeerPath& path, std::size_t bytes);
  // The member starts a new stream: the ack owed counts the old one's messages, and would
  // acknowledge the new one's unseen.
  void forgetAck(PeerPath& path);
  // The link is down: what is held never goes (the streams resend it over the next path).
  void drop(PeerPath& path);

 private:
  // Appends `frame` to what is held, sending that first when both would not fit one frame.
  void hold(const PeerId& peer, PeerPath& path, std::string frame);
  // Sends what is held, with the ack owed.
  void release(const PeerId& peer, PeerPath& path);

  Context& ctx_;
};

}  // namespace huddle::client
