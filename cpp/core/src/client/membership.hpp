// Applies what the server says about the room to the roster and the paths: members joining
// (each gets a path and, unless the room is relay-only, a link), leaving, going away and coming
// back, the host moving, and — after our own reconnect — reconciling the room as it is now with
// the room as we knew it: members the server does not list are kept, away, for memberGraceMs.
#pragma once

#include <vector>

#include "client/context.hpp"
#include "client/negotiation.hpp"
#include "client/relay_batcher.hpp"
#include "client/streams.hpp"

namespace huddle::client {

class Membership {
 public:
  Membership(Context& ctx, Negotiation& negotiation, Streams& streams, RelayBatcher& relay)
      : ctx_(ctx), negotiation_(negotiation), streams_(streams), relay_(relay) {}

  // room_joined for a create/join: the room's members, everyone but us new.
  void enter(const RoomJoined& joined);
  // room_joined after our reconnect: keep every path, queue and stream; add newcomers (returned,
  // to be announced once the session is back in the room); members missing from the list get
  // memberGraceMs to come back.
  std::vector<PeerInfo> reconcile(const RoomJoined& joined);
  void announce(const std::vector<PeerInfo>& newcomers);

  void onPeerJoined(const PeerInfo& info);
  void onPeerLeft(const PeerId& id, LeaveReason reason);
  void onHostChanged(const PeerId& host);
  void setAway(const PeerId& id, bool away);
  void onPeerBack(const PeerBack& back);

  // Every member including yourself, in join order.
  std::vector<Peer> peers() const;

 private:
  // Takes the room's facts and member list (the caller has emptied the roster's list): known
  // members are refreshed, the others get paths. Returns those.
  std::vector<PeerInfo> take(const RoomJoined& joined);
  void add(const PeerInfo& info);
  // A known member (re)appeared in the room: refresh its info, end its grace, and make a fresh
  // link if the old one is not open.
  void refresh(const PeerInfo& info);
  void startGrace(const PeerId& peer, PeerPath& path);

  Context& ctx_;
  Negotiation& negotiation_;
  Streams& streams_;
  RelayBatcher& relay_;
};

}  // namespace huddle::client
