#include "huddle/hub.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>

#include "detail/same_secret.hpp"
#include "detail/signal_payload.hpp"
#include "huddle/codec.hpp"
#include "huddle/room_code.hpp"
#include "wire/server_frames.hpp"

namespace huddle {
namespace {

// Attempts at drawing a room code or peer id not already live. With 32^6 codes (32^10 ids) a
// clash is already rare; repeated clashes mean the random source is broken, and looping on
// would hang the server.
constexpr int kCodeAttempts = 64;

constexpr const char* kNameRule =
    "a name is 1 to 32 characters, without control, invisible or bidi characters, and does not mix Latin, Greek "
    "and Cyrillic letters";

using detail::sameSecret;

// The "t" of a decoded frame, for error refs.
const char* frameTypeName(const ClientMessage& msg) {
  static constexpr const char* kNames[] = {"hello", "create", "join", "leave", "signal", "relay", "ping"};
  static_assert(std::variant_size_v<ClientMessage> == std::size(kNames));
  return kNames[msg.index()];
}

// The room as it is now, for a member entering it (or re-entering it after a takeover).
std::string roomJoinedFrame(const Room& room, const PeerId& you) {
  return encode(RoomJoined{room.code(), you, room.host(), room.maxMembers(), room.members(), room.relayOnly(),
                            room.hasPassword()});
}

}  // namespace

Hub::Hub(HubConfig config, RandomSource random, Clock clock)
    : config_(std::move(config)),
      random_(std::move(random)),
      clock_(std::move(clock)),
      addresses_(config_.perAddress) {}

void Hub::connect(ConnId conn, std::string address) {
  if (connections_.contains(conn)) return;
  connections_.emplace(conn, Connection{.address = addresses_.open(address, clock_())});
  ++stats_.connections;
  stats_.addresses = addresses_.size();
  stats_.addressesEvicted = addresses_.evictedAtCap();
}

std::vector<Outgoing> Hub::receive(ConnId conn, std::string_view text) {
  std::vector<Outgoing> out;
  receive(conn, text, out);
  return out;
}

void Hub::receive(ConnId conn, std::string_view text, std::vector<Outgoing>& out) {
  auto it = connections_.find(conn);
  if (it == connections_.end()) return;
  ++stats_.framesIn;
  rejectedThisFrame_ = false;
  Connection& c = it->second;
  // The hot path: relay, signal and ping read for routing only, payloads forwarded as they came.
  if (auto route = readRoute(text)) {
    forward(conn, c, *route, out);
    return;
  }
  auto decoded = decodeClientMessage(text);
  if (!decoded) {
    reject(conn, decoded.error().code, decoded.error().message, frameType(text), out);
    return;
  }
  handle(conn, c, decoded.value(), out);
}

std::vector<Outgoing> Hub::disconnect(ConnId conn, LeaveReason reason) {
  std::vector<Outgoing> out;
  auto it = connections_.find(conn);
  if (it == connections_.end()) return out;
  Connection& c = it->second;
  addresses_.close(c.address);
  double grace = c.room.empty() ? 0 : graceFor(rooms_.at(c.room), c.id);
  if (grace > 0) {
    // Keep the place: a dropped connection is usually a network blip or a reload on its way back.
    away_[c.id] = AwayMember{c.token, c.room, reason, clock_() + grace};
    ++stats_.awayMembers;
    broadcast(rooms_.at(c.room), c.id, encode(PeerAway{c.id}), out);
  } else {
    leaveRoom(c, reason, out);
  }
  if (!c.id.empty()) peers_.erase(c.id);
  connections_.erase(it);
  --stats_.connections;
  return out;
}

std::vector<Outgoing> Hub::expireAway() {
  std::vector<Outgoing> out;
  double now = clock_();
  addresses_.sweep(now);
  stats_.addresses = addresses_.size();
  for (auto it = away_.begin(); it != away_.end();) {
    if (it->second.until > now) {
      ++it;
      continue;
    }
    PeerId id = it->first;
    AwayMember member = std::move(it->second);
    it = away_.erase(it);
    --stats_.awayMembers;
    removeMember(id, member.room, member.reason, out);
  }
  if (config_.roomIdleMs > 0) {
    for (auto it = rooms_.begin(); it != rooms_.end();) {
      it = now - it->second.lastActive < config_.roomIdleMs ? std::next(it) : closeIdleRoom(it, out);
    }
  }
  return out;
}

Hub::Rooms::iterator Hub::closeIdleRoom(Rooms::iterator it, std::vector<Outgoing>& out) {
  const Room& room = it->second;
  auto idle = static_cast<std::uint64_t>(config_.roomIdleMs / 1000);
  auto message = "room " + room.code() + " was closed: nobody was active in it for " +
                 (idle >= 120 ? std::to_string(idle / 60) + " min" : std::to_string(idle) + " s");
  SharedFrame frame = encode(ErrorFrame{ErrorCode::RoomExpired, std::move(message), ""});
  for (const auto& member : room.members()) {
    if (auto p = peers_.find(member.id); p != peers_.end()) {
      connections_.at(p->second).room.clear();  // still welcomed: it may create or join again
      out.push_back({p->second, frame});
    } else if (away_.erase(member.id) > 0) {
      --stats_.awayMembers;  // it would come back to a room that is gone
    }
  }
  stats_.members -= room.size();
  --stats_.rooms;
  ++stats_.roomsExpired;
  return rooms_.erase(it);
}

void Hub::handle(ConnId conn, Connection& c, const ClientMessage& msg, std::vector<Outgoing>& out) {
  if (!c.greeted && !std::holds_alternative<Hello>(msg)) {
    reject(conn, ErrorCode::HelloRequired, "send hello first", frameTypeName(msg), out);
    return;
  }
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Hello>) {
          onHello(conn, c, m, out);
        } else if constexpr (std::is_same_v<T, Create>) {
          onCreate(conn, c, m, out);
        } else if constexpr (std::is_same_v<T, Join>) {
          onJoin(conn, c, m, out);
        } else if constexpr (std::is_same_v<T, Leave>) {
          if (c.room.empty()) return reject(conn, ErrorCode::NotInRoom, "not in a room", "leave", out);
          leaveRoom(c, LeaveReason::Left, out);
        } else if constexpr (std::is_same_v<T, SignalOut>) {
          // (the hot path forwards the text it received; this one writes what the full decoder read)
          std::string data = detail::writeSignalPayload(m.data);
          forward(conn, c, RouteSignal{m.to, data}, out);
        } else if constexpr (std::is_same_v<T, RelayOut>) {
          RouteRelay relay{m.to, m.seq};
          relay.data = m.data;
          for (std::size_t i = 0; i < m.parts.size() && i < relay.parts.size(); ++i) {
            relay.parts[relay.partCount++] = RoutePart{m.parts[i].to, m.parts[i].data};
          }
          forward(conn, c, relay, out);
        } else {
          static_assert(std::is_same_v<T, Ping>);
          forward(conn, c, RoutePing{m.id}, out);
        }
      },
      msg);
}

void Hub::onHello(ConnId conn, Connection& c, const Hello& m, std::vector<Outgoing>& out) {
  if (c.greeted) return reject(conn, ErrorCode::BadFrame, "hello was already sent", "hello", out);
  if (m.version != limits::kProtocolVersion) {
    return reject(conn, ErrorCode::UnsupportedVersion,
                  "this server speaks protocol version " + std::to_string(limits::kProtocolVersion), "hello", out);
  }
  if (!m.id.empty() && !isValidPeerId(m.id)) {
    return reject(conn, ErrorCode::InvalidPeerId, "a peer id is 1 to 64 letters, digits, _ or -", "hello", out);
  }
  if (!m.token.empty() && !isValidResumeToken(m.token)) {
    return reject(conn, ErrorCode::InvalidPeerId, "a resume token is 16 to 64 letters, digits, _ or -", "hello", out);
  }
  if (!m.joinToken.empty()) return helloWithJoinToken(conn, c, m, out);
  if (config_.verifyToken && !m.id.empty()) return helloWithoutJoinToken(conn, c, m, out);
  if (!m.id.empty() && (away_.contains(m.id) || peers_.contains(m.id))) {
    if (m.token.empty() || !holdsResumeToken(m.id, m.token)) {
      return reject(conn, ErrorCode::PeerIdTaken, "peer id " + m.id + " is in use", "hello", out);
    }
    if (away_.contains(m.id)) return resume(conn, c, m.id, m.fresh, out);
    return takeOver(conn, c, peers_.at(m.id), m.fresh, out);
  }
  // A requested id nobody holds is granted, with its token if one came along: that is how a
  // client keeps its id across a restart of this server, which forgets every token.
  c.id = m.id.empty() ? newPeerId() : m.id;
  c.token = m.token.empty() ? newToken() : m.token;
  if (c.id.empty()) return reject(conn, ErrorCode::ServerFull, "could not allocate a peer id", "hello", out);
  c.greeted = true;
  peers_[c.id] = conn;
  out.push_back({conn, welcomeFrame(c, false)});
}

bool Hub::greeted(ConnId conn) const {
  auto it = connections_.find(conn);
  return it != connections_.end() && (it->second.greeted || it->second.replaced);
}

void Hub::resume(ConnId conn, Connection& c, const PeerId& id, bool fresh, std::vector<Outgoing>& out) {
  auto node = away_.extract(id);
  --stats_.awayMembers;
  c.greeted = true;
  c.id = id;
  c.token = std::move(node.mapped().token);
  c.room = std::move(node.mapped().room);
  peers_[c.id] = conn;
  out.push_back({conn, welcomeFrame(c, true)});
  if (fresh) {
    c.announceWhenJoined = true;
  } else {
    broadcast(rooms_.at(c.room), c.id, encode(PeerBack{c.id, false}), out);
  }
}

void Hub::takeOver(ConnId conn, Connection& c, ConnId oldConn, bool fresh, std::vector<Outgoing>& out) {
  Connection& old = connections_.at(oldConn);
  c.greeted = true;
  c.id = std::move(old.id);
  c.token = std::move(old.token);
  c.room = std::move(old.room);
  // The old connection is left greeted-less and room-less: whatever it sends next is refused,
  // and its close changes nothing for the room. It still comes from where it came from.
  old = Connection{.address = std::move(old.address), .replaced = true};
  peers_[c.id] = conn;
  out.push_back({oldConn, encode(ErrorFrame{ErrorCode::SessionReplaced,
                                            "a newer connection resumed this peer id", ""})});
  out.push_back({conn, welcomeFrame(c, true)});
  // A reloaded page replacing a connection the server had not seen close yet: to the others it
  // was never away, but its links are gone all the same.
  if (fresh && !c.room.empty()) c.announceWhenJoined = true;
}

std::string Hub::welcomeFrame(const Connection& c, bool resumed) const {
  RateLimits rate = config_.rate;
  rate.relayBytesPerSecond = config_.perAddress.relayBytesPerSecond;
  rate.relayByteBurst = config_.perAddress.relayByteBurst;
  return encode(Welcome{limits::kProtocolVersion, c.id, config_.iceServers, limits::kMaxFrameBytes, c.token, resumed,
                        rate, static_cast<std::uint64_t>(config_.roomIdleMs)});
}

double Hub::graceFor(const Room& room, const PeerId& leaving) const {
  // Nobody else ever came: the room is only its creator's, and connect, create, drop, repeated,
  // would otherwise hold a room for the whole grace period each time.
  if (room.onlyCreatorEverJoined() && room.contains(leaving)) {
    return std::min(config_.memberGraceMs, config_.loneRoomGraceMs);
  }
  return config_.memberGraceMs;
}

bool Hub::holdsResumeToken(const PeerId& id, std::string_view token) const {
  if (auto a = away_.find(id); a != away_.end()) return sameSecret(a->second.token, token);
  auto holder = peers_.find(id);
  return holder != peers_.end() && sameSecret(connections_.at(holder->second).token, token);
}

void Hub::onCreate(ConnId conn, Connection& c, const Create& m, std::vector<Outgoing>& out) {
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
      out.push_back({conn, roomJoinedFrame(room, c.id)});
      // A reloaded page is told back to the others only now: before its room_joined it would
      // drop the offers and relay frames their peer_back sets off.
      if (c.announceWhenJoined) {
        c.announceWhenJoined = false;
        broadcast(room, c.id, encode(PeerBack{c.id, true}), out);
      }
      return;
    }
    return reject(conn, ErrorCode::AlreadyInRoom, "already in room " + c.room, "join", out);
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
  ++stats_.rooms;
  ++stats_.roomsCreated;
  return &it->second;
}

void Hub::enterRoom(ConnId conn, Connection& c, Room& room, const std::string& name, const char* ref,
                    std::vector<Outgoing>& out, std::uint64_t rank) {
  PeerId hostBefore = room.host();
  auto added = room.add(c.id, name, rank);
  if (!added) {
    const Error& e = added.error();
    if (room.empty()) {  // a fresh room that could not take its creator (cannot happen today)
      rooms_.erase(room.code());
      --stats_.rooms;
    }
    return reject(conn, e.code, e.message, ref, out);
  }
  c.room = room.code();
  room.lastActive = clock_();
  ++stats_.members;
  out.push_back({conn, roomJoinedFrame(room, c.id)});
  broadcast(room, c.id, encode(PeerJoined{added.value()}), out);
  // A member restoring an older place than the host's is host again.
  if (!hostBefore.empty() && room.host() != hostBefore) broadcast(room, c.id, encode(HostChanged{room.host()}), out);
}

void Hub::leaveRoom(Connection& c, LeaveReason reason, std::vector<Outgoing>& out) {
  if (c.room.empty()) return;
  std::string code = std::move(c.room);
  c.room.clear();
  removeMember(c.id, code, reason, out);
}

void Hub::removeMember(const PeerId& id, const std::string& code, LeaveReason reason, std::vector<Outgoing>& out) {
  auto it = rooms_.find(code);
  if (it == rooms_.end()) return;
  Room& room = it->second;
  PeerId hostBefore = room.host();
  if (!room.remove(id)) return;
  --stats_.members;
  if (room.empty()) {
    rooms_.erase(it);
    --stats_.rooms;
    return;
  }
  broadcast(room, "", encode(PeerLeft{id, reason}), out);
  if (room.host() != hostBefore) broadcast(room, "", encode(HostChanged{room.host()}), out);
}

void Hub::reject(ConnId conn, ErrorCode code, std::string message, std::string ref, std::vector<Outgoing>& out,
                 double retryMs) {
  if (!rejectedThisFrame_) ++stats_.framesRejected;
  rejectedThisFrame_ = true;
  out.push_back({conn, encode(ErrorFrame{code, std::move(message), std::move(ref),
                                         static_cast<std::uint64_t>(std::ceil(retryMs))})});
}

void Hub::broadcast(const Room& room, const PeerId& except, SharedFrame frame, std::vector<Outgoing>& out) {
  for (const auto& member : room.members()) {
    if (member.id == except) continue;
    auto p = peers_.find(member.id);
    if (p != peers_.end()) out.push_back({p->second, frame});
  }
}

std::string Hub::newUniqueCode() {
  std::array<std::uint8_t, limits::kRoomCodeLength> bytes{};
  for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
    random_(bytes);
    std::string code = alphabetString(bytes);
    if (!rooms_.contains(code)) return code;
  }
  return {};
}

std::string Hub::newToken() {
  std::array<std::uint8_t, limits::kResumeTokenLength> bytes{};
  random_(bytes);
  return tokenString(bytes);
}

PeerId Hub::newPeerId() {
  std::array<std::uint8_t, limits::kPeerIdLength> bytes{};
  for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
    random_(bytes);
    PeerId id = alphabetString(bytes);
    if (!peers_.contains(id) && !away_.contains(id)) return id;  // 50 bits: a clash is astronomically rare
  }
  return {};
}

}  // namespace huddle
