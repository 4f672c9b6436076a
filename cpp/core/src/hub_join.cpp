// The Hub's way into a room: create and join (a code, a name, or a join token), finding or making
// the room (a name joined for the first time, a room a restarted server forgot), and entering it.
// Passwords are hub_password.cpp, tokens hub_tokens.cpp; the rest of the Hub is hub.cpp.
#include <algorithm>
#include <cmath>

#include "huddle/codec.hpp"
#include "huddle/hub.hpp"
#include "huddle/room_code.hpp"

namespace huddle {
namespace {

constexpr const char* kNameRule =
    "a name is 1 to 32 characters, without control, invisible or bidi characters, and does not mix Latin, Greek "
    "and Cyrillic letters";

// The room as it is now, for a member entering it.
std::string roomJoinedFrame(const Room& room, const PeerId& you) {
  return encode(RoomJoined{room.code(), you, room.host(), room.maxMembers(), room.members(), room.relayOnly(),
                            room.hasPassword()});
}

}  // namespace

void Hub::onCreate(ConnId conn, Connection& c, const Create& m, std::vector<Outgoing>& out) {
  moveOnFromHeldPlace(c, out);
  if (!c.room.empty()) return reject(conn, ErrorCode::AlreadyInRoom, "already in room " + c.room, "create", out);
  // A fresh code cannot have been in anyone's token: the connection's own token (for any room)
  // is what shows the site let it in.
  if (config_.verifyToken && config_.tokensForCodes && c.claims.peerId.empty()) {
    ++stats_.tokenRequired;
    return reject(conn, ErrorCode::TokenRequired, "this server requires a join token to create a room", "create",
                  out);
  }
  auto name = normalizeName(m.name);
  if (!name) return reject(conn, ErrorCode::InvalidName, kNameRule, "create", out);
  std::string code = newUniqueCode();
  if (code.empty()) return reject(conn, ErrorCode::ServerFull, "could not allocate a room code", "create", out);
  if (Room* room = createRoom(conn, code, m.maxMembers, m.relayOnly, m.password, "create", out)) {
    enterRoom(conn, c, *room, *name, "create", out);
  }
}

// A fresh page (a reload, a new tab) that took over its id's place in a room, while the place was
// held for it, and asks for another room: it moved on, so it leaves the held place (the others see
// it leave) instead of being refused as already in a room. The id stays its own: a site that
// reuses its users' ids across rooms (a lobby, then a match) is not locked out for the grace
// period. A page that kept its state (a reconnect) is in its room and never asks for another.
void Hub::moveOnFromHeldPlace(Connection& c, std::vector<Outgoing>& out) {
  if (c.room.empty() || !c.announceWhenJoined) return;
  c.announceWhenJoined = false;
  leaveRoom(c, LeaveReason::Left, out);
}

void Hub::onJoin(ConnId conn, Connection& c, const Join& m, std::vector<Outgoing>& out) {
  auto key = normalizeRoomKey(m.code);
  if (!key) {
    return reject(conn, ErrorCode::InvalidCode,
                  "a room code is 6 letters and digits; a room name is 1 to 64 letters, digits, _ . or -", "join",
                  out);
  }
  if (!c.room.empty()) {
    // A connection that took over a member's identity (hello with id and token) rejoins the room
    // it is already in: it gets the room as it is now, and nobody else sees a change.
    if (c.room == *key) {
      const Room& room = rooms_.at(c.room);
      ++stats_.joins[static_cast<std::size_t>(JoinOutcome::Resumed)];
      out.push_back({conn, roomJoinedFrame(room, c.id)});
      // A reloaded page is told back to the others only now: before its room_joined it would
      // drop the offers and relay frames their peer_back sets off.
      if (c.announceWhenJoined) {
        c.announceWhenJoined = false;
        broadcast(room, c.id, encode(PeerBack{c.id, true}), out);
      }
      return;
    }
    moveOnFromHeldPlace(c, out);
    if (!c.room.empty()) return reject(conn, ErrorCode::AlreadyInRoom, "already in room " + c.room, "join", out);
  }
  JoinClaims claims;
  bool hasClaims = false;
  if (!admitByToken(conn, c, m, *key, claims, hasClaims, out)) return;
  // A token is the site's word: its display name is the member's, and its rules are the room's
  // if this join creates it (so nobody can create a victim's room first with rules of their own).
  Join join = m;
  if (hasClaims) {
    join.name = claims.name;
    join.create = true;
    join.maxMembers = claims.maxMembers;
    join.relayOnly = claims.relayOnly;
  }
  auto name = normalizeName(join.name);
  if (!name) return reject(conn, ErrorCode::InvalidName, kNameRule, "join", out);
  // A join that may find no room waits out the backoff of failed joins from its address (all of
  // them: refusing only those that would fail would tell a guesser when it hit). A join with
  // create never fails to find one; what it creates counts against the rooms per address. (It
  // may still meet a room's password: then it waits there, admitByPassword.)
  bool waited = !join.create;
  if (waited && !withinLimit(conn, c, AddressLimit::FailedJoins, 1, "join", out)) return;
  if (Room* room = roomForJoin(conn, c, join, *key, hasClaims, waited, out)) {
    std::uint64_t rank = join.rank > 0 && clock_() < room->restoringUntil ? join.rank : 0;
    enterRoom(conn, c, *room, *name, "join", out, rank);
  }
}

Room* Hub::roomForJoin(ConnId conn, const Connection& c, const Join& m, const std::string& key, bool vouched,
                       bool waited, std::vector<Outgoing>& out) {
  auto it = rooms_.find(key);
  if (it != rooms_.end()) return admitByPassword(conn, c, it->second, m, vouched, waited, out) ? &it->second : nullptr;
  if (!m.create) {
    addresses_.take(c.address, AddressLimit::FailedJoins, 1, clock_());
    reject(conn, ErrorCode::RoomNotFound, "no room " + key, "join", out);
    return nullptr;
  }
  Room* room = createRoom(conn, key, m.maxMembers, m.relayOnly, m.password, "join", out);
  // Recreated by a member coming back after a restart of this server: for as long as members may
  // take a while to come back, they take their old places (and the host role) back.
  if (room && m.rank > 0) room->restoringUntil = clock_() + config_.memberGraceMs;
  return room;
}

Room* Hub::createRoom(ConnId conn, const std::string& code, int maxMembers, bool relayOnly,
                      const std::string& password, const char* ref, std::vector<Outgoing>& out) {
  int size = maxMembers == 0 ? config_.defaultRoomSize : maxMembers;
  if (size < limits::kMinRoomSize || size > config_.maxRoomSize) {
    reject(conn, ErrorCode::InvalidRoomSize,
           "room size must be " + std::to_string(limits::kMinRoomSize) + " to " + std::to_string(config_.maxRoomSize),
           ref, out);
    return nullptr;
  }
  if (!canKeepPassword(conn, password, ref, out)) return nullptr;
  const Connection& c = connections_.at(conn);
  if (!withinLimit(conn, c, AddressLimit::Rooms, 1, ref, out)) return nullptr;
  if (rooms_.size() >= config_.maxRooms) {
    reject(conn, ErrorCode::ServerFull, "the server has no room for another room", ref, out);
    return nullptr;
  }
  addresses_.take(c.address, AddressLimit::Rooms, 1, clock_());
  auto [it, inserted] = rooms_.emplace(code, Room(code, size, relayOnly));
  protect(it->second, password);
  it->second.createdAt = clock_();
  ++stats_.rooms;
  ++stats_.roomsCreated;
  return &it->second;
}

void Hub::enterRoom(ConnId conn, Connection& c, Room& room, const std::string& name, const char* ref,
                    std::vector<Outgoing>& out, std::uint64_t rank) {
  PeerId hostBefore = room.host();
  const bool fresh = room.empty();  // an empty room is one this frame created: empty ones close
  auto added = room.add(c.id, name, rank);
  if (!added) {
    const Error& e = added.error();
    if (fresh) {  // a fresh room that could not take its creator (cannot happen today)
      ++stats_.roomsEmptied;
      noteRoomClosed(room);
      rooms_.erase(room.code());
    }
    return reject(conn, e.code, e.message, ref, out);
  }
  ++stats_.joins[static_cast<std::size_t>(fresh ? JoinOutcome::Created : JoinOutcome::Joined)];
  c.room = room.code();
  c.statsReported = false;
  room.lastActive = clock_();
  noteChanged(room.code());
  ++stats_.members;
  out.push_back({conn, roomJoinedFrame(room, c.id)});
  broadcast(room, c.id, encode(PeerJoined{added.value()}), out);
  // A member restoring an older place than the host's is host again.
  if (!hostBefore.empty() && room.host() != hostBefore) {
    ++stats_.hostChanges;
    broadcast(room, c.id, encode(HostChanged{room.host()}), out);
  }
}

}  // namespace huddle
