// Rooms and their membership: who is in, in which order they joined, and who is host. Pure data;
// the Hub (hub.hpp) drives it from frames, and huddle-server drives the Hub.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/message.hpp"

namespace huddle {

class Room {
 public:
  Room(std::string code, int maxMembers, bool relayOnly = false);

  const std::string& code() const { return code_; }
  int maxMembers() const { return maxMembers_; }
  // Members talk through the server only (see Create::relayOnly).
  bool relayOnly() const { return relayOnly_; }
  bool empty() const { return members_.empty(); }
  bool full() const { return static_cast<int>(members_.size()) >= maxMembers_; }
  std::size_t size() const { return members_.size(); }
  // The most members it has held at once (for /metrics, observed when the room closes).
  std::size_t peakSize() const { return peakSize_; }

  // Members in join order (the host first).
  const std::vector<PeerInfo>& members() const { return members_; }
  bool contains(std::string_view id) const;
  // Present member with the lowest join order; "" when empty.
  PeerId host() const;

  // Adds a member at the end of the join order; with a `rank` no member holds (a member restoring
  // its place after a server restart, Join::rank), at that join order instead. Fails with RoomFull
  // or NameTaken (names compare case-insensitively for ASCII so "Ann" and "ann" cannot both be
  // present).
  Result<PeerInfo> add(const PeerId& id, const std::string& name, std::uint64_t rank = 0);

  // Until this time (the hub's clock, ms), joins may restore their old join order (Join::rank):
  // the room was recreated by a member coming back after a server restart.
  double restoringUntil = 0;
  // When a member last joined or said it was active (a ping), the hub's clock, ms: the room is
  // closed once this is HubConfig::roomIdleMs old.
  double lastActive = 0;
  // When the Hub created it (or gave it back from a room record), the hub's clock, ms.
  double createdAt = 0;
  // The room's password as a salted hash (Hub: HubConfig::hashPassword); both empty: it has none.
  // Fixed when the room is created.
  std::string passwordSalt;
  std::string passwordHash;
  bool hasPassword() const { return !passwordHash.empty(); }
  // Nobody but the member that created the room has ever been in it (the Hub gives such a room a
  // short grace once its creator is away: Hub config loneRoomGraceMs).
  bool onlyCreatorEverJoined() const { return !othersJoined_; }
  // Removes a member; returns whether it was present.
  bool remove(const PeerId& id);

  // What a room record keeps of the room's past (huddle/room_record.hpp), and its restoring: a
  // room rebuilt from a record gets its members with add(id, name, joinOrder), then this.
  const PeerId& creator() const { return creator_; }
  bool othersJoined() const { return othersJoined_; }
  std::uint64_t nextJoinOrder() const { return nextJoinOrder_; }
  void restoreHistory(PeerId creator, bool othersJoined, std::uint64_t nextJoinOrder);

 private:
  std::string code_;
  int maxMembers_;
  bool relayOnly_;
  std::uint64_t nextJoinOrder_ = 1;
  std::vector<PeerInfo> members_;
  std::size_t peakSize_ = 0;
  PeerId creator_;  // the first member added
  bool othersJoined_ = false;
};

}  // namespace huddle
