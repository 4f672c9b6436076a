#include "client/relay_batcher.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <vector>

#include "huddle/codec.hpp"

namespace huddle::client {
namespace {

// A relay frame's text must stay under the server's frame limit. Envelope bytes are estimated
// generously: {"t":"relay","seq":N,"parts":[ ... ]} and {"to":ID,"data":[ ... ]} per part.
constexpr std::size_t kRelayEnvelopeBytes = 64;
constexpr std::size_t kRelayPartEnvelopeBytes = 32;

// What the server puts around a part's data when it hands it on, at the longest it can be: a
// sender id of kMaxPeerIdChars (an embedding site's user id) and the largest seq. A part's data
// must leave room for it, whatever our own id and the recipient's: the recipient refuses a frame
// over the limit, and its stream from us would stall for good.
std::size_t longestForwardEnvelope() {
  static const std::size_t bytes =
      encode(ServerMessage{RelayIn{PeerId(limits::kMaxPeerIdChars, 'x'), (std::uint64_t{1} << 53) - 1, false, ""}})
          .size();
  return bytes;
}

// The relay's share of the server's limits: most of the rate, half of each burst. The rest is for
// signaling (a join's offers and candidates) and for a clock that runs a little apart from the
// server's.
constexpr double kRateShare = 0.8;
constexpr double kBurstShare = 0.5;

RateLimiter framesShare(const RateLimits& r) { return {r.framesPerSecond * kRateShare, r.frameBurst * kBurstShare}; }
RateLimiter bytesShare(const RateLimits& r) {
  // Never under one largest frame, or a full frame could never go.
  double burst = std::max(r.byteBurst * kBurstShare, static_cast<double>(limits::kMaxFrameBytes));
  return {r.bytesPerSecond * kRateShare, burst};
}
// The relay bytes the server sends for us, counting every recipient (welcome's relayBytes, a limit
// per address): the same share.
RateLimiter relayBytesShare(const RateLimits& r) {
  double burst = std::max(r.relayByteBurst * kBurstShare, static_cast<double>(limits::kMaxFrameBytes));
  return {r.relayBytesPerSecond * kRateShare, burst};
}

}  // namespace

RelayBatcher::RelayBatcher(Context& ctx)
    : ctx_(ctx),
      frames_(framesShare(RateLimits{})),
      bytes_(bytesShare(RateLimits{})),
      relayBytes_(relayBytesShare(RateLimits{})) {}

void RelayBatcher::limit(const RateLimits& server) {
  frames_ = framesShare(server);
  bytes_ = bytesShare(server);
  relayBytes_ = relayBytesShare(server);
}

void RelayBatcher::owe(PeerPath& path, const PeerMessage& control) {
  RelayOutbox& box = path.outbox;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Ack>) {
          box.ack = std::max(box.ack, m.seq);
        } else if constexpr (std::is_same_v<T, LinkPing>) {
          box.ping = m.ts;
        } else if constexpr (std::is_same_v<T, LinkPong>) {
          box.pong = m.ts;
        } else if constexpr (std::is_same_v<T, StreamSync>) {
          box.sync = true;
        }
      },
      control);
  pending_ = true;
}

void RelayBatcher::oweUnreliable(PeerPath& path, PeerMessage message) {
  auto& queued = path.outbox.unreliable;
  if (queued.size() >= limits::kMaxUnreliableQueuedPerPeer) queued.pop_front();  // newer replaces older
  queued.push_back(std::move(message));
  pending_ = true;
}

void RelayBatcher::restart(PeerPath& path) {
  if (path.transport() != Transport::Relay) return;
  path.outbox.unreliable.clear();  // stale by the time it could go; never resent
  path.outbox.sync = true;
  path.transmittedUpTo = 0;
  pending_ = true;
}

void RelayBatcher::acked(const PeerId& peer, PeerPath& path) {
  ctx_.timers.cancel(path.resendTimer);
  if (path.transport() == Transport::Relay && !path.sender.unacked().empty()) armResend(peer, path);
}

void RelayBatcher::armResend(const PeerId& peer, PeerPath& path) {
  path.resendTimer = ctx_.timers.start(ctx_.config.relayResendMs, [this, peer] {
    PeerPath* p = ctx_.path(peer);
    if (!p) return;
    p->resendTimer = 0;
    if (p->transport() == Transport::Relay && !p->sender.unacked().empty()) {
      ctx_.log("no ack from " + peer + " through the server; sending again");
      restart(*p);
    }
  });
}

void RelayBatcher::kick() {
  while (pending_) {
    double now = ctx_.port.nowMs();
    if (onlyAcksOwed()) {
      if (ackOwedSinceMs_ < 0) ackOwedSinceMs_ = now;
      double left = ackOwedSinceMs_ + ctx_.config.ackDelayMs - now;
      if (left > 0 && left <= ctx_.config.ackDelayMs) return armFlush(left);  // (> : the clock went back)
    }
    if (double wait = frames_.waitMs(now, 1); wait > 0) return armFlush(wait);
    double bytes = std::min(bytes_.available(now), relayBytes_.available(now));
    if (!flush(static_cast<std::size_t>(std::max(0.0, std::min(bytes, static_cast<double>(limits::kMaxFrameBytes)))))) {
      // Nothing fit what the bytes allow (or nothing could go): wait for a whole frame's worth.
      if (pending_) {
        return armFlush(std::max(bytes_.waitMs(now, limits::kMaxFrameBytes),
                                 relayBytes_.waitMs(now, limits::kMaxFrameBytes)));
      }
    }
  }
}

bool RelayBatcher::onlyAcksOwed() const {
  bool acks = false;
  for (const auto& [peer, path] : ctx_.paths) {
    const RelayOutbox& box = path->outbox;
    if (box.sync || box.ping || box.pong || !box.unreliable.empty()) return false;
    if (path->transport() == Transport::Relay && path->sender.lastSeq() > path->transmittedUpTo) return false;
    acks = acks || box.ack != 0;
  }
  return acks;
}

void RelayBatcher::armFlush(double delayMs) {
  // At least a millisecond: a wait of a rounding error would fire at the same instant, refill
  // nothing and be armed again, for ever.
  delayMs = std::max(delayMs, 1.0);
  double due = ctx_.port.nowMs() + delayMs;
  if (timer_) {
    if (timerDueMs_ <= due) return;
    ctx_.timers.cancel(timer_);
  }
  timerDueMs_ = due;
  // Nothing to do when it fires: the session kicks the batcher after every timer.
  timer_ = ctx_.timers.start(delayMs, [this] { timer_ = 0; });
}

void RelayBatcher::reset() {
  pending_ = false;
  ackOwedSinceMs_ = -1;
  timer_ = 0;  // (the session cancels every timer)
}

bool RelayBatcher::flush(std::size_t budget) {
  pending_ = false;
  if (ctx_.status != SessionStatus::InRoom || ctx_.paths.empty()) return false;  // kept; restarted once back
  RelayOut frame;
  std::size_t used = kRelayEnvelopeBytes;
  bool more = false;
  std::vector<std::pair<PeerId, PeerPath*>> order;
  for (auto& [peer, path] : ctx_.paths) order.emplace_back(peer, path.get());
  std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(rotation_++ % order.size()), order.end());
  std::vector<std::pair<PeerId, PeerPath*>> carried;  // members this frame carries messages to

  for (auto& [peer, path] : order) {
    if (!ctx_.relayReaches(*path)) continue;  // what is owed stays owed
    std::string data;  // the part's batch, without its closing bracket
    std::size_t partBytes = kRelayPartEnvelopeBytes + peer.size();
    auto fits = [&](const PeerMessage& m) {
      std::string f = encode(m);
      std::size_t bytes = f.size() + 1;
      if (used + partBytes + bytes > budget) return false;
      // (+ 1: the closing bracket) The part as the server forwards it must fit a frame too.
      if (data.size() + bytes + 1 + longestForwardEnvelope() > limits::kMaxFrameBytes) return false;
      partBytes += bytes;
      data += data.empty() ? '[' : ',';
      data += f;
      return true;
    };
    RelayOutbox& box = path->outbox;
    bool sending = path->transport() == Transport::Relay;
    // Control frames first: the sync must precede the messages it announces (and means nothing
    // once the link carries the stream again).
    if (box.sync) {
      if (sending && !fits(path->sender.sync())) {
        more = true;
        continue;
      }
      box.sync = false;
    }
    if (box.ack && fits(Ack{box.ack})) box.ack = 0;
    if (box.pong && fits(LinkPong{*box.pong})) box.pong.reset();
    if (box.ping && fits(LinkPing{*box.ping})) box.ping.reset();
    while (!box.unreliable.empty() && fits(box.unreliable.front())) box.unreliable.pop_front();
    more = more || !box.empty();
    std::uint64_t before = path->transmittedUpTo;
    if (sending) {
      for (const auto& m : path->sender.unacked()) {
        if (m.seq <= path->transmittedUpTo) continue;
        if (!fits(m)) {
          more = true;
          break;
        }
        path->transmittedUpTo = m.seq;
      }
    }
    if (path->transmittedUpTo != before) carried.emplace_back(peer, path);
    if (data.empty()) continue;
    used += partBytes;
    frame.parts.push_back({peer, std::move(data) + ']'});
  }
  for (auto& [peer, path] : carried) {
    if (!path->resendTimer) armResend(peer, *path);
  }
  pending_ = more;
  if (frame.parts.empty()) return false;
  frame.seq = ++seq_;
  std::string text = encode(frame);
  double now = ctx_.port.nowMs();
  frames_.available(now);  // (refills up to now; kick saw a frame's token and the bytes)
  frames_.take(1);
  bytes_.available(now);
  bytes_.take(static_cast<double>(text.size()));
  // What the server sends for it: each part in an envelope with our id (a broadcast is a part per
  // member, so it costs what it costs the server).
  double forwarded = 0;
  for (const auto& part : frame.parts) {
    forwarded += static_cast<double>(part.data.size() + longestForwardEnvelope() - limits::kMaxPeerIdChars + ctx_.roster.self.size());
  }
  relayBytes_.available(now);
  relayBytes_.take(forwarded);
  ackOwedSinceMs_ = -1;  // every ack owed went along
  ctx_.port.sendSignaling(text);
  return true;
}

}  // namespace huddle::client
