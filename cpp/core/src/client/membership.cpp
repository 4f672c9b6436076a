#include "client/membership.hpp"

#include <algorithm>

namespace huddle::client {

void Membership::enter(const RoomJoined& joined) {
  ctx_.roster.host = joined.host;
  ctx_.roster.members.clear();
  take(joined);  // no paths yet: everyone but us is new
  ctx_.log("joined room " + ctx_.roster.code + " with " + std::to_string(joined.peers.size()) + " members");
}

std::vector<PeerInfo> Membership::reconcile(const RoomJoined& joined) {
  std::vector<PeerInfo> before = std::move(ctx_.roster.members);
  ctx_.roster.members.clear();
  std::vector<PeerInfo> newcomers = take(joined);
  ctx_.log("back in room " + ctx_.roster.code + " with " + std::to_string(joined.peers.size()) + " members");
  // Members the server does not list (yet): after a server restart they come back one by one.
  for (const auto& p : before) {
    PeerPath* path = p.id == ctx_.roster.self ? nullptr : ctx_.path(p.id);
    if (!path) continue;
    if (std::none_of(joined.peers.begin(), joined.peers.end(), [&](const PeerInfo& q) { return q.id == p.id; })) {
      ctx_.roster.insert(p);
      if (!path->graceTimer) startGrace(p.id, *path);
      ctx_.log(p.id + " is away");
    }
  }
  return newcomers;
}

void Membership::announce(const std::vector<PeerInfo>& newcomers) {
  for (const auto& p : newcomers) ctx_.observer.onPeerJoined(p);
}

std::vector<PeerInfo> Membership::take(const RoomJoined& joined) {
  ctx_.roster.take(joined);
  std::vector<PeerInfo> newcomers;
  for (const auto& p : joined.peers) {
    if (p.id == ctx_.roster.self) {
      ctx_.roster.insert(p);
    } else if (ctx_.path(p.id)) {
      refresh(p);
    } else {
      add(p);
      newcomers.push_back(p);
    }
  }
  return newcomers;
}

void Membership::onPeerJoined(const PeerInfo& info) {
  if (info.id == ctx_.roster.self) return;
  if (ctx_.path(info.id)) return refresh(info);
  add(info);
  ctx_.observer.onPeerJoined(info);
}

void Membership::add(const PeerInfo& info) {
  if (info.id == ctx_.roster.self || ctx_.path(info.id)) return;
  ctx_.roster.insert(info);
  bool offerer = ctx_.roster.offersTo(info);
  auto epoch = static_cast<std::uint64_t>(ctx_.port.random() * 9007199254740991.0) + 1;  // 1..2^53
  auto owned = std::make_unique<PeerPath>(offerer, epoch, ctx_.config.maxUnackedPerPeer);
  PeerPath& path = *owned;
  ctx_.paths[info.id] = std::move(owned);
  if (ctx_.roster.relayOnly) {
    // No link by design: the relay carries everything from the start. (Set up quietly: the
    // member is announced with its transport.)
    path.link.state = LinkState::Closed;
    path.relay = true;
    path.reported = Transport::Relay;
    relay_.restart(path);
    streams_.ping(info.id, path);
    return ctx_.log("relaying to " + info.id + " (" + info.name + "): the room is relay-only");
  }
  negotiation_.open(info.id, path, info.name);
}

void Membership::refresh(const PeerInfo& info) {
  ctx_.roster.insert(info);
  PeerPath& path = *ctx_.path(info.id);
  if (path.graceTimer) {
    ctx_.timers.cancel(path.graceTimer);
    ctx_.log(info.id + " is back");
    relay_.restart(path);
  }
  if (path.link.state != LinkState::Connected && !ctx_.roster.relayOnly) {
    negotiation_.reopen(info.id, path, ctx_.roster.offersTo(info));
  }
}

void Membership::onPeerLeft(const PeerId& id, LeaveReason reason) {
  if (!ctx_.roster.remove(id)) return;
  auto it = ctx_.paths.find(id);
  if (it != ctx_.paths.end()) {
    it->second->cancelTimers(ctx_.timers);
    ctx_.paths.erase(it);
    ctx_.port.closeLink(id);
  }
  ctx_.log(id + " left (" + std::string(leaveReasonName(reason)) + ")");
  if (ctx_.memberLeft) ctx_.memberLeft(id);
  ctx_.observer.onPeerLeft(id, reason);
}

void Membership::onHostChanged(const PeerId& host) {
  ctx_.roster.host = host;
  ctx_.log("host is now " + host);
  ctx_.observer.onHostChanged(host);
}

void Membership::setAway(const PeerId& id, bool away) {
  PeerPath* path = ctx_.path(id);
  if (!path || path->away == away) return;
  path->away = away;
  ctx_.log(id + (away ? " is away" : " is back"));
  if (!away) relay_.restart(*path);  // what went to it as it dropped may be lost
  if (away) ctx_.observer.onPeerAway(id);
  else ctx_.observer.onPeerBack(id);
}

void Membership::onPeerBack(const PeerBack& back) {
  PeerPath* path = ctx_.path(back.id);
  if (!path) return;
  setAway(back.id, false);
  if (ctx_.roster.relayOnly) return relay_.restart(*path);  // a reloaded page needs the sync too
  // A reloaded page (fresh) has no links, whatever ours looks like; and a link that is down needs
  // remaking anyway. The newer side of the pair offers, as on a first link.
  const PeerInfo* member = ctx_.roster.find(back.id);
  if ((back.fresh || path->link.state != LinkState::Connected) && member) {
    negotiation_.reopen(back.id, *path, ctx_.roster.offersTo(*member));
  }
}

void Membership::startGrace(const PeerId& peer, PeerPath& path) {
  path.graceTimer = ctx_.timers.start(ctx_.config.memberGraceMs, [this, peer] {
    PeerPath* p = ctx_.path(peer);
    if (!p) return;
    p->graceTimer = 0;
    // An open link means its page is alive: it is only slow to reach the server again (after a
    // restart, reconnect backoff can outlast the grace). Dropping it would drop what we send it
    // meanwhile, so wait another period; the server, once it knows, has the last word.
    if (p->link.state == LinkState::Connected) return startGrace(peer, *p);
    onPeerLeft(peer, LeaveReason::Disconnected);
  });
}

std::vector<Peer> Membership::peers() const {
  std::vector<Peer> out;
  for (const auto& m : ctx_.roster.members) {
    auto it = ctx_.paths.find(m.id);
    if (it == ctx_.paths.end()) {
      out.push_back({m, LinkState::Connected, false});
    } else {
      const PeerPath& path = *it->second;
      out.push_back({m, path.link.state, path.missing(), path.rttMs, path.transport()});
    }
  }
  return out;
}

}  // namespace huddle::client
