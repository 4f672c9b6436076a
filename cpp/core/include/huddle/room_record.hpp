// A room as the room directory keeps it (huddle-server --redis; docs/cluster.md): what a server
// needs to give every member its place back after a restart, the host role included. Pure data:
// the Hub makes and restores records, the server stores them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "huddle/message.hpp"

namespace huddle {

struct MemberRecord {
  PeerId id;
  std::string name;
  std::uint64_t joinOrder = 0;
  // Its resume token: what its hello shows to be let back into its place. A secret, as the room
  // password's hash is: the directory is the server's own store, never shown to clients.
  std::string token;
};

struct RoomRecord {
  std::string key;  // the room's code, or the name it was joined under
  int maxMembers = 0;
  bool relayOnly = false;
  std::string passwordSalt;  // both empty: no password
  std::string passwordHash;
  PeerId creator;            // the first member ever (Room::onlyCreatorEverJoined)
  bool othersJoined = false;
  std::uint64_t nextJoinOrder = 1;  // join orders below it were handed out
  double idleMs = 0;                // how long no member had been active when it was recorded
  std::vector<MemberRecord> members;  // in join order: the host first
};

// A room whose record changed (Hub::takeRoomChanges): its record now, or none when it is gone.
struct RoomChange {
  std::string key;
  std::optional<RoomRecord> record;
};

}  // namespace huddle
