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

using detail::sameSecret;

// The "t" of a decoded frame, for error refs.
const char* frameTypeName(const ClientMessage& msg) {
  static constexpr const char* kNames[] = {"hello", "create", "join", "leave", "signal", "relay", "ping", "stats"};
  static_assert(std::variant_size_v<ClientMessage> == std::size(kNames));
  return kNames[msg.index()];
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

void Hub::applyAddressCharges(const std::vector<AddressCharge>& charges) {
  const double now = clock_();
  for (const auto& charge : charges) ++(addresses_.applyRemote(charge, now) ? stats_.remoteCharges : stats_.remoteChargesDropped);
  stats_.addresses = addresses_.size();
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
    const Room& room = rooms_.at(c.room);
    const bool host = room.host() == c.id;
    away_[c.id] = AwayMember{c.token, c.room, reason, clock_() + grace, host};
    ++stats_.awayMembers;
    if (host) ++stats_.hostAway;
    broadcast(room, c.id, encode(PeerAway{c.id}), out);
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
    endAway(member, false);
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
    } else if (auto away = away_.find(member.id); away != away_.end()) {
      endAway(away->second, false);  // it would come back to a room that is gone
      away_.erase(away);
    }
  }
  stats_.members -= room.size();
  ++stats_.roomsExpired;
  noteRoomClosed(room);
  noteChanged(room.code());
  return rooms_.erase(it);
}

void Hub::endAway(const AwayMember& member, bool back) {
  --stats_.awayMembers;
  if (member.host) ++(back ? stats_.hostBack : stats_.hostAwayLeft);
}

void Hub::noteRoomClosed(const Room& room) {
  --stats_.rooms;
  stats_.roomPeakMembers.observe(static_cast<double>(room.peakSize()));
  stats_.roomLifetimeSeconds.observe(std::max(0.0, clock_() - room.createdAt) / 1000);
}

void Hub::handle(ConnId conn, Connection& c, const ClientMessage& msg, std::vector<Outgoing>& out) {
  if (!c.greeted && !std::holds_alternative<Hello>(msg)) {
    reject(conn, ErrorCode::HelloRequired, "send hello first", frameTypeName(msg), out);
  } else {
    dispatch(conn, c, msg, out);
  }
  // Entering a room is counted where it happens (enterRoom, onJoin); a refusal can come from
  // anywhere on the way, so it is counted here, once per frame.
  if ((std::holds_alternative<Create>(msg) || std::holds_alternative<Join>(msg)) && rejectedThisFrame_) {
    ++stats_.joins[static_cast<std::size_t>(JoinOutcome::Refused)];
    ++stats_.joinRefusals[firstRejection_];
  }
}

void Hub::dispatch(ConnId conn, Connection& c, const ClientMessage& msg, std::vector<Outgoing>& out) {
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
        } else if constexpr (std::is_same_v<T, Ping>) {
          forward(conn, c, RoutePing{m.id}, out);
        } else {
          static_assert(std::is_same_v<T, Stats>);
          onStats(conn, c, m, out);
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
  c.fresh = m.fresh;
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

void Hub::resume(ConnId conn, Connection& c, const PeerId& id, bool fresh, std::vector<Outgoing>& out,
                 bool welcome) {
  auto node = away_.extract(id);
  endAway(node.mapped(), true);
  c.greeted = true;
  c.id = id;
  c.token = std::move(node.mapped().token);
  c.room = std::move(node.mapped().room);
  peers_[c.id] = conn;
  if (welcome) out.push_back({conn, welcomeFrame(c, true)});
  if (fresh) {
    c.announceWhenJoined = true;
  } else {
    broadcast(rooms_.at(c.room), c.id, encode(PeerBack{c.id, false}), out);
  }
}

void Hub::takeOver(ConnId conn, Connection& c, ConnId oldConn, bool fresh, std::vector<Outgoing>& out,
                   bool welcome) {
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
  if (welcome) out.push_back({conn, welcomeFrame(c, true)});
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
  noteChanged(code);
  if (room.empty()) {
    ++stats_.roomsEmptied;
    noteRoomClosed(room);
    rooms_.erase(it);
    return;
  }
  broadcast(room, "", encode(PeerLeft{id, reason}), out);
  if (room.host() != hostBefore) {
    ++stats_.hostChanges;
    broadcast(room, "", encode(HostChanged{room.host()}), out);
  }
}

void Hub::reject(ConnId conn, ErrorCode code, std::string message, std::string ref, std::vector<Outgoing>& out,
                 double retryMs) {
  if (!rejectedThisFrame_) {
    ++stats_.framesRejected;
    firstRejection_ = code;
  }
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
