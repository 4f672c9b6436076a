#include "server/shared_state.hpp"

#include <exception>
#include <utility>

#include "huddle/codec.hpp"
#include "server/http_session.hpp"
#include "server/join_token.hpp"
#include "server/log.hpp"
#include "server/net.hpp"
#include "server/random.hpp"
#include "server/node_link.hpp"
#include "server/room_directory.hpp"
#include "server/room_password.hpp"
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
  h.roomIdleMs = c.roomIdleMs;
  h.hashPassword = makePasswordHasher();
  if (!c.authSecret.empty()) {
    std::vector<std::string> secrets{c.authSecret};
    if (!c.authSecretPrevious.empty()) secrets.push_back(c.authSecretPrevious);
    h.verifyToken = makeTokenVerifier(std::move(secrets));
    h.tokensForCodes = c.tokensForCodes;
  }
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
      }),
      origins_(config_.allowedOrigins, config_.publicOrigin),
      remoteConnections_(kRemoteConnectionsStaleMs, kMaxRemoteNodes) {
  // The configuration was validated when parsed (config.cpp), so every entry reads.
  for (const auto& proxy : config_.trustedProxies)
    if (auto network = parseNetwork(proxy)) trustedProxies_.push_back(*network);
}

std::string SharedState::addressOf(const net::ip::address& peer, std::string_view forwardedFor) const {
  return addressKey(clientAddress(peer, forwardedFor, trustedProxies_));
}

bool SharedState::isTrustedProxy(const net::ip::address& peer) const {
  for (const auto& network : trustedProxies_)
    if (network.contains(peer)) return true;
  return false;
}

bool SharedState::originAllowed(std::string_view origin, std::string_view host) {
  if (origins_.allows(origin, host)) return true;
  std::lock_guard lock(mutex_);
  ++transport_.originRefused;
  return false;
}

SharedState::Refusal SharedState::admit(std::size_t open, const std::string& address, PerAddress& perAddress,
                                        const Caps& caps, std::size_t elsewhere) {
  Refusal refusal = Refusal::None;
  std::uint64_t* counter = nullptr;
  if (stopping_) {
    refusal = Refusal::Stopping;
    counter = caps.stoppingRefused;
  } else if (open >= caps.total) {
    refusal = Refusal::ServerFull;
    counter = caps.serverFullRefused;
  } else if (!address.empty()) {
    std::size_t& fromAddress = perAddress[address];
    if (fromAddress + elsewhere >= caps.perAddress) {
      refusal = Refusal::AddressFull;
      counter = caps.addressFullRefused;
      if (fromAddress == 0) perAddress.erase(address);  // counts nothing: keep the table to open ones
    } else {
      ++fromAddress;
      countsChanged_ = true;
    }
  }
  if (counter != nullptr) ++*counter;
  return refusal;
}

void SharedState::giveBack(PerAddress& perAddress, const std::string& address) {
  auto count = perAddress.find(address);
  if (count == perAddress.end()) return;
  countsChanged_ = true;
  if (--count->second == 0) perAddress.erase(count);
}

double SharedState::nowMs() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
}

SharedState::Admission SharedState::reserve(std::string address) {
  std::lock_guard lock(mutex_);
  const Caps caps{config_.maxConnections, config_.maxConnectionsPerAddress, &transport_.upgradesRefused,
                  &transport_.upgradesRefused, &transport_.wsPerAddressRefused};
  if (auto refusal = admit(sessions_.size(), address, wsPerAddress_, caps, remoteConnections_.ws(address));
      refusal != Refusal::None)
    return {std::nullopt, refusal};
  ConnId id = nextConnId_++;
  sessions_.emplace(id, Slot{{}, std::move(address)});
  return {id, Refusal::None};
}

void SharedState::eraseSlot(std::map<ConnId, Slot>::iterator it) {
  giveBack(wsPerAddress_, it->second.address);
  sessions_.erase(it);
}

bool SharedState::welcomed(ConnId id) const {
  std::lock_guard lock(mutex_);
  return hub_.greeted(id) || pipedTo_.contains(id) || held_.contains(id);
}

bool SharedState::activate(ConnId id, const std::weak_ptr<WebSocketSession>& session) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  if (stopping_) {
    eraseSlot(it);
    return false;
  }
  it->second.session = session;
  hub_.connect(id, it->second.address);
  ++transport_.connectionsOpened;
  return true;
}

void SharedState::release(ConnId id) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end()) eraseSlot(it);
}

void SharedState::receive(ConnId id, std::string_view text) {
  std::unique_lock lock(mutex_);
  if (link_ && routedElsewhere(id, text, lock)) return;
  out_.clear();
  try {
    hub_.receive(id, text, out_);
  } catch (const std::exception& e) {
    // The Hub answers bad input with error frames, so this is a bug; keep the process alive.
    log(std::string("internal error in Hub::receive on ws #") + std::to_string(id) + ": " + e.what(),
        {.event = "internal_error", .level = "error", .conn = id});
    out_.clear();
    out_.push_back({id, encode(ErrorFrame{ErrorCode::Internal, "internal server error", frameType(text)})});
  }
  dispatch(out_, lock);
}

void SharedState::disconnect(ConnId id, LeaveReason reason, ConnectionEnd end) {
  std::unique_lock lock(mutex_);
  auto slot = sessions_.find(id);
  if (slot == sessions_.end()) return;
  eraseSlot(slot);
  ++transport_.connectionsClosed[static_cast<std::size_t>(end)];
  held_.erase(id);
  if (auto piped = pipedTo_.find(id); piped != pipedTo_.end()) {
    // Its node holds it: that node's Hub is the one to tell (its own Hub forgot it when it went).
    link_->send(piped->second, NodeMessage{NodeMessage::Kind::Close, "", id, std::string(leaveReasonName(reason))});
    pipedTo_.erase(piped);
    return;
  }
  std::vector<Outgoing> out;
  try {
    out = hub_.disconnect(id, reason);
  } catch (const std::exception& e) {
    log(std::string("internal error in Hub::disconnect on ws #") + std::to_string(id) + ": " + e.what(),
        {.event = "internal_error", .level = "error", .conn = id});
  }
  dispatch(out, lock);
}

void SharedState::expireAway() {
  std::unique_lock lock(mutex_);
  auto out = hub_.expireAway();
  dispatch(out, lock);
}

void SharedState::dispatch(std::vector<Outgoing>& out, std::unique_lock<std::mutex>& hubLock) {
  if (directory_ && hub_.hasRoomChanges()) directory_->changed(hub_.takeRoomChanges());
  // Taken before the Hub's lock is released, so hand-offs happen in Hub order (file comment).
  std::lock_guard order(handOffMutex_);
  targets_.clear();
  for (auto& o : out) {
    auto it = sessions_.find(o.to);
    if (it == sessions_.end()) {
      if (!remotes_.empty()) sendRemote(o.to, o.frame);  // another node's gateway holds it
      continue;  // (or already gone; the Hub learns it from disconnect)
    }
    if (auto session = it->second.session.lock()) targets_.emplace_back(std::move(session), std::move(o.frame));
  }
  out.clear();
  hubLock.unlock();
  for (auto& [session, frame] : targets_) session->send(std::move(frame));
  targets_.clear();  // the sessions' references go now, not at the next frame
}

SharedState::Admission SharedState::addHttp(const std::weak_ptr<HttpSession>& session, std::string address) {
  std::lock_guard lock(mutex_);
  const Caps caps{config_.maxHttpConnections, config_.maxHttpConnectionsPerAddress, nullptr,
                  &transport_.httpCapRefused, &transport_.httpPerAddressRefused};
  if (auto refusal = admit(httpSessions_.size(), address, httpPerAddress_, caps, remoteConnections_.http(address));
      refusal != Refusal::None)
    return {std::nullopt, refusal};
  std::uint64_t id = nextHttpId_++;
  httpSessions_.emplace(id, HttpSlot{session, std::move(address)});
  return {id, Refusal::None};
}

void SharedState::removeHttp(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = httpSessions_.find(id);
  if (it == httpSessions_.end()) return;
  giveBack(httpPerAddress_, it->second.address);
  httpSessions_.erase(it);
}

void SharedState::shutdown() {
  std::vector<std::shared_ptr<WebSocketSession>> sockets;
  std::vector<std::shared_ptr<HttpSession>> https;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, slot] : sessions_)
      if (auto s = slot.session.lock()) sockets.push_back(std::move(s));
    for (auto& [id, slot] : httpSessions_)
      if (auto s = slot.session.lock()) https.push_back(std::move(s));
  }
  for (auto& s : sockets) s->close(websocket::close_code::going_away, ConnectionEnd::ServerShutdown);
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

void SharedState::noteHelloTimeout() {
  std::lock_guard lock(mutex_);
  ++transport_.helloTimeouts;
}

void SharedState::noteRequestTimeout() {
  std::lock_guard lock(mutex_);
  ++transport_.requestTimeouts;
}

void SharedState::attachDirectory(std::shared_ptr<RoomDirectory> directory) {
  std::lock_guard lock(mutex_);
  directory_ = std::move(directory);
  hub_.recordRoomChanges();
}

std::size_t SharedState::restoreRooms(std::vector<RoomRecord> records) {
  std::vector<std::string> skipped;
  std::size_t restored;
  {
    std::lock_guard lock(mutex_);
    restored = hub_.restoreRooms(records, skipped);
  }
  // A directory full of records another server wrote could be thousands of lines: the first few
  // say what, the count says how many.
  constexpr std::size_t kLogged = 10;
  for (std::size_t i = 0; i < skipped.size() && i < kLogged; ++i) log("redis: room record skipped: " + skipped[i]);
  if (skipped.size() > kLogged) log("redis: " + std::to_string(skipped.size() - kLogged) + " more room records skipped");
  return restored;
}

std::vector<RoomRecord> SharedState::roomSnapshot() {
  std::lock_guard lock(mutex_);
  // Everything queued so far, and everything the Hub noted, is older than this snapshot.
  if (directory_) directory_->clearPending();
  hub_.takeRoomChanges();
  return hub_.roomRecords();
}

StatsSnapshot SharedState::stats() const {
  StatsSnapshot s;
  auto uptime = std::chrono::steady_clock::now() - started_;
  s.uptimeSeconds = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(uptime).count());
  std::unique_lock lock(mutex_);
  s.hub = hub_.stats();
  s.transport = transport_;
  lock.unlock();
  if (directory_) {
    RoomDirectory::Status d = directory_->status();
    s.directory = {true,       d.up,         d.reason,      d.loaded,      d.written,
                   d.failed,   d.restored,   d.reconciles,  d.reconnects,  d.roundTripMs,
                   std::move(d.roundTripSeconds), d.nodeId};
    if (link_) {
      s.directory.nodeFramesSent = link_->sent();
      s.directory.nodeFramesReceived = link_->received();
      s.directory.nodeFramesDropped = link_->dropped();
    }
    usageStats(s.directory);
  }
  return s;
}

void SharedState::log(std::string_view line, const LogFields& fields) const {
  if (config_.logEvents) logLine(line, config_.logFormat, fields);
}

}  // namespace huddle::server
