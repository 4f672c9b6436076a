#include "server/shared_state.hpp"

#include <exception>
#include <utility>

#include "huddle/codec.hpp"
#include "server/http_session.hpp"
#include "server/log.hpp"
#include "server/net.hpp"
#include "server/random.hpp"
#include "server/websocket_session.hpp"

namespace huddle::server {
namespace {

HubConfig hubConfig(const ServerConfig& c) {
  HubConfig h;
  h.defaultRoomSize = c.defaultRoomSize;
  h.maxRoomSize = c.maxRoomSize;
  h.maxRooms = c.maxRooms;
  h.iceServers = c.iceServers.dump();
  h.memberGraceMs = c.memberGraceMs;
  h.rate = c.rate;
  h.perAddress = c.perAddress;
  h.loneRoomGraceMs = c.loneRoomGraceMs;
  return h;
}

}  // namespace

SharedState::SharedState(ServerConfig config)
    : config_(std::move(config)),
      staticFiles_(config_.staticDir),
      experiences_(config_.experiencesDir),
      started_(std::chrono::steady_clock::now()),
      hub_(hubConfig(config_), fillRandom, [started = started_] {
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      }) {}

std::optional<ConnId> SharedState::reserve(std::string address) {
  std::lock_guard lock(mutex_);
  if (stopping_ || sessions_.size() >= config_.maxConnections) {
    ++transport_.upgradesRefused;
    return std::nullopt;
  }
  ConnId id = nextConnId_++;
  sessions_.emplace(id, Slot{{}, std::move(address)});
  return id;
}

bool SharedState::activate(ConnId id, const std::weak_ptr<WebSocketSession>& session) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  if (stopping_) {
    sessions_.erase(it);
    return false;
  }
  it->second.session = session;
  hub_.connect(id, it->second.address);
  return true;
}

void SharedState::release(ConnId id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

void SharedState::receive(ConnId id, std::string_view text) {
  std::unique_lock lock(mutex_);
  out_.clear();
  try {
    hub_.receive(id, text, out_);
  } catch (const std::exception& e) {
    // The Hub answers bad input with error frames, so this is a bug; keep the process alive.
    log(std::string("internal error in Hub::receive on ws #") + std::to_string(id) + ": " + e.what());
    out_.clear();
    out_.push_back({id, encode(ErrorFrame{ErrorCode::Internal, "internal server error", frameType(text)})});
  }
  dispatch(out_, lock);
}

void SharedState::disconnect(ConnId id, LeaveReason reason) {
  std::unique_lock lock(mutex_);
  if (sessions_.erase(id) == 0) return;
  std::vector<Outgoing> out;
  try {
    out = hub_.disconnect(id, reason);
  } catch (const std::exception& e) {
    log(std::string("internal error in Hub::disconnect on ws #") + std::to_string(id) + ": " + e.what());
  }
  dispatch(out, lock);
}

void SharedState::expireAway() {
  std::unique_lock lock(mutex_);
  auto out = hub_.expireAway();
  dispatch(out, lock);
}

void SharedState::dispatch(std::vector<Outgoing>& out, std::unique_lock<std::mutex>& hubLock) {
  // Taken before the Hub's lock is released, so hand-offs happen in Hub order (file comment).
  std::lock_guard order(handOffMutex_);
  targets_.clear();
  for (auto& o : out) {
    auto it = sessions_.find(o.to);
    if (it == sessions_.end()) continue;  // already gone; the Hub learns it from disconnect
    if (auto session = it->second.session.lock()) targets_.emplace_back(std::move(session), std::move(o.frame));
  }
  out.clear();
  hubLock.unlock();
  for (auto& [session, frame] : targets_) session->send(std::move(frame));
  targets_.clear();  // the sessions' references go now, not at the next frame
}

std::optional<std::uint64_t> SharedState::addHttp(const std::weak_ptr<HttpSession>& session) {
  std::lock_guard lock(mutex_);
  if (stopping_) return std::nullopt;
  std::uint64_t id = nextHttpId_++;
  httpSessions_.emplace(id, session);
  return id;
}

void SharedState::removeHttp(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  httpSessions_.erase(id);
}

void SharedState::shutdown() {
  std::vector<std::shared_ptr<WebSocketSession>> sockets;
  std::vector<std::shared_ptr<HttpSession>> https;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, slot] : sessions_)
      if (auto s = slot.session.lock()) sockets.push_back(std::move(s));
    for (auto& [id, weak] : httpSessions_)
      if (auto s = weak.lock()) https.push_back(std::move(s));
  }
  for (auto& s : sockets) s->close(websocket::close_code::going_away);
  for (auto& s : https) s->close();
}

void SharedState::noteBinaryRejected() {
  std::lock_guard lock(mutex_);
  ++transport_.binaryFramesRejected;
}

void SharedState::noteRateLimited() {
  std::lock_guard lock(mutex_);
  ++transport_.rateLimited;
}

void SharedState::noteSlowClientClosed() {
  std::lock_guard lock(mutex_);
  ++transport_.slowClientsClosed;
}

void SharedState::noteHeartbeatTimeout() {
  std::lock_guard lock(mutex_);
  ++transport_.heartbeatTimeouts;
}

StatsSnapshot SharedState::stats() const {
  StatsSnapshot s;
  auto uptime = std::chrono::steady_clock::now() - started_;
  s.uptimeSeconds = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(uptime).count());
  std::lock_guard lock(mutex_);
  s.hub = hub_.stats();
  s.transport = transport_;
  return s;
}

void SharedState::log(std::string_view line) const {
  if (config_.logEvents) logLine(line);
}

}  // namespace huddle::server
