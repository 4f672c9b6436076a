// The Hub's side of connections greeted by another node (docs/cluster.md, "Members on other
// nodes"): a gateway answered the hello, found the room the connection joins held here, and hands
// the connection over with the identity it checked.
#include "detail/same_secret.hpp"
#include "huddle/codec.hpp"
#include "huddle/hub.hpp"
#include "huddle/room_code.hpp"

namespace huddle {

std::optional<Attached> Hub::attachable(ConnId conn) const {
  auto it = connections_.find(conn);
  if (it == connections_.end()) return std::nullopt;
  const Connection& c = it->second;
  if (!c.greeted || !c.room.empty()) return std::nullopt;
  return Attached{c.id, c.token, c.fresh, c.claims};
}

std::vector<Outgoing> Hub::attach(ConnId conn, std::string address, const Attached& who) {
  std::vector<Outgoing> out;
  if (connections_.contains(conn)) return out;
  connect(conn, std::move(address));
  Connection& c = connections_.at(conn);
  c.fresh = who.fresh;
  if (!isValidPeerId(who.id) || !isValidResumeToken(who.token)) {
    reject(conn, ErrorCode::InvalidPeerId, "the node that greeted this connection handed over no valid id", "hello",
           out);
    return out;
  }
  // A join token is the site's word on who this is (as in helloWithJoinToken): it takes the id
  // whatever resume token is held for it here.
  const bool vouched = !who.claims.peerId.empty() && who.claims.peerId == who.id;
  const bool held = away_.contains(who.id) || peers_.contains(who.id);
  if (held && !vouched && !holdsResumeToken(who.id, who.token)) {
    reject(conn, ErrorCode::PeerIdTaken, "peer id " + who.id + " is in use", "hello", out);
    return out;
  }
  if (auto away = away_.find(who.id); away != away_.end()) {
    away->second.token = who.token;
    resume(conn, c, who.id, who.fresh, out, /*welcome=*/false);
  } else if (auto holder = peers_.find(who.id); holder != peers_.end()) {
    connections_.at(holder->second).token = who.token;
    takeOver(conn, c, holder->second, who.fresh, out, /*welcome=*/false);
  } else {
    c.greeted = true;
    c.id = who.id;
    c.token = who.token;
    peers_[c.id] = conn;
  }
  c.claims = who.claims;
  if (!c.room.empty()) noteChanged(c.room);  // its place may have a new resume token
  return out;
}

}  // namespace huddle
