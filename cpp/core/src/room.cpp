#include "huddle/room.hpp"

#include <algorithm>

namespace huddle {
namespace {

// ASCII case-insensitive equality: enough to stop "Ann" and "ann" sharing a room without
// pulling Unicode case tables into the Wasm module.
bool sameName(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

}  // namespace

Room::Room(std::string code, int maxMembers, bool relayOnly)
    : code_(std::move(code)), maxMembers_(maxMembers), relayOnly_(relayOnly) {}

bool Room::contains(std::string_view id) const {
  return std::any_of(members_.begin(), members_.end(), [&](const PeerInfo& p) { return p.id == id; });
}

PeerId Room::host() const { return members_.empty() ? PeerId{} : members_.front().id; }

Result<PeerInfo> Room::add(const PeerId& id, const std::string& name, std::uint64_t rank) {
  if (full()) {
    return Error{ErrorCode::RoomFull, "room " + code_ + " is full (" + std::to_string(maxMembers_) + " members)"};
  }
  for (const auto& m : members_) {
    if (sameName(m.name, name)) return Error{ErrorCode::NameTaken, "the name \"" + name + "\" is taken in this room"};
  }
  if (creator_.empty()) creator_ = id;
  if (id != creator_) othersJoined_ = true;
  bool free = rank > 0 && std::none_of(members_.begin(), members_.end(), [&](const PeerInfo& p) { return p.joinOrder == rank; });
  peakSize_ = std::max(peakSize_, members_.size() + 1);
  if (!free) {
    PeerInfo info{id, name, nextJoinOrder_++};
    members_.push_back(info);  // the highest join order so far: the vector stays in join order
    return info;
  }
  PeerInfo info{id, name, rank};
  auto at = std::find_if(members_.begin(), members_.end(), [&](const PeerInfo& p) { return p.joinOrder > rank; });
  members_.insert(at, info);
  nextJoinOrder_ = std::max(nextJoinOrder_, rank + 1);  // never handed out again
  return info;
}

bool Room::remove(const PeerId& id) {
  auto it = std::find_if(members_.begin(), members_.end(), [&](const PeerInfo& p) { return p.id == id; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

void Room::restoreHistory(PeerId creator, bool othersJoined, std::uint64_t nextJoinOrder) {
  creator_ = std::move(creator);
  othersJoined_ = othersJoined;
  nextJoinOrder_ = std::max(nextJoinOrder_, nextJoinOrder);  // never below a member's join order
}

}  // namespace huddle
