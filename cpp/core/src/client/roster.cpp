#include "client/roster.hpp"

#include <algorithm>

namespace huddle::client {

PeerInfo* Roster::find(const PeerId& id) {
  auto m = std::find_if(members.begin(), members.end(), [&](const PeerInfo& p) { return p.id == id; });
  return m == members.end() ? nullptr : &*m;
}

void Roster::take(const RoomJoined& joined) {
  code = joined.code;
  maxMembers = joined.maxMembers;
  relayOnly = joined.relayOnly;
  selfJoinOrder = 0;
  for (const auto& p : joined.peers) {
    if (p.id == self) selfJoinOrder = p.joinOrder;  // decides who offers on new links
  }
}

void Roster::insert(const PeerInfo& info) {
  remove(info.id);
  // In join order: a member restoring its place after a server restart may be older than others.
  auto at = std::find_if(members.begin(), members.end(), [&](const PeerInfo& p) { return p.joinOrder > info.joinOrder; });
  members.insert(at, info);
}

bool Roster::remove(const PeerId& id) {
  return std::erase_if(members, [&](const PeerInfo& p) { return p.id == id; }) > 0;
}

std::vector<PeerId> Roster::others() const {
  std::vector<PeerId> out;
  for (const auto& m : members) {
    if (m.id != self) out.push_back(m.id);
  }
  return out;
}

void Roster::clear() {
  members.clear();
  code.clear();
  host.clear();
  selfJoinOrder = 0;
  relayOnly = false;
}

}  // namespace huddle::client
