// The Hub's side of the room directory (huddle-server --redis; docs/cluster.md): which rooms
// changed, their records, and rooms given back after a restart. The store itself is the server's.
#include <algorithm>

#include "huddle/hub.hpp"
#include "huddle/room_code.hpp"

namespace huddle {

std::vector<RoomChange> Hub::takeRoomChanges() {
  std::vector<RoomChange> changes;
  changes.reserve(changed_.size());
  for (const auto& key : changed_) {
    auto it = rooms_.find(key);
    changes.push_back({key, it == rooms_.end() ? std::nullopt : std::optional(recordOf(it->second))});
  }
  changed_.clear();
  return changes;
}

std::vector<RoomRecord> Hub::roomRecords() const {
  std::vector<RoomRecord> records;
  records.reserve(rooms_.size());
  for (const auto& [key, room] : rooms_) records.push_back(recordOf(room));
  return records;
}

RoomRecord Hub::recordOf(const Room& room) const {
  RoomRecord r{.key = room.code(),
               .maxMembers = room.maxMembers(),
               .relayOnly = room.relayOnly(),
               .passwordSalt = room.passwordSalt,
               .passwordHash = room.passwordHash,
               .creator = room.creator(),
               .othersJoined = room.othersJoined(),
               .nextJoinOrder = room.nextJoinOrder(),
               .idleMs = std::max(0.0, clock_() - room.lastActive)};
  for (const auto& m : room.members()) {
    // A member is live (peers_) or away (away_), and its resume token is where it is.
    std::string token;
    if (auto a = away_.find(m.id); a != away_.end()) {
      token = a->second.token;
    } else if (auto p = peers_.find(m.id); p != peers_.end()) {
      token = connections_.at(p->second).token;
    }
    r.members.push_back({m.id, m.name, m.joinOrder, std::move(token)});
  }
  return r;
}

std::string Hub::unrestorable(const RoomRecord& r) const {
  if (normalizeRoomKey(r.key) != r.key) return "not a room code or name";
  if (rooms_.contains(r.key)) return "a room of that key is live";
  if (rooms_.size() >= config_.maxRooms) return "the server has no room for another room";
  if (r.maxMembers < limits::kMinRoomSize || r.maxMembers > config_.maxRoomSize) return "room size out of range";
  if (r.members.empty() || r.members.size() > static_cast<std::size_t>(r.maxMembers)) return "member count";
  if (r.passwordHash.empty() != r.passwordSalt.empty() ||
      (!r.passwordSalt.empty() && r.passwordSalt.size() != limits::kRoomPasswordSaltBytes)) {
    return "password salt and hash";
  }
  if (!r.passwordHash.empty() && !config_.hashPassword) return "a password this server cannot check";
  if (!r.creator.empty() && !isValidPeerId(r.creator)) return "creator";
  std::uint64_t previous = 0;
  for (const auto& m : r.members) {
    if (!isValidPeerId(m.id) || !isValidResumeToken(m.token)) return "a member's id or token";
    if (normalizeName(m.name) != m.name) return "a member's name";
    if (m.joinOrder <= previous || m.joinOrder >= r.nextJoinOrder) return "join orders";
    if (peers_.contains(m.id) || away_.contains(m.id)) return "a member's id is live";
    previous = m.joinOrder;
  }
  return {};
}

std::size_t Hub::restoreRooms(const std::vector<RoomRecord>& records, std::vector<std::string>& skipped) {
  std::size_t restored = 0;
  const double now = clock_();
  for (const auto& r : records) {
    if (std::string why = unrestorable(r); !why.empty()) {
      skipped.push_back("room " + r.key + ": " + why);
      continue;
    }
    Room room(r.key, r.maxMembers, r.relayOnly);
    bool added = true;
    for (const auto& m : r.members) added = added && room.add(m.id, m.name, m.joinOrder).ok();
    if (!added) {  // names that clash, ids twice: a record no Hub wrote
      skipped.push_back("room " + r.key + ": members that cannot be in one room");
      continue;
    }
    room.restoreHistory(r.creator, r.othersJoined, r.nextJoinOrder);
    room.passwordSalt = r.passwordSalt;
    room.passwordHash = r.passwordHash;
    room.lastActive = now - r.idleMs;
    room.createdAt = now;  // a record keeps no creation time: its lifetime on /metrics starts here
    const double until = now + graceFor(room, r.members.front().id);
    for (const auto& m : r.members) {
      // Away as if its connection had just dropped: a restart is the server's blip, not theirs.
      away_[m.id] = AwayMember{m.token, r.key, LeaveReason::Disconnected, until};
    }
    stats_.members += r.members.size();
    stats_.awayMembers += r.members.size();
    ++stats_.rooms;
    rooms_.emplace(r.key, std::move(room));
    ++restored;
  }
  return restored;
}

}  // namespace huddle
