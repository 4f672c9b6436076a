#include "client/streams.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "client/link_report.hpp"
#include "client/negotiation.hpp"
#include "client/requests.hpp"
#include "detail/text_fields.hpp"
#include "huddle/codec.hpp"

namespace huddle::client {
// ---- sending -----------------------------------------------------------------------------------

Result<std::uint64_t> Streams::send(std::string_view data, Delivery delivery) {
  return sendToMany(ctx_.roster.others(), data, true, delivery);
}

Result<std::uint64_t> Streams::sendTo(const PeerId& peer, std::string_view data, Delivery delivery) {
  if (ctx_.inRoom() && (peer == ctx_.roster.self || !ctx_.path(peer))) {
    return Error{ErrorCode::PeerNotInRoom, "no other member " + peer.substr(0, 16) + " in this room"};
  }
  return sendToMany({peer}, data, false, delivery);
}

Result<std::uint64_t> Streams::sendKind(const PeerId& peer, std::string_view data, MessageKind kind, std::uint64_t re,
                                        std::string refusal) {
  if (ctx_.inRoom() && (peer == ctx_.roster.self || !ctx_.path(peer))) {
    return Error{ErrorCode::PeerNotInRoom, "no other member " + peer.substr(0, 16) + " in this room"};
  }
  AppMessage kindOf;
  kindOf.kind = kind;
  kindOf.re = re;
  kindOf.refusal = std::move(refusal);
  return sendToMany({peer}, data, false, Delivery::Reliable, std::move(kindOf));
}

Status Streams::sendGame(const PeerId& peer, std::string_view frame) {
  if (!ctx_.inRoom()) return Error{ErrorCode::NotInRoom, "join a room before sending"};
  PeerPath* path = peer == ctx_.roster.self ? nullptr : ctx_.path(peer);
  if (!path) return Error{ErrorCode::PeerNotInRoom, "no other member " + peer.substr(0, 16) + " in this room"};
  // Checked before it joins a relay batch: one malformed frame would cost the member the whole
  // batch, reliable messages included.
  auto decoded = decodePeerMessage(frame);
  if (!decoded || !std::holds_alternative<GameMessage>(decoded.value())) {
    return Error{ErrorCode::DataInvalid, "not a game sync frame (a JSON object of type gi or gs)"};
  }
  switch (path->transport()) {
    case Transport::Direct:
      ctx_.port.sendOnLinkUnreliable(peer, std::string(frame));
      break;
    case Transport::Relay:
      if (ctx_.relayReaches(*path)) relay_.oweUnreliable(*path, GameMessage{std::string(frame)});
      break;
    case Transport::None:
      break;  // no path yet: dropped, as a lost datagram would be
  }
  return Ok{};
}

Result<std::uint64_t> Streams::sendToMany(const std::vector<PeerId>& targets, std::string_view data, bool broadcast,
                                          Delivery delivery, AppMessage kind) {
  if (!ctx_.inRoom()) return Error{ErrorCode::NotInRoom, "join a room before sending"};
  // Checked once here, then spliced into every frame as written.
  if (auto checked = detail::checkData(data, limits::kMaxAppDataBytes); !checked) return checked.error();
  std::size_t bytes = data.size();
  if (delivery == Delivery::Unreliable) {
    std::uint64_t id = nextMessageId_++;
    UnreliableMessage message{0, 0, id, ctx_.port.nowMs(), broadcast, std::string(data)};
    for (const auto& peer : targets) sendUnreliable(peer, *ctx_.path(peer), message);
    return id;
  }
  // All or nothing: a send either reaches every target's queue or none of them.
  for (const auto& peer : targets) {
    if (!ctx_.path(peer)->sender.hasRoom()) {
      return Error{ErrorCode::SendQueueFull, "the queue to " + peer + " is full (" +
                                                 std::to_string(ctx_.config.maxUnackedPerPeer) +
                                                 " messages not yet acknowledged)"};
    }
  }
  std::uint64_t id = nextMessageId_++;
  AppMessage message{0, id, ctx_.port.nowMs(), broadcast, std::string(data), kind.kind, kind.re, std::move(kind.refusal)};
  for (const auto& peer : targets) {
    PeerPath& path = *ctx_.path(peer);
    path.sender.push(message, bytes);  // cannot fail: room checked above
    flush(peer, path);
  }
  return id;
}

void Streams::sendUnreliable(const PeerId& peer, PeerPath& path, UnreliableMessage message) {
  message.epoch = path.sender.epoch();
  message.n = ++path.unreliableSent;
  switch (path.transport()) {
    case Transport::Direct:
      return ctx_.port.sendOnLinkUnreliable(peer, encode(message));  // (its own channel: no batch)
    case Transport::Relay:
      if (!ctx_.relayReaches(path)) return;  // nothing waits: a newer one will follow
      return relay_.oweUnreliable(path, std::move(message));
    case Transport::None:
      return;  // no path yet: dropped, as a lost datagram would be
  }
}

void Streams::sendVia(const PeerId& peer, PeerPath& path, const PeerMessage& message, Via via) {
  if (via == Via::Relay) return relay_.owe(path, message);
  links_.send(peer, path, encode(message), LinkBatcher::When::Now);
}

void Streams::flush(const PeerId& peer, PeerPath& path) {
  switch (path.transport()) {
    case Transport::Direct:
      for (const auto& m : path.sender.unacked()) {
        if (m.seq <= path.transmittedUpTo) continue;
        path.transmittedUpTo = m.seq;
        links_.send(peer, path, encode(m), LinkBatcher::When::Burst);
      }
      return;
    case Transport::Relay:
      if (path.sender.lastSeq() > path.transmittedUpTo) relay_.wake();
      return;
    case Transport::None:
      return;  // waits for a path
  }
}

// ---- receiving ---------------------------------------------------------------------------------

void Streams::onLinkFrame(const PeerId& peer, std::string_view text) {
  PeerPath* path = ctx_.path(peer);
  if (!path) return;
  path->link.unansweredSinceMs = -1;  // the link carries frames: it is alive
  auto decoded = decodeLinkMessage(text);
  if (!decoded) {
    return ctx_.report(ErrorCode::ProtocolViolation, "bad frame from peer " + peer + ": " + decoded.error().message);
  }
  for (auto& frame : decoded.value()) {
    onPeerFrame(peer, *path, std::move(frame), Via::Direct);
    if (!(path = ctx_.path(peer))) return;  // the app left, or the member was dropped, meanwhile
  }
  if (path->linkOut.ack) links_.settleAck(peer, *path, text.size());
}

void Streams::onRelayFrame(const RelayIn& relay) {
  const PeerId& peer = relay.from;
  PeerPath* path = ctx_.path(peer);
  if (!path) return ctx_.log("relay frame from " + peer + ", who is not a member; ignored");
  auto decoded = decodeBatch(relay.data);
  if (!decoded) {
    return ctx_.report(ErrorCode::ProtocolViolation, "bad relay frame from " + peer + ": " + decoded.error().message);
  }
  // The member reaches us through the server: its link is down on its side, so ours is of no
  // use for now either.
  if (path->link.state != LinkState::Connected) useRelay(peer, *path, "it reaches us through the server");
  for (auto& frame : decoded.value()) {
    onPeerFrame(peer, *path, std::move(frame), Via::Relay);
    if (!(path = ctx_.path(peer))) return;  // the app left, or the member was dropped, meanwhile
  }
}

void Streams::onPeerFrame(const PeerId& peer, PeerPath& path, PeerMessage message, Via via) {
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AppMessage>) {
          onAppMessage(peer, path, std::move(m), via);
        } else if constexpr (std::is_same_v<T, UnreliableMessage>) {
          onUnreliable(peer, path, std::move(m));
        } else if constexpr (std::is_same_v<T, GameMessage>) {
          ctx_.observer.onGameFrame(peer, m.frame);
        } else if constexpr (std::is_same_v<T, Ack>) {
          auto acked = path.sender.acknowledge(m.seq);
          if (acked.empty()) return;
          relay_.acked(peer, path);
          for (const auto& a : acked) {
            // Receipts are for what the app sent; room state frames are the library's own.
            if (a.kind != MessageKind::State) ctx_.observer.onDelivered(peer, a.id);
          }
        } else if constexpr (std::is_same_v<T, StreamSync>) {
          path.batches = m.batches;
          if (m.epoch != path.receiver.epoch()) {
            // A new stream (the member's page reloaded): an ack owed counts the old one's messages
            // and would acknowledge the new one's unseen.
            links_.forgetAck(path);
            path.outbox.ack = 0;
          }
          auto synced = path.receiver.sync(m);
          if (!synced) ctx_.report(synced.error().code, "from " + peer + ": " + synced.error().message);
        } else if constexpr (std::is_same_v<T, LinkPing>) {
          sendVia(peer, path, LinkPong{m.ts}, via);
        } else {
          static_assert(std::is_same_v<T, LinkPong>);
          // The pong echoes our own clock, so only our clock matters; a pong from the future, from
          // before the link existed, or from the path we no longer use is not a measurement.
          double sample = ctx_.port.nowMs() - m.ts;
          bool current = (via == Via::Direct) == (path.transport() == Transport::Direct);
          if (sample < 0 || sample > 60000 || !current) return;
          path.rttMs = smoothRtt(path.rttMs, sample);
          ctx_.observer.onLinkRtt(peer, path.rttMs);
          if (report_) report_->changed(peer);
        }
      },
      message);
}

void Streams::onAppMessage(const PeerId& from, PeerPath& path, AppMessage message, Via via) {
  auto outcome = path.receiver.accept(std::move(message));
  if (!outcome) return ctx_.report(outcome.error().code, "from " + from + ": " + outcome.error().message);
  std::uint64_t ack = outcome.value().ack;
  // Owe the ack before delivering: the app may leave the room from its message handler. Over the
  // link it waits for the whole link message (LinkBatcher::settleAck), and a reply may carry it.
  if (ack > 0 && via == Via::Direct) {
    links_.oweAck(path, ack);
  } else if (ack > 0) {
    relay_.owe(path, Ack{ack});
  }
  for (const auto& m : outcome.value().deliver) {
    if (!ctx_.path(from)) return;  // gone while the app handled an earlier one
    route(from, m);
  }
}

void Streams::route(const PeerId& from, const AppMessage& m) {
  switch (m.kind) {
    case MessageKind::App:
      return ctx_.observer.onMessage(from, m.data, MessageMeta{m.id, m.ts, m.broadcast});
    case MessageKind::Request:
      return requests_->onRequest(from, m);
    case MessageKind::Response:
      return requests_->onResponse(from, m);
    case MessageKind::State:
      return ctx_.observer.onStateFrame(from, m.data);
    case MessageKind::Unknown:
      // A newer member's kind: never the app's message (that would hand it data of another shape).
      return ctx_.report(ErrorCode::ProtocolViolation,
                         "a message from " + from + " of a kind this version does not know; dropped");
  }
}

void Streams::onUnreliable(const PeerId& from, PeerPath& path, UnreliableMessage message) {
  // A new epoch is a new sender (a reloaded page): its numbering starts over.
  if (message.epoch != path.unreliableEpoch) {
    path.unreliableEpoch = message.epoch;
    path.unreliableDelivered = 0;
  }
  if (message.n <= path.unreliableDelivered) return;  // older than one already delivered
  path.unreliableDelivered = message.n;
  ctx_.observer.onMessage(from, message.data, MessageMeta{message.id, message.ts, message.broadcast, false});
}

// ---- transports and pings ----------------------------------------------------------------------

void Streams::useRelay(const PeerId& peer, PeerPath& path, const std::string& why) {
  if (path.relay) return;
  path.relay = true;
  ctx_.log("relaying to " + peer + ": " + why);
  relay_.restart(path);
  updateTransport(peer, path);
}

void Streams::updateTransport(const PeerId& peer, PeerPath& path) {
  Transport now = path.transport();
  if (now == path.reported) return;
  path.reported = now;
  if (now != Transport::Direct) links_.drop(path);
  path.rttMs = -1;  // a measurement of the old path says nothing about the new one
  path.link.unansweredSinceMs = -1;
  ctx_.timers.cancel(path.pingTimer);
  ctx_.log("messages to " + peer + " travel " +
           (now == Transport::Direct ? "directly" : now == Transport::Relay ? "through the server" : "nowhere yet"));
  if (now != Transport::None) ping(peer, path);
  ctx_.observer.onTransport(peer, now);
  if (report_) report_->changed(peer);
}

void Streams::ping(const PeerId& peer, PeerPath& path) {
  double now = ctx_.port.nowMs();
  Transport transport = path.transport();
  if (transport == Transport::Direct) {
    // A path that died quietly (a network change) can take ICE half a minute to notice; our own
    // pings notice sooner. Measured from the oldest unanswered ping, so a page whose timers are
    // throttled in the background does not mistake its own slowness for silence.
    double since = path.link.unansweredSinceMs;
    if (since >= 0 && now - since > ctx_.config.linkSilenceTimeoutMs) {
      return negotiation_->fail(peer, path, "no answer for " + std::to_string(static_cast<long>(now - since)) + " ms");
    }
    if (since < 0) path.link.unansweredSinceMs = now;
    sendVia(peer, path, LinkPing{now}, Via::Direct);
  } else if (transport == Transport::Relay && ctx_.relayReaches(path)) {
    sendVia(peer, path, LinkPing{now}, Via::Relay);
  }
  if (transport != Transport::None) {
    path.pingTimer = ctx_.timers.start(ctx_.config.linkPingIntervalMs, [this, peer] {
      PeerPath* p = ctx_.path(peer);
      if (!p) return;
      p->pingTimer = 0;
      ping(peer, *p);
    });
  }
}

}  // namespace huddle::client
