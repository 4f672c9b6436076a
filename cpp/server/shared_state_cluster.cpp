// SharedState's side of members on other nodes (docs/cluster.md, "Members on other nodes"). As a
// gateway, a node answers every hello itself; a join of a room it does not hold waits while the
// directory says where the room is, and if another node holds it, the connection is handed over
// (attach) and its frames piped there and back. As an owner, a node runs handed-over connections
// through its Hub like its own, numbered in its own space.
#include <nlohmann/json.hpp>

#include "huddle/codec.hpp"
#include "huddle/room_code.hpp"
#include "server/node_link.hpp"
#include "server/room_directory.hpp"
#include "server/room_records.hpp"
#include "server/shared_state.hpp"
#include "server/websocket_session.hpp"

namespace huddle::server {
namespace {

// Frames a connection may send while its room is being located (a join, then what a client
// sends before its room_joined: a leave, a ping). More is not a client.
constexpr std::size_t kMaxHeldFrames = 16;

std::string encodeAttached(const Attached& a) {
  nlohmann::json claims = {{"room", a.claims.room},           {"peerId", a.claims.peerId},
                           {"name", a.claims.name},           {"expiresAt", a.claims.expiresAt},
                           {"maxMembers", a.claims.maxMembers}, {"relayOnly", a.claims.relayOnly}};
  return nlohmann::json{{"id", a.id}, {"token", a.token}, {"fresh", a.fresh}, {"claims", claims}}.dump();
}

std::optional<Attached> decodeAttached(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string() || !j.contains("token") ||
      !j["token"].is_string() || !j.contains("claims") || !j["claims"].is_object()) {
    return std::nullopt;
  }
  Attached a{j["id"].get<std::string>(), j["token"].get<std::string>(), j.value("fresh", false), {}};
  const auto& c = j["claims"];
  a.claims.room = c.value("room", "");
  a.claims.peerId = c.value("peerId", "");
  a.claims.name = c.value("name", "");
  a.claims.expiresAt = c.value("expiresAt", std::int64_t{0});
  a.claims.maxMembers = c.value("maxMembers", 0);
  a.claims.relayOnly = c.value("relayOnly", false);
  return a;
}

struct JoinTarget {
  std::string key;  // the room it names, normalized
  bool create = false;  // it creates the room when missing
};

// What a join frame asks for; nullopt for any other frame. Joins are rare: the full decoder is
// fine here, and a cheap look for "join" spares every other frame.
std::optional<JoinTarget> joinTarget(std::string_view text) {
  constexpr std::size_t kMaxJoinBytes = 4096;  // a join is a code, a name and a token or two
  if (text.size() > kMaxJoinBytes || text.find("\"join\"") == std::string_view::npos) return std::nullopt;
  auto decoded = decodeClientMessage(text);
  if (!decoded) return std::nullopt;
  const auto* join = std::get_if<Join>(&decoded.value());
  if (!join) return std::nullopt;
  auto key = normalizeRoomKey(join->code);
  if (!key) return std::nullopt;
  return JoinTarget{std::move(*key), join->create};
}

// Whether the held frames rejoin a room the member was in: a join with its old join order, which
// clients send when they come back (Join::rank).
bool comingBack(const std::vector<std::string>& frames) {
  for (const auto& text : frames) {
    auto decoded = decodeClientMessage(text);
    if (!decoded) continue;
    if (const auto* join = std::get_if<Join>(&decoded.value()); join && join->rank > 0) return true;
  }
  return false;
}

LeaveReason leaveReasonFrom(std::string_view name) {
  for (auto r : kLeaveReasons) {
    if (leaveReasonName(r) == name) return r;
  }
  return LeaveReason::Disconnected;
}

}  // namespace

void SharedState::attachLink(std::shared_ptr<NodeLink> link) {
  std::lock_guard lock(mutex_);
  link_ = std::move(link);
}

bool SharedState::routedElsewhere(ConnId id, std::string_view text, std::unique_lock<std::mutex>& lock) {
  if (auto piped = pipedTo_.find(id); piped != pipedTo_.end()) {
    link_->send(piped->second, NodeMessage{NodeMessage::Kind::In, "", id, std::string(text)});
    return true;
  }
  if (auto held = held_.find(id); held != held_.end()) {
    if (held->second.size() >= kMaxHeldFrames) return true;  // dropped: its join is answered soon
    held->second.emplace_back(text);
    return true;
  }
  auto target = joinTarget(text);
  if (!target || hub_.hasRoom(target->key) || !hub_.attachable(id)) return false;
  held_[id].emplace_back(text);
  lock.unlock();
  std::weak_ptr<SharedState> weak = weak_from_this();
  directory_->locate(target->key, target->create, [weak, id](std::optional<std::string> owner, std::optional<std::string> record) {
    if (auto self = weak.lock()) self->located(id, std::move(owner), std::move(record));
  });
  return true;
}

void SharedState::located(ConnId id, std::optional<std::string> owner, std::optional<std::string> record) {
  std::optional<RoomRecord> restoring;
  std::string error;
  if (record) restoring = decodeRoomRecord(*record, wallClockMs(), error);
  std::vector<std::string> skipped;
  std::unique_lock lock(mutex_);
  auto held = held_.extract(id);
  if (held.empty()) return;  // the connection went meanwhile
  std::vector<std::string> frames = std::move(held.mapped());
  out_.clear();
  if (restoring && !hub_.hasRoom(restoring->key)) {
    // This node holds the room now, and it comes back from its record, every member away. The
    // connection was greeted here as whoever it said it was, which would keep its id out of the
    // room: it is taken on again as that member (attach), as if its hello came after the room.
    auto who = hub_.attachable(id);
    if (who) hub_.disconnect(id, LeaveReason::Left);  // in no room: nobody hears of it
    hub_.restoreRooms({std::move(*restoring)}, skipped);
    if (who) out_ = hub_.attach(id, connectionAddress(id), *who);
  }
  for (const auto& line : skipped) log("redis: room record skipped: " + line);
  if (!owner && comingBack(frames)) {
    // A member coming back (after its node died, say) would give up on a refused rejoin: end the
    // connection instead, and its client tries again with its backoff until Redis answers.
    auto session = sessionOf(id);
    lock.unlock();
    if (session) session->close(websocket::close_code::try_again_later, ConnectionEnd::DirectoryDown);
    return;
  } else if (!owner) {
    // Redis cannot say where the room is: refuse the join, change nothing, let it try again.
    out_.push_back({id, encode(ErrorFrame{ErrorCode::ServiceUnavailable,
                                          "this server cannot reach its directory of rooms right now", "join"})});
  } else if (*owner == directory_->nodeId()) {
    for (const auto& text : frames) hub_.receive(id, text, out_);
  } else if (auto who = hub_.attachable(id)) {
    hub_.disconnect(id, LeaveReason::Left);  // in no room: nobody hears of it
    pipedTo_[id] = *owner;
    link_->send(*owner, NodeMessage{NodeMessage::Kind::Attach, "", id, encodeAttached(*who), connectionAddress(id)});
    for (auto& text : frames) link_->send(*owner, NodeMessage{NodeMessage::Kind::In, "", id, std::move(text)});
  } else {
    for (const auto& text : frames) hub_.receive(id, text, out_);
  }
  dispatch(out_, lock);
}

bool SharedState::handBack(ConnId rid, const NodeMessage& m) {
  // Only a connection in no room, joining a room this node does not hold: staying here, it would
  // find no room, or create a second one of a name another node holds.
  auto who = hub_.attachable(rid);
  if (!who) return false;
  auto target = joinTarget(m.data);
  if (!target || hub_.hasRoom(target->key)) return false;
  hub_.disconnect(rid, LeaveReason::Left);  // in no room: nobody hears of it
  remotes_.erase(rid);
  remoteIds_.erase({m.from, m.conn});
  released_[{m.from, m.conn}] = nowMs() + kReleasedMs;
  link_->send(m.from, NodeMessage{NodeMessage::Kind::Release, "", m.conn, m.data, "", encodeAttached(*who)});
  return true;
}

std::shared_ptr<WebSocketSession> SharedState::sessionOf(ConnId id) const {
  auto slot = sessions_.find(id);
  return slot == sessions_.end() ? nullptr : slot->second.session.lock();
}

std::string SharedState::connectionAddress(ConnId id) const {
  auto slot = sessions_.find(id);
  return slot == sessions_.end() ? std::string() : slot->second.address;
}

void SharedState::sendRemote(ConnId to, const SharedFrame& frame) {
  auto it = remotes_.find(to);
  if (it == remotes_.end()) return;
  link_->send(it->second.node, NodeMessage{NodeMessage::Kind::Out, "", it->second.conn, std::string(frame.view())});
}

void SharedState::onNodeMessage(NodeMessage m) {
  using Kind = NodeMessage::Kind;
  std::unique_lock lock(mutex_);
  out_.clear();
  const auto remote = remoteIds_.find({m.from, m.conn});
  switch (m.kind) {
    case Kind::Attach: {
      auto who = decodeAttached(m.data);
      if (!who || remote != remoteIds_.end()) break;
      const ConnId rid = nextConnId_++;
      remoteIds_[{m.from, m.conn}] = rid;
      remotes_[rid] = Remote{m.from, m.conn};
      released_.erase({m.from, m.conn});
      out_ = hub_.attach(rid, m.address, *who);
      break;
    }
    case Kind::In:
      if (remote == remoteIds_.end()) {
        if (released_.contains({m.from, m.conn})) {
          // Sent before its gateway heard it was handed back: the gateway handles it, in order.
          link_->send(m.from, NodeMessage{Kind::Back, "", m.conn, std::move(m.data)});
          break;
        }
        // A connection this node does not know (it restarted since): its gateway ends it, and
        // the client comes back and is handed over again.
        link_->send(m.from, NodeMessage{Kind::Drop, "", m.conn, ""});
        break;
      }
      if (handBack(remote->second, m)) break;
      hub_.receive(remote->second, m.data, out_);
      break;
    case Kind::Release: {
      // This node's connection is its own again: taken on with the identity the owner had for it
      // (its token kept), then its join handled as if it had just come.
      auto piped = pipedTo_.find(m.conn);
      if (piped == pipedTo_.end() || piped->second != m.from || !sessionOf(m.conn)) break;
      auto who = decodeAttached(m.identity);
      if (!who) break;
      pipedTo_.erase(piped);
      out_ = hub_.attach(m.conn, connectionAddress(m.conn), *who);
      if (!out_.empty()) {
        dispatch(out_, lock);
        lock.lock();
        out_.clear();
      }
      if (!routedElsewhere(m.conn, m.data, lock)) hub_.receive(m.conn, m.data, out_);
      if (!lock.owns_lock()) return;  // held while its room is located
      break;
    }
    case Kind::Back:
      if (!sessionOf(m.conn) || (pipedTo_.contains(m.conn) && pipedTo_.at(m.conn) == m.from)) break;
      if (!routedElsewhere(m.conn, m.data, lock)) hub_.receive(m.conn, m.data, out_);
      if (!lock.owns_lock()) return;
      break;
    case Kind::Close:
      released_.erase({m.from, m.conn});
      if (remote == remoteIds_.end()) break;
      out_ = hub_.disconnect(remote->second, leaveReasonFrom(m.data));
      remotes_.erase(remote->second);
      remoteIds_.erase(remote);
      break;
    case Kind::Out: {
      auto session = sessionOf(m.conn);
      if (!session || !pipedTo_.contains(m.conn)) {
        link_->send(m.from, NodeMessage{Kind::Close, "", m.conn, "disconnected"});  // gone here
        break;
      }
      lock.unlock();
      session->send(SharedFrame(std::move(m.data)));
      return;
    }
    case Kind::Drop: {
      if (remote != remoteIds_.end()) {  // the gateway forgot it: as if it closed
        out_ = hub_.disconnect(remote->second, LeaveReason::Disconnected);
        remotes_.erase(remote->second);
        remoteIds_.erase(remote);
        break;
      }
      auto session = sessionOf(m.conn);
      lock.unlock();
      if (session) session->close(websocket::close_code::going_away, ConnectionEnd::NodeLost);  // it reconnects, and is handed over anew
      return;
    }
  }
  dispatch(out_, lock);
}

void SharedState::checkNodes() {
  std::vector<std::string> nodes;
  {
    std::lock_guard lock(mutex_);
    if (!link_) return;
    const double now = nowMs();
    std::erase_if(released_, [now](const auto& r) { return r.second <= now; });
    for (const auto& [id, node] : pipedTo_) nodes.push_back(node);
    for (const auto& [id, r] : remotes_) nodes.push_back(r.node);
  }
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  if (!link_->up()) {
    // No frame goes between nodes now: a piped member would talk into the void. End them all;
    // they come back, and where Redis is needed, they wait for it (directory_down).
    if (!nodes.empty()) forgetNodes(nodes);
    return;
  }
  std::weak_ptr<SharedState> weak = weak_from_this();
  directory_->deadNodes(std::move(nodes), [weak](std::vector<std::string> dead) {
    if (auto self = weak.lock(); self && !dead.empty()) self->forgetNodes(dead);
  });
}

void SharedState::forgetNodes(const std::vector<std::string>& dead) {
  auto isDead = [&](const std::string& node) { return std::find(dead.begin(), dead.end(), node) != dead.end(); };
  std::vector<std::shared_ptr<WebSocketSession>> ended;
  std::unique_lock lock(mutex_);
  out_.clear();
  for (auto it = pipedTo_.begin(); it != pipedTo_.end();) {
    if (!isDead(it->second)) {
      ++it;
      continue;
    }
    // The node holding its room died: the client reconnects, and the room comes back where it lands.
    if (auto s = sessionOf(it->first)) ended.push_back(std::move(s));
    it = pipedTo_.erase(it);
  }
  for (auto it = remotes_.begin(); it != remotes_.end();) {
    if (!isDead(it->second.node)) {
      ++it;
      continue;
    }
    // Its gateway died with the client's socket: the member is away, as after any dropped connection.
    auto out = hub_.disconnect(it->first, LeaveReason::Disconnected);
    out_.insert(out_.end(), out.begin(), out.end());
    remoteIds_.erase({it->second.node, it->second.conn});
    it = remotes_.erase(it);
  }
  dispatch(out_, lock);
  for (auto& s : ended) s->close(websocket::close_code::going_away, ConnectionEnd::NodeLost);
}

}  // namespace huddle::server
