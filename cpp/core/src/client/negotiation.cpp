#include "client/negotiation.hpp"

#include <algorithm>
#include <cmath>

#include "huddle/codec.hpp"

namespace huddle::client {
namespace {

// ICE candidates that may wait for their remote description; a well-behaved peer sends a few
// dozen at most before its offer/answer is applied.
constexpr std::size_t kMaxPendingCandidates = 256;

}  // namespace

void Negotiation::open(const PeerId& peer, PeerPath& path, const std::string& name) {
  startOpenTimer(peer, path);
  ctx_.log((path.link.offerer ? "offering to " : "awaiting offer from ") + peer + " (" + name + ")");
  ctx_.port.openLink(peer, iceServers_, path.link.offerer);
}

void Negotiation::reopen(const PeerId& peer, PeerPath& path, bool offerer) {
  Link& link = path.link;
  ctx_.port.closeLink(peer);
  ctx_.timers.cancel(link.openTimer);
  ctx_.timers.cancel(link.retryTimer);
  link.offerer = offerer;
  link.remoteDescriptionApplied = false;
  link.pendingCandidates.clear();
  startOpenTimer(peer, path);
  ctx_.log((offerer ? "new link: offering to " : "new link: awaiting offer from ") + peer);
  ctx_.port.openLink(peer, iceServers_, offerer);
  setState(peer, path, LinkState::Connecting);
}

void Negotiation::fail(const PeerId& peer, PeerPath& path, const std::string& reason) {
  if (path.link.state == LinkState::Failed) return;
  ctx_.timers.cancel(path.link.openTimer);
  ctx_.port.closeLink(peer);
  // Not an app error: the relay takes over at once, and the offering side tries again later.
  ctx_.log("no direct link to " + peer + ": " + reason);
  setState(peer, path, LinkState::Failed);
  PeerPath* still = ctx_.path(peer);
  if (!still) return;
  streams_.useRelay(peer, *still, "no direct link");
  scheduleRetry(peer, *still);
}

// ---- signaling ---------------------------------------------------------------------------------

void Negotiation::onSignal(const SignalIn& signal) {
  PeerPath* path = ctx_.path(signal.from);
  if (!path) return ctx_.report(ErrorCode::ProtocolViolation, "signal from a non-member");
  if (ctx_.roster.relayOnly) return ctx_.log("signal from " + signal.from + " ignored: the room is relay-only");
  Link& link = path->link;
  const SignalPayload& d = signal.data;
  bool down = link.state == LinkState::Failed || link.state == LinkState::Closed;
  switch (d.kind) {
    case SignalKind::Offer:
    case SignalKind::Answer: {
      bool expected = (d.kind == SignalKind::Offer) != link.offerer;
      if (d.kind == SignalKind::Offer && (!expected || link.remoteDescriptionApplied || down)) {
        // The peer started a new link: it came back (a reloaded page has no links, even if ours
        // still looks open), it saw ours fail, or it is retrying after a failure. If we are
        // offering at the same time, the larger peer id keeps its offer and the other side answers.
        bool glare = link.offerer && !link.remoteDescriptionApplied;
        if (glare && ctx_.roster.self > signal.from) {
          return ctx_.log("offer from " + signal.from + " crossed ours; keeping ours");
        }
        reopen(signal.from, *path, false);
        expected = true;
      }
      if (!expected || link.remoteDescriptionApplied) {
        return ctx_.report(ErrorCode::ProtocolViolation,
                           "unexpected " + std::string(signalKindName(d.kind)) + " from " + signal.from);
      }
      link.remoteDescriptionApplied = true;
      ctx_.port.applyRemoteDescription(signal.from, d.kind, d.sdp);
      for (const auto& c : link.pendingCandidates) ctx_.port.addRemoteCandidate(signal.from, c);
      link.pendingCandidates.clear();
      return;
    }
    case SignalKind::IceCandidate: {
      IceCandidate c{d.candidate, d.sdpMid, d.sdpMLineIndex};
      if (link.remoteDescriptionApplied) {
        ctx_.port.addRemoteCandidate(signal.from, c);
      } else if (link.pendingCandidates.size() < kMaxPendingCandidates) {
        link.pendingCandidates.push_back(std::move(c));
      } else {
        ctx_.report(ErrorCode::ProtocolViolation, "too many ICE candidates before an offer/answer from " + signal.from);
      }
      return;
    }
  }
}

void Negotiation::onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) {
  if (!ctx_.path(peer)) return;  // the peer left while the browser was working
  SignalPayload data;
  data.kind = kind;
  data.sdp = sdp;
  ctx_.port.sendSignaling(encode(SignalOut{peer, std::move(data)}));
}

void Negotiation::onLocalCandidate(const PeerId& peer, const IceCandidate& candidate) {
  if (!ctx_.path(peer)) return;
  SignalPayload data;
  data.kind = SignalKind::IceCandidate;
  data.candidate = candidate.candidate;
  data.sdpMid = candidate.sdpMid;
  data.sdpMLineIndex = candidate.sdpMLineIndex;
  ctx_.port.sendSignaling(encode(SignalOut{peer, std::move(data)}));
}

// ---- the link's life ---------------------------------------------------------------------------

void Negotiation::onOpen(const PeerId& peer) {
  PeerPath* path = ctx_.path(peer);
  if (!path || path->link.state == LinkState::Connected) return;
  ctx_.timers.cancel(path->link.openTimer);
  ctx_.timers.cancel(path->link.retryTimer);
  ctx_.timers.cancel(path->resendTimer);
  path->link.retryAttempt = 0;
  path->relay = false;
  // A new transport: announce the stream, then send every unacknowledged message again (the
  // receiver drops what it already has). This is what carries messages across path changes.
  ctx_.port.sendOnLink(peer, encode(path->sender.sync()));
  path->transmittedUpTo = 0;
  setState(peer, *path, LinkState::Connected);
}

void Negotiation::onFailed(const PeerId& peer, const std::string& reason) {
  if (PeerPath* path = ctx_.path(peer)) fail(peer, *path, reason);
}

void Negotiation::onClosed(const PeerId& peer) {
  PeerPath* path = ctx_.path(peer);
  if (!path || path->link.state != LinkState::Connected) return;
  setState(peer, *path, LinkState::Closed);
  if (!(path = ctx_.path(peer))) return;
  streams_.useRelay(peer, *path, "the direct link closed");
  scheduleRetry(peer, *path);
}

void Negotiation::setState(const PeerId& peer, PeerPath& path, LinkState state) {
  if (path.link.state == state) return;
  path.link.state = state;
  if (state == LinkState::Connected) streams_.flush(peer, path);  // before anyone hears of it and sends
  ctx_.log("link to " + peer + ": " + std::string(linkStateName(state)));
  ctx_.observer.onLinkState(peer, state);
  if (PeerPath* still = ctx_.path(peer)) streams_.updateTransport(peer, *still);
}

void Negotiation::startOpenTimer(const PeerId& peer, PeerPath& path) {
  path.link.openTimer = ctx_.timers.start(ctx_.config.linkOpenTimeoutMs, [this, peer] {
    PeerPath* p = ctx_.path(peer);
    if (!p) return;
    p->link.openTimer = 0;
    if (p->link.state == LinkState::Connecting) {
      fail(peer, *p, "not open within " + std::to_string(static_cast<long>(ctx_.config.linkOpenTimeoutMs)) + " ms");
    }
  });
}

void Negotiation::scheduleRetry(const PeerId& peer, PeerPath& path) {
  const PeerInfo* member = ctx_.roster.find(peer);
  if (ctx_.roster.relayOnly || path.link.retryTimer || !member || !ctx_.roster.offersTo(*member)) return;
  double delay = ctx_.config.linkRetryInitialMs * std::pow(2.0, std::min(path.link.retryAttempt, 20));
  delay = std::min(delay, ctx_.config.linkRetryMaxMs);
  ++path.link.retryAttempt;
  ctx_.log("trying a direct link to " + peer + " again in " + std::to_string(static_cast<long>(delay)) + " ms");
  path.link.retryTimer = ctx_.timers.start(delay, [this, peer] {
    PeerPath* p = ctx_.path(peer);
    if (!p) return;
    p->link.retryTimer = 0;
    if (p->link.state == LinkState::Connected) return;
    // The member (or we) must be reachable through the server to signal; wait for the next turn.
    if (!ctx_.relayReaches(*p)) return scheduleRetry(peer, *p);
    reopen(peer, *p, true);
  });
}

}  // namespace huddle::client
