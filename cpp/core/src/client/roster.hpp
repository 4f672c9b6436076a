// Who is in the room, as the server last said: every member (you included) in join order, who
// is host, and the room's own facts. Data only: Membership changes it, everyone reads it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "huddle/message.hpp"

namespace huddle::client {

struct Roster {
  // Your own peer id (from welcome) and the name you joined with; kept across rooms' reconnects.
  PeerId self;
  std::string selfName;
  // The room's code (or name), size and kind, from room_joined.
  std::string code;
  int maxMembers = 0;
  bool relayOnly = false;
  // The room's password as this member joined with it ("" : none): a rejoin after a server
  // restart recreates the room with it, or enters the room someone else recreated.
  std::string password;
  PeerId host;
  std::uint64_t selfJoinOrder = 0;
  // Every member including yourself, in join order (members missing after our reconnect stay
  // listed, at the end, while they may come back).
  std::vector<PeerInfo> members;

  PeerInfo* find(const PeerId& id);
  // Whether we make the offer on the link to `other`: the newer member of each pair offers, so
  // exactly one side of every pair does (no glare on a first link).
  bool offersTo(const PeerInfo& other) const { return selfJoinOrder > other.joinOrder; }
  // Takes the room's code, size, kind and our join order from `joined` (not its member list).
  void take(const RoomJoined& joined);
  // Lists `info` (replacing an entry with its id) at its place in join order.
  void insert(const PeerInfo& info);
  // Drops `id`; false when it was not listed.
  bool remove(const PeerId& id);
  // Every member but yourself, in join order.
  std::vector<PeerId> others() const;
  // Out of the room: forgets the room and its members (not who you are).
  void clear();
};

}  // namespace huddle::client
