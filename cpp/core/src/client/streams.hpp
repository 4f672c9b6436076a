// The frames between this client and each member, over whichever path is up: the reliable
// streams (messages, acks, syncs), unreliable messages, and the pings that measure round-trip
// time and notice a link gone silent. A frame does not care which path it took: a new path starts
// with a sync and a resend of everything unacknowledged, and the receiver drops what it already
// has (docs/protocol.md "Peer frames", "Relay").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/context.hpp"
#include "client/link_batcher.hpp"
#include "client/relay_batcher.hpp"
#include "huddle/client.hpp"

namespace huddle::client {

class Negotiation;
class LinkReport;
class Requests;

class Streams {
 public:
  Streams(Context& ctx, RelayBatcher& relay) : ctx_(ctx), relay_(relay), links_(ctx) {}
  // Streams fail a link that went silent; Negotiation is made after Streams.
  void attach(Negotiation& negotiation) { negotiation_ = &negotiation; }
  // Requests and their answers arrive here first; Requests is made after Streams.
  void attach(Requests& requests) { requests_ = &requests; }
  // Told when a path's transport or round-trip time changes; made after Streams.
  void attach(LinkReport& report) { report_ = &report; }

  // Client::send and sendTo (see there).
  Result<std::uint64_t> send(std::string_view data, Delivery delivery);
  Result<std::uint64_t> sendTo(const PeerId& peer, std::string_view data, Delivery delivery);
  // A reliable message of `kind` to one member (a request, or an answer to request `re`, refused
  // with error code name `refusal` when not empty); returns its message id, which is a request's
  // id. The same checks and errors as sendTo.
  Result<std::uint64_t> sendKind(const PeerId& peer, std::string_view data, MessageKind kind, std::uint64_t re = 0,
                                 std::string refusal = "");

  // Client::sendGame (see there).
  Status sendGame(const PeerId& peer, std::string_view frame);

  // A frame from a member over its link, or a relay frame from the server.
  void onLinkFrame(const PeerId& peer, std::string_view text);
  void onRelayFrame(const RelayIn& relay);

  // Hands every message not yet sent to the path's current transport.
  void flush(const PeerId& peer, PeerPath& path);
  // The link is not usable: send through the server from now on.
  void useRelay(const PeerId& peer, PeerPath& path, const std::string& why);
  // Tells the observer when the transport changed, and restarts pinging over the new one.
  void updateTransport(const PeerId& peer, PeerPath& path);
  // Pings over the current transport and schedules the next; fails a silent link.
  void ping(const PeerId& peer, PeerPath& path);

 private:
  enum class Via { Direct, Relay };  // the path a frame came by; replies go back the same way
  Result<std::uint64_t> sendToMany(const std::vector<PeerId>& targets, std::string_view data, bool broadcast,
                                   Delivery delivery, AppMessage kind = {});
  // A delivered message, to whoever it is for by its kind: the app (messages and room state frames),
  // or Requests.
  void route(const PeerId& from, const AppMessage& message);
  void onPeerFrame(const PeerId& peer, PeerPath& path, PeerMessage message, Via via);
  void onAppMessage(const PeerId& from, PeerPath& path, AppMessage message, Via via);
  void onUnreliable(const PeerId& from, PeerPath& path, UnreliableMessage message);
  void sendUnreliable(const PeerId& peer, PeerPath& path, UnreliableMessage message);
  void sendVia(const PeerId& peer, PeerPath& path, const PeerMessage& message, Via via);

  Context& ctx_;
  RelayBatcher& relay_;
  LinkBatcher links_;
  Negotiation* negotiation_ = nullptr;
  Requests* requests_ = nullptr;
  LinkReport* report_ = nullptr;
  std::uint64_t nextMessageId_ = 1;
};

}  // namespace huddle::client
