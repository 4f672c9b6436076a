// Client is the public face of a Session (session.hpp), which holds the state and the parts.
#include "huddle/client.hpp"

#include <algorithm>

#include "client/session.hpp"

namespace huddle {

std::string_view sessionStatusName(SessionStatus status) {
  switch (status) {
    case SessionStatus::Idle: return "idle";
    case SessionStatus::Connecting: return "connecting";
    case SessionStatus::Online: return "online";
    case SessionStatus::Joining: return "joining";
    case SessionStatus::InRoom: return "in_room";
    case SessionStatus::Offline: return "offline";
    case SessionStatus::Reconnecting: return "reconnecting";
  }
  return "idle";
}

std::string_view linkStateName(LinkState state) {
  switch (state) {
    case LinkState::Connecting: return "connecting";
    case LinkState::Connected: return "connected";
    case LinkState::Failed: return "failed";
    case LinkState::Closed: return "closed";
  }
  return "closed";
}

double reconnectDelayMs(const ClientConfig& config, int attempt, double random) {
  double delay = config.reconnectInitialMs;
  for (int i = 1; i < attempt && delay < config.reconnectMaxMs; ++i) delay *= 2;
  return std::min(delay, config.reconnectMaxMs) * (0.5 + random / 2);
}

Client::Client(ClientConfig config, ClientPort& port, ClientObserver& observer)
    : session_(std::make_unique<client::Session>(std::move(config), port, observer)) {}

Client::~Client() = default;

Status Client::createRoom(const std::string& name, int maxMembers, bool relayOnly, const std::string& password) {
  return session_->createRoom(name, maxMembers, relayOnly, password);
}

Status Client::joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                        bool relayOnly, const std::string& password) {
  return session_->joinRoom(code, name, create, maxMembers, relayOnly, password);
}

void Client::leave() { session_->leave(); }

Result<std::uint64_t> Client::send(std::string_view data, Delivery delivery) { return session_->send(data, delivery); }

Result<std::uint64_t> Client::sendTo(const PeerId& peer, std::string_view data, Delivery delivery) {
  return session_->sendTo(peer, data, delivery);
}

Result<std::uint64_t> Client::request(const PeerId& peer, std::string_view data, double timeoutMs) {
  return session_->request(peer, data, timeoutMs);
}
Status Client::respond(std::uint64_t id, std::string_view data) { return session_->respond(id, data); }
Status Client::refuse(std::uint64_t id, ErrorCode code, std::string_view message) {
  return session_->refuse(id, code, message);
}

Status Client::sendState(const PeerId& peer, std::string_view frame) { return session_->sendState(peer, frame); }
Status Client::sendGame(const PeerId& peer, std::string_view frame) { return session_->sendGame(peer, frame); }

void Client::onSignalingOpen() { session_->onSignalingOpen(); }
void Client::onSignalingFrame(std::string_view text) { session_->onSignalingFrame(text); }
void Client::onSignalingBinary() { session_->onSignalingBinary(); }
void Client::onSignalingClosed(const std::string& reason) { session_->onSignalingClosed(reason); }

void Client::onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) {
  session_->onLocalDescription(peer, kind, sdp);
}

void Client::onLocalCandidate(const PeerId& peer, const IceCandidate& candidate) {
  session_->onLocalCandidate(peer, candidate);
}

void Client::onLinkOpen(const PeerId& peer) { session_->onLinkOpen(peer); }
void Client::onLinkFrame(const PeerId& peer, std::string_view text) { session_->onLinkFrame(peer, text); }
void Client::onLinkFailed(const PeerId& peer, const std::string& reason) { session_->onLinkFailed(peer, reason); }
void Client::onLinkClosed(const PeerId& peer) { session_->onLinkClosed(peer); }
void Client::onTimer(TimerId id) { session_->onTimer(id); }

SessionStatus Client::status() const { return session_->status(); }
const PeerId& Client::selfId() const { return session_->selfId(); }
const std::string& Client::resumeToken() const { return session_->resumeToken(); }
const std::string& Client::roomCode() const { return session_->roomCode(); }
const PeerId& Client::host() const { return session_->host(); }
bool Client::roomIsRelayOnly() const { return session_->roomIsRelayOnly(); }
std::vector<Peer> Client::peers() const { return session_->peers(); }
Queued Client::queued(const PeerId& peer) const { return session_->queued(peer); }

}  // namespace huddle
