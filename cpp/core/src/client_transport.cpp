// Moving frames to and from each member: the direct link's lifecycle (open, silence, failure,
// retries), the relay fallback through the server, and the frames both carry. The reliable streams
// do not care which path a frame took: a new path starts with a sync and a resend of everything
// unacknowledged, and the receiver drops what it already has (docs/protocol.md "Relay").
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "detail/client_link.hpp"
#include "huddle/client.hpp"
#include "huddle/codec.hpp"

namespace huddle {
namespace {

using nlohmann::json;

// Peer frames one relay frame from the server may carry; ours carry far fewer (the sender's
// unacknowledged window plus four control frames), this only bounds a hostile member.
constexpr std::size_t kMaxFramesPerRelay = limits::kMaxUnackedPerPeer + 8;

// A relay frame's text must stay under the server's frame limit. Envelope bytes are estimated
// generously: {"t":"relay","seq":N,"parts":[ ... ]} and {"to":ID,"data":[ ... ]} per part.
constexpr std::size_t kRelayEnvelopeBytes = 64;
constexpr std::size_t kRelayPartEnvelopeBytes = 32;

std::size_t jsonBytes(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace).size(); }

}  // namespace

std::string_view transportName(Transport transport) {
  switch (transport) {
    case Transport::None: return "none";
    case Transport::Direct: return "direct";
    case Transport::Relay: return "relay";
  }
  return "none";
}

ClientSession::Link* ClientSession::findLink(const PeerId& peer) {
  auto it = links_.find(peer);
  return it == links_.end() ? nullptr : it->second.get();
}

Transport ClientSession::transportOf(const Link& link) const {
  if (link.state == LinkState::Connected) return Transport::Direct;
  return link.relay ? Transport::Relay : Transport::None;
}

bool ClientSession::relayReaches(const Link& link) const {
  // Not while we are between connections, nor to a member the server holds as away or that was
  // missing from the room when we came back: it would refuse the part.
  return status_ == SessionStatus::InRoom && !link.away && link.graceTimer == 0;
}

// ---- the direct link ---------------------------------------------------------------------------

void ClientSession::onLinkOpen(const PeerId& peer) {
  Link* link = findLink(peer);
  if (!link || link->state == LinkState::Connected) return;
  cancelTimer(link->openTimer);
  cancelTimer(link->retryTimer);
  cancelTimer(link->resendTimer);
  link->retryAttempt = 0;
  link->relay = false;
  // A new transport: announce the stream, then send every unacknowledged message again (the
  // receiver drops what it already has). This is what carries messages across path changes.
  port_.sendOnLink(peer, encode(link->sender.sync()));
  link->transmittedUpTo = 0;
  setLinkState(peer, *link, LinkState::Connected);
}

void ClientSession::onLinkFrame(const PeerId& peer, std::string_view text) {
  Link* link = findLink(peer);
  if (!link) return;
  link->unansweredSinceMs = -1;  // the link carries frames: it is alive
  auto decoded = decodePeerMessage(text);
  if (!decoded) {
    report(ErrorCode::ProtocolViolation, "bad frame from peer " + peer + ": " + decoded.error().message);
  } else {
    onPeerFrame(peer, *link, std::move(decoded).value(), Via::Direct);
  }
  kickRelay();
}

void ClientSession::onLinkFailed(const PeerId& peer, const std::string& reason) {
  if (Link* link = findLink(peer)) failLink(peer, *link, reason);
  kickRelay();
}

void ClientSession::onLinkClosed(const PeerId& peer) {
  Link* link = findLink(peer);
  if (!link || link->state != LinkState::Connected) return;
  setLinkState(peer, *link, LinkState::Closed);
  if (!(link = findLink(peer))) return;
  useRelay(peer, *link, "the direct link closed");
  scheduleLinkRetry(peer, *link);
  kickRelay();
}

void ClientSession::failLink(const PeerId& peer, Link& link, const std::string& reason) {
  if (link.state == LinkState::Failed) return;
  cancelTimer(link.openTimer);
  port_.closeLink(peer);
  // Not an app error: the relay takes over at once, and the offering side tries again later.
  log("no direct link to " + peer + ": " + reason);
  setLinkState(peer, link, LinkState::Failed);
  Link* still = findLink(peer);
  if (!still) return;
  useRelay(peer, *still, "no direct link");
  scheduleLinkRetry(peer, *still);
}

void ClientSession::reopenLink(const PeerId& peer, Link& link, bool offerer) {
  port_.closeLink(peer);
  cancelTimer(link.openTimer);
  cancelTimer(link.retryTimer);
  link.offerer = offerer;
  link.remoteDescriptionApplied = false;
  link.pendingCandidates.clear();
  startOpenTimer(peer, link);
  log((offerer ? "new link: offering to " : "new link: awaiting offer from ") + peer);
  port_.openLink(peer, iceServers_, offerer);
  setLinkState(peer, link, LinkState::Connecting);
}

void ClientSession::startOpenTimer(const PeerId& peer, Link& link) {
  link.openTimer = startTimer(config_.linkOpenTimeoutMs, {TimerTarget::Kind::LinkOpen, peer});
}

void ClientSession::scheduleLinkRetry(const PeerId& peer, Link& link) {
  const PeerInfo* member = findMember(peer);
  if (roomRelayOnly_ || link.retryTimer || !member || !offersTo(*member)) return;
  double delay = config_.linkRetryInitialMs * std::pow(2.0, std::min(link.retryAttempt, 20));
  delay = std::min(delay, config_.linkRetryMaxMs);
  ++link.retryAttempt;
  log("trying a direct link to " + peer + " again in " + std::to_string(static_cast<long>(delay)) + " ms");
  link.retryTimer = startTimer(delay, {TimerTarget::Kind::LinkRetry, peer});
}

void ClientSession::setLinkState(const PeerId& peer, Link& link, LinkState state) {
  if (link.state == state) return;
  link.state = state;
  if (state == LinkState::Connected) flush(peer, link);  // before anyone hears of it and sends
  log("link to " + peer + ": " + std::string(linkStateName(state)));
  observer_.onLinkState(peer, state);
  if (Link* still = findLink(peer)) updateTransport(peer, *still);
}

void ClientSession::updateTransport(const PeerId& peer, Link& link) {
  Transport now = transportOf(link);
  if (now == link.reported) return;
  link.reported = now;
  link.rttMs = -1;  // a measurement of the old path says nothing about the new one
  link.unansweredSinceMs = -1;
  cancelTimer(link.pingTimer);
  log("messages to " + peer + " travel " +
      (now == Transport::Direct ? "directly" : now == Transport::Relay ? "through the server" : "nowhere yet"));
  if (now != Transport::None) pingLink(peer, link);
  observer_.onTransport(peer, now);
}

void ClientSession::pingLink(const PeerId& peer, Link& link) {
  double now = port_.nowMs();
  Transport transport = transportOf(link);
  if (transport == Transport::Direct) {
    // A path that died quietly (a network change) can take ICE half a minute to notice; our own
    // pings notice sooner. Measured from the oldest unanswered ping, so a page whose timers are
    // throttled in the background does not mistake its own slowness for silence.
    if (link.unansweredSinceMs >= 0 && now - link.unansweredSinceMs > config_.linkSilenceTimeoutMs) {
      return failLink(peer, link,
                      "no answer for " + std::to_string(static_cast<long>(now - link.unansweredSinceMs)) + " ms");
    }
    if (link.unansweredSinceMs < 0) link.unansweredSinceMs = now;
    sendVia(peer, link, LinkPing{now}, Via::Direct);
  } else if (transport == Transport::Relay && relayReaches(link)) {
    sendVia(peer, link, LinkPing{now}, Via::Relay);
  }
  if (transport != Transport::None) {
    link.pingTimer = startTimer(config_.linkPingIntervalMs, {TimerTarget::Kind::LinkPing, peer});
  }
}

void ClientSession::onLinkTimer(const TimerTarget& target, Link& link) {
  const PeerId& peer = target.peer;
  switch (target.kind) {
    case TimerTarget::Kind::LinkPing:
      link.pingTimer = 0;
      return pingLink(peer, link);
    case TimerTarget::Kind::LinkOpen:
      link.openTimer = 0;
      if (link.state == LinkState::Connecting) {
        failLink(peer, link, "not open within " + std::to_string(static_cast<long>(config_.linkOpenTimeoutMs)) + " ms");
      }
      return;
    case TimerTarget::Kind::LinkRetry:
      link.retryTimer = 0;
      if (link.state == LinkState::Connected) return;
      // The member (or we) must be reachable through the server to signal; wait for the next turn.
      if (!relayReaches(link)) return scheduleLinkRetry(peer, link);
      return reopenLink(peer, link, true);
    case TimerTarget::Kind::RelayResend:
      link.resendTimer = 0;
      if (transportOf(link) == Transport::Relay && !link.sender.unacked().empty()) {
        log("no ack from " + peer + " through the server; sending again");
        restartRelayStream(link);
      }
      return;
    default:
      return;
  }
}

// ---- frames ------------------------------------------------------------------------------------

void ClientSession::onPeerFrame(const PeerId& peer, Link& link, PeerMessage message, Via via) {
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AppMessage>) {
          handleAppMessage(peer, link, std::move(m), via);
        } else if constexpr (std::is_same_v<T, UnreliableMessage>) {
          onUnreliable(peer, link, std::move(m));
        } else if constexpr (std::is_same_v<T, Ack>) {
          auto acked = link.sender.acknowledge(m.seq);
          if (acked.empty()) return;
          // Progress: the resend safety net starts over (or stops, when nothing is left).
          cancelTimer(link.resendTimer);
          if (transportOf(link) == Transport::Relay && !link.sender.unacked().empty()) {
            link.resendTimer = startTimer(config_.relayResendMs, {TimerTarget::Kind::RelayResend, peer});
          }
          for (const auto& a : acked) observer_.onDelivered(peer, a.id);
        } else if constexpr (std::is_same_v<T, StreamSync>) {
          auto synced = link.receiver.sync(m);
          if (!synced) report(synced.error().code, "from " + peer + ": " + synced.error().message);
        } else if constexpr (std::is_same_v<T, LinkPing>) {
          sendVia(peer, link, LinkPong{m.ts}, via);
        } else {
          static_assert(std::is_same_v<T, LinkPong>);
          // The pong echoes our own clock, so only our clock matters; a pong from the future, from
          // before the link existed, or from the path we no longer use is not a measurement.
          double sample = port_.nowMs() - m.ts;
          bool current = (via == Via::Direct) == (transportOf(link) == Transport::Direct);
          if (sample < 0 || sample > 60000 || !current) return;
          link.rttMs = smoothRtt(link.rttMs, sample);
          observer_.onLinkRtt(peer, link.rttMs);
        }
      },
      message);
}

void ClientSession::handleAppMessage(const PeerId& from, Link& link, AppMessage message, Via via) {
  auto outcome = link.receiver.accept(std::move(message));
  if (!outcome) {
    return report(outcome.error().code, "from " + from + ": " + outcome.error().message);
  }
  std::uint64_t ack = outcome.value().ack;
  // Owe the ack before delivering: the app may leave the room from its message handler.
  if (ack > 0) sendVia(from, link, Ack{ack}, via);
  for (const auto& m : outcome.value().deliver) {
    if (!findLink(from)) return;  // gone while the app handled an earlier one
    observer_.onMessage(from, m.data, MessageMeta{m.id, m.ts, m.broadcast});
  }
}

void ClientSession::sendUnreliable(const PeerId& peer, Link& link, UnreliableMessage message) {
  message.epoch = link.sender.epoch();
  message.n = ++link.unreliableSent;
  switch (transportOf(link)) {
    case Transport::Direct:
      return port_.sendOnLinkUnreliable(peer, encode(message));
    case Transport::Relay: {
      if (!relayReaches(link)) return;  // nothing waits: a newer one will follow
      auto& queued = link.outbox.unreliable;
      if (queued.size() >= limits::kMaxUnreliableQueuedPerPeer) queued.pop_front();  // newer replaces older
      queued.push_back(std::move(message));
      relayPending_ = true;
      return;
    }
    case Transport::None:
      return;  // no path yet: dropped, as a lost datagram would be
  }
}

void ClientSession::onUnreliable(const PeerId& from, Link& link, UnreliableMessage message) {
  // A new epoch is a new sender (a reloaded page): its numbering starts over.
  if (message.epoch != link.unreliableEpoch) {
    link.unreliableEpoch = message.epoch;
    link.unreliableDelivered = 0;
  }
  if (message.n <= link.unreliableDelivered) return;  // older than one already delivered
  link.unreliableDelivered = message.n;
  observer_.onMessage(from, message.data, MessageMeta{message.id, message.ts, message.broadcast, false});
}

void ClientSession::sendVia(const PeerId& peer, Link& link, const PeerMessage& message, Via via) {
  if (via == Via::Direct) return port_.sendOnLink(peer, encode(message));
  RelayOutbox& box = link.outbox;
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
        // App messages are not queued here: the relay takes them from the sender's queue.
      },
      message);
  relayPending_ = true;
}

void ClientSession::flush(const PeerId& peer, Link& link) {
  switch (transportOf(link)) {
    case Transport::Direct:
      for (const auto& m : link.sender.unacked()) {
        if (m.seq <= link.transmittedUpTo) continue;
        port_.sendOnLink(peer, encode(m));
        link.transmittedUpTo = m.seq;
      }
      return;
    case Transport::Relay:
      if (link.sender.lastSeq() > link.transmittedUpTo) relayPending_ = true;
      return;
    case Transport::None:
      return;  // waits for a path
  }
}

// ---- the relay ---------------------------------------------------------------------------------

void ClientSession::useRelay(const PeerId& peer, Link& link, const std::string& why) {
  if (link.relay) return;
  link.relay = true;
  log("relaying to " + peer + ": " + why);
  restartRelayStream(link);
  updateTransport(peer, link);
}

void ClientSession::restartRelayStream(Link& link) {
  if (transportOf(link) != Transport::Relay) return;
  link.outbox.unreliable.clear();  // stale by the time it could go; never resent
  link.outbox.sync = true;
  link.transmittedUpTo = 0;
  relayPending_ = true;
}

void ClientSession::onRelayFrame(const RelayIn& relay) {
  const PeerId& peer = relay.from;
  Link* link = findLink(peer);
  if (!link) return log("relay frame from " + peer + ", who is not a member; ignored");
  if (!relay.data.is_array() || relay.data.empty() || relay.data.size() > kMaxFramesPerRelay) {
    return report(ErrorCode::ProtocolViolation,
                  "relay frame from " + peer + ": expected an array of 1 to " +
                      std::to_string(kMaxFramesPerRelay) + " peer frames");
  }
  // The member reaches us through the server: its direct link is down on its side, so ours is
  // of no use for now either.
  if (link->state != LinkState::Connected) useRelay(peer, *link, "it reaches us through the server");
  for (const auto& frame : relay.data) {
    auto decoded = peerMessageFromJson(frame);
    if (!decoded) {
      return report(ErrorCode::ProtocolViolation, "bad relayed frame from " + peer + ": " + decoded.error().message);
    }
    onPeerFrame(peer, *link, std::move(decoded).value(), Via::Relay);
    if (!(link = findLink(peer))) return;  // the app left, or the member was dropped, meanwhile
  }
}

void ClientSession::kickRelay() {
  if (!relayPending_ || relayTimer_) return;
  double wait = lastRelayFlushMs_ + config_.relayFlushMs - port_.nowMs();
  if (wait <= 0 || wait > config_.relayFlushMs) return flushRelay();  // (> : the clock went back)
  relayTimer_ = startTimer(wait, {TimerTarget::Kind::RelayFlush, {}});
}

void ClientSession::flushRelay() {
  relayPending_ = false;
  if (status_ != SessionStatus::InRoom || links_.empty()) return;  // kept; restarted once back
  RelayOut frame;
  std::size_t used = kRelayEnvelopeBytes;
  bool more = false;
  std::vector<std::pair<PeerId, Link*>> order;
  for (auto& [peer, link] : links_) order.emplace_back(peer, link.get());
  std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(relayRotation_++ % order.size()), order.end());
  std::vector<std::pair<PeerId, Link*>> carried;  // members this frame carries messages to

  for (auto& [peer, link] : order) {
    if (!relayReaches(*link)) continue;  // what is owed stays owed
    json data = json::array();
    std::size_t partBytes = kRelayPartEnvelopeBytes + peer.size();
    auto fits = [&](json f) {
      std::size_t bytes = jsonBytes(f) + 1;
      if (used + partBytes + bytes > limits::kMaxFrameBytes) return false;
      partBytes += bytes;
      data.push_back(std::move(f));
      return true;
    };
    RelayOutbox& box = link->outbox;
    bool sending = transportOf(*link) == Transport::Relay;
    // Control frames first: the sync must precede the messages it announces (and means nothing
    // once the direct link carries the stream again).
    if (box.sync) {
      if (sending && !fits(toJson(link->sender.sync()))) {
        more = true;
        continue;
      }
      box.sync = false;
    }
    if (box.ack && fits(toJson(Ack{box.ack}))) box.ack = 0;
    if (box.pong && fits(toJson(LinkPong{*box.pong}))) box.pong.reset();
    if (box.ping && fits(toJson(LinkPing{*box.ping}))) box.ping.reset();
    while (!box.unreliable.empty() && fits(toJson(box.unreliable.front()))) box.unreliable.pop_front();
    more = more || !box.empty();
    std::uint64_t before = link->transmittedUpTo;
    if (sending) {
      for (const auto& m : link->sender.unacked()) {
        if (m.seq <= link->transmittedUpTo) continue;
        if (!fits(toJson(m))) {
          more = true;
          break;
        }
        link->transmittedUpTo = m.seq;
      }
    }
    if (link->transmittedUpTo != before) carried.emplace_back(peer, link);
    if (data.empty()) continue;
    used += partBytes;
    frame.parts.push_back({peer, std::move(data)});
  }
  if (!frame.parts.empty()) {
    frame.seq = ++relaySeq_;
    lastRelayFlushMs_ = port_.nowMs();
    port_.sendSignaling(encode(frame));
  }
  for (auto& [peer, link] : carried) {
    if (!link->resendTimer) link->resendTimer = startTimer(config_.relayResendMs, {TimerTarget::Kind::RelayResend, peer});
  }
  if (more) {
    relayPending_ = true;
    relayTimer_ = startTimer(config_.relayFlushMs, {TimerTarget::Kind::RelayFlush, {}});
  }
}

}  // namespace huddle
