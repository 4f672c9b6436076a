#include "client/link_batcher.hpp"

#include <algorithm>

#include "huddle/limits.hpp"
#include "huddle/peer_message.hpp"

namespace huddle::client {
namespace {

constexpr std::size_t kAckAfterMessages = 16;
constexpr std::size_t kAckAfterBytes = 256 * 1024;

}  // namespace

void LinkBatcher::send(const PeerId& peer, PeerPath& path, std::string frame, When when) {
  LinkOutbox& out = path.linkOut;
  if (!path.batches) {
    if (out.ack) release(peer, path);  // (the ack alone: nothing is held for such a member)
    return ctx_.port.sendOnLink(peer, frame);
  }
  hold(peer, path, std::move(frame));
  if (when == When::Now) return release(peer, path);
  if (out.burstTimer) return;  // goes when the burst ends
  if (out.turnTimer) {
    // The second frame of this turn: a burst. It and what follows go when a 0 ms timer fires.
    out.burstTimer = ctx_.timers.start(0, [this, peer] {
      PeerPath* p = ctx_.path(peer);
      if (!p) return;
      p->linkOut.burstTimer = 0;
      release(peer, *p);
    });
    return;
  }
  // The first frame of a turn goes at once. Only a second one in the same turn costs a 0 ms timer
  // (a task of its own): a ping-pong's replies never do, and end their turn with a microtask.
  release(peer, path);
  out.turnTimer = ctx_.timers.start(kEndOfTurn, [this, peer] {
    if (PeerPath* p = ctx_.path(peer)) p->linkOut.turnTimer = 0;
  });
}

void LinkBatcher::oweAck(PeerPath& path, std::uint64_t seq) {
  path.linkOut.ack = std::max(path.linkOut.ack, seq);
  ++path.linkOut.ackMessages;
}

void LinkBatcher::settleAck(const PeerId& peer, PeerPath& path, std::size_t bytes) {
  LinkOutbox& out = path.linkOut;
  out.ackBytes += bytes;
  if (!path.batches || out.ackMessages >= kAckAfterMessages || out.ackBytes >= kAckAfterBytes) {
    return release(peer, path);
  }
  if (out.ackTimer) return;
  out.ackTimer = ctx_.timers.start(ctx_.config.ackDelayMs, [this, peer] {
    PeerPath* p = ctx_.path(peer);
    if (!p) return;
    p->linkOut.ackTimer = 0;
    if (p->link.state == LinkState::Connected) release(peer, *p);
  });
}

void LinkBatcher::forgetAck(PeerPath& path) {
  LinkOutbox& out = path.linkOut;
  ctx_.timers.cancel(out.ackTimer);
  out.ack = 0;
  out.ackMessages = 0;
  out.ackBytes = 0;
}

void LinkBatcher::drop(PeerPath& path) {
  LinkOutbox& out = path.linkOut;
  ctx_.timers.cancel(out.burstTimer);
  ctx_.timers.cancel(out.turnTimer);
  out.held.clear();
  out.heldFrames = 0;
}

void LinkBatcher::hold(const PeerId& peer, PeerPath& path, std::string frame) {
  LinkOutbox& out = path.linkOut;
  // Held: one frame as itself, or "[f1,f2,..." to be closed by release().
  if (out.heldFrames > 0 &&
      (out.held.size() + frame.size() + 3 > limits::kMaxFrameBytes || out.heldFrames == kMaxFramesPerBatch)) {
    release(peer, path);
  }
  if (out.heldFrames == 0) {
    out.held = std::move(frame);
  } else {
    if (out.heldFrames == 1) out.held.insert(out.held.begin(), '[');
    out.held += ',';
    out.held += frame;
  }
  ++out.heldFrames;
}

void LinkBatcher::release(const PeerId& peer, PeerPath& path) {
  LinkOutbox& out = path.linkOut;
  if (out.ack) {
    std::string ack = encode(Ack{out.ack});
    forgetAck(path);
    if (!path.batches) {
      ctx_.port.sendOnLink(peer, ack);
    } else {
      hold(peer, path, std::move(ack));
    }
  }
  if (out.heldFrames == 0) return;
  if (out.heldFrames > 1) out.held += ']';
  std::string text = std::move(out.held);
  out.held.clear();
  out.heldFrames = 0;
  ctx_.port.sendOnLink(peer, text);
}

}  // namespace huddle::client
