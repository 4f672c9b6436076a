#include "huddle/client.hpp"

#include <algorithm>
#include <type_traits>

#include "detail/json_fields.hpp"
#include "huddle/codec.hpp"

namespace huddle {
namespace {

// ICE candidates that may wait for their remote description; a well-behaved peer sends a few
// dozen at most before its offer/answer is applied.
constexpr std::size_t kMaxPendingCandidates = 256;

}  // namespace

std::string_view sessionStatusName(SessionStatus status) {
  switch (status) {
    case SessionStatus::Idle: return "idle";
    case SessionStatus::Connecting: return "connecting";
    case SessionStatus::Online: return "online";
    case SessionStatus::Joining: return "joining";
    case SessionStatus::InRoom: return "in_room";
    case SessionStatus::Offline: return "offline";
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

// The direct link to one member, and the two reliable streams that ride on it.
struct ClientSession::Link {
  explicit Link(bool offerer_, std::size_t capacity) : offerer(offerer_), sender(capacity) {}
  bool offerer;  // we create the offer; the newer member of each pair offers
  LinkState state = LinkState::Connecting;
  bool remoteDescriptionApplied = false;
  std::vector<IceCandidate> pendingCandidates;
  TimerId openTimer = 0;
  ReliableSender sender;
  std::uint64_t transmittedUpTo = 0;  // highest seq handed to the transport
  ReliableReceiver receiver;
};

// A create or join waiting for the connection to be welcomed.
struct ClientSession::PendingRequest {
  ClientMessage frame;
};

ClientSession::ClientSession(ClientConfig config, ClientPort& port, ClientObserver& observer)
    : config_(config), port_(port), observer_(observer) {}

ClientSession::~ClientSession() {
  for (auto& [id, link] : links_) cancelOpenTimer(*link);
}

// ---- app ---------------------------------------------------------------------------------------

Status ClientSession::createRoom(const std::string& name, int maxMembers) {
  return request(std::make_unique<PendingRequest>(PendingRequest{Create{name, maxMembers}}));
}

Status ClientSession::joinRoom(const std::string& code, const std::string& name) {
  return request(std::make_unique<PendingRequest>(PendingRequest{Join{code, name}}));
}

Status ClientSession::request(std::unique_ptr<PendingRequest> req) {
  if (status_ == SessionStatus::Joining || status_ == SessionStatus::InRoom) {
    return Error{ErrorCode::AlreadyInRoom, "leave the current room first"};
  }
  pending_ = std::move(req);
  if (status_ == SessionStatus::Online) {
    port_.sendSignaling(encode(pending_->frame));
    setStatus(SessionStatus::Joining);
  } else if (status_ != SessionStatus::Connecting) {
    setStatus(SessionStatus::Connecting);
    log("connecting to the server");
    port_.openSignaling();
  }
  return Ok{};
}

void ClientSession::leave() {
  if (status_ == SessionStatus::Idle) return;
  if (status_ == SessionStatus::InRoom) port_.sendSignaling(encode(Leave{}));
  log("leaving");
  teardownRoom();
  pending_.reset();
  setStatus(SessionStatus::Idle);
  port_.closeSignaling();
}

Result<std::uint64_t> ClientSession::send(std::string_view data) {
  std::vector<PeerId> targets;
  for (const auto& m : members_) {
    if (m.id != selfId_) targets.push_back(m.id);
  }
  return sendToMany(targets, data, true);
}

Result<std::uint64_t> ClientSession::sendTo(const PeerId& peer, std::string_view data) {
  if (status_ == SessionStatus::InRoom && (peer == selfId_ || !links_.contains(peer))) {
    return Error{ErrorCode::PeerNotInRoom, "no other member " + peer.substr(0, 16) + " in this room"};
  }
  return sendToMany({peer}, data, false);
}

Result<std::uint64_t> ClientSession::sendToMany(const std::vector<PeerId>& targets, std::string_view data,
                                                bool broadcast) {
  if (status_ != SessionStatus::InRoom) return Error{ErrorCode::NotInRoom, "join a room before sending"};
  auto parsed = detail::parseValue(data, limits::kMaxAppDataBytes);
  if (!parsed) return parsed.error();
  // All or nothing: a send either reaches every target's queue or none of them.
  for (const auto& peer : targets) {
    if (!links_.at(peer)->sender.hasRoom()) {
      return Error{ErrorCode::SendQueueFull, "the queue to " + peer + " is full (" +
                                                 std::to_string(config_.maxUnackedPerPeer) +
                                                 " messages not yet acknowledged)"};
    }
  }
  std::uint64_t id = nextMessageId_++;
  AppMessage message{0, id, port_.nowMs(), broadcast, std::move(parsed).value()};
  for (const auto& peer : targets) {
    Link& link = *links_.at(peer);
    link.sender.push(message);  // cannot fail: room checked above
    flush(peer, link);
  }
  return id;
}

// ---- platform ----------------------------------------------------------------------------------

void ClientSession::onSignalingOpen() {
  if (status_ != SessionStatus::Connecting) return;
  log("signaling open; saying hello");
  port_.sendSignaling(encode(Hello{limits::kProtocolVersion}));
}

void ClientSession::onSignalingFrame(std::string_view text) {
  auto decoded = decodeServerMessage(text);
  if (!decoded) {
    report(ErrorCode::ProtocolViolation, "bad frame from the server: " + decoded.error().message);
    return;
  }
  handle(decoded.value());
}

void ClientSession::onSignalingBinary() {
  report(ErrorCode::ProtocolViolation, "binary frame from the server; the protocol is text only");
}

void ClientSession::onSignalingClosed(const std::string& reason) {
  if (status_ == SessionStatus::Idle || status_ == SessionStatus::Offline) return;
  bool neverWelcomed = status_ == SessionStatus::Connecting;
  log("signaling closed: " + reason);
  teardownRoom();
  pending_.reset();
  setStatus(SessionStatus::Offline);
  report(ErrorCode::ServerUnreachable,
         neverWelcomed ? "can't reach the huddle server" : "lost the connection to the huddle server");
}

void ClientSession::onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) {
  if (!links_.contains(peer)) return;  // the peer left while the browser was working
  SignalPayload data;
  data.kind = kind;
  data.sdp = sdp;
  port_.sendSignaling(encode(SignalOut{peer, std::move(data)}));
}

void ClientSession::onLocalCandidate(const PeerId& peer, const IceCandidate& candidate) {
  if (!links_.contains(peer)) return;
  SignalPayload data;
  data.kind = SignalKind::IceCandidate;
  data.candidate = candidate.candidate;
  data.sdpMid = candidate.sdpMid;
  data.sdpMLineIndex = candidate.sdpMLineIndex;
  port_.sendSignaling(encode(SignalOut{peer, std::move(data)}));
}

void ClientSession::onLinkOpen(const PeerId& peer) {
  auto it = links_.find(peer);
  if (it == links_.end()) return;
  Link& link = *it->second;
  cancelOpenTimer(link);
  setLinkState(peer, link, LinkState::Connected);
  flush(peer, link);
}

void ClientSession::onLinkFrame(const PeerId& peer, std::string_view text) {
  auto it = links_.find(peer);
  if (it == links_.end()) return;
  Link& link = *it->second;
  auto decoded = decodePeerMessage(text);
  if (!decoded) {
    report(ErrorCode::ProtocolViolation, "bad frame from peer " + peer + ": " + decoded.error().message);
    return;
  }
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AppMessage>) {
          handleAppMessage(peer, link, std::move(m));
        } else if constexpr (std::is_same_v<T, Ack>) {
          for (const auto& acked : link.sender.acknowledge(m.seq)) observer_.onDelivered(peer, acked.id);
        } else if constexpr (std::is_same_v<T, LinkPing>) {
          port_.sendOnLink(peer, encode(LinkPong{m.ts}));
        } else {
          static_assert(std::is_same_v<T, LinkPong>);
        }
      },
      decoded.value());
}

void ClientSession::onLinkFailed(const PeerId& peer, const std::string& reason) {
  auto it = links_.find(peer);
  if (it != links_.end()) failLink(peer, *it->second, reason);
}

void ClientSession::onLinkClosed(const PeerId& peer) {
  auto it = links_.find(peer);
  if (it == links_.end()) return;
  Link& link = *it->second;
  if (link.state == LinkState::Connected) setLinkState(peer, link, LinkState::Closed);
}

void ClientSession::onTimer(TimerId id) {
  auto t = linkTimers_.find(id);
  if (t == linkTimers_.end()) return;
  PeerId peer = t->second;
  linkTimers_.erase(t);
  auto it = links_.find(peer);
  if (it == links_.end()) return;
  Link& link = *it->second;
  link.openTimer = 0;
  if (link.state == LinkState::Connecting) {
    failLink(peer, link, "not open within " + std::to_string(static_cast<long>(config_.linkOpenTimeoutMs)) + " ms");
  }
}

std::vector<PeerView> ClientSession::peers() const {
  std::vector<PeerView> out;
  for (const auto& m : members_) {
    auto it = links_.find(m.id);
    out.push_back({m, it == links_.end() ? LinkState::Connected : it->second->state});
  }
  return out;
}

// ---- inside ------------------------------------------------------------------------------------

void ClientSession::handle(const ServerMessage& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Welcome>) {
          if (status_ != SessionStatus::Connecting) return report(ErrorCode::ProtocolViolation, "unexpected welcome");
          selfId_ = m.id;
          iceServers_ = m.iceServers;
          log("welcomed as " + selfId_);
          setStatus(SessionStatus::Online);
          observer_.onWelcome(selfId_);
          if (pending_) {
            port_.sendSignaling(encode(pending_->frame));
            setStatus(SessionStatus::Joining);
          }
        } else if constexpr (std::is_same_v<T, RoomJoined>) {
          if (status_ != SessionStatus::Joining) return report(ErrorCode::ProtocolViolation, "unexpected room_joined");
          onRoomJoinedFrame(m);
        } else if constexpr (std::is_same_v<T, PeerJoined>) {
          // Only newcomers are announced: the members already present came with room_joined.
          if (status_ != SessionStatus::InRoom || m.peer.id == selfId_ || links_.contains(m.peer.id)) return;
          addMember(m.peer);
          observer_.onPeerJoined(m.peer);
        } else if constexpr (std::is_same_v<T, PeerLeft>) {
          if (status_ == SessionStatus::InRoom) removeMember(m.id, m.reason);
        } else if constexpr (std::is_same_v<T, HostChanged>) {
          if (status_ != SessionStatus::InRoom) return;
          host_ = m.host;
          log("host is now " + host_);
          observer_.onHostChanged(host_);
        } else if constexpr (std::is_same_v<T, SignalIn>) {
          if (status_ == SessionStatus::InRoom) onSignalFrame(m);
        } else if constexpr (std::is_same_v<T, RelayIn>) {
          log("relay frame from " + m.from + " ignored: this client uses direct links only");
        } else if constexpr (std::is_same_v<T, ErrorFrame>) {
          // A refused create/join leaves us welcomed and free to try again.
          if (status_ == SessionStatus::Joining && (m.ref == "create" || m.ref == "join")) {
            pending_.reset();
            setStatus(SessionStatus::Online);
          }
          // A refused hello (e.g. unsupported_version) means no welcome will ever come: give the
          // connection up so that a later create/join starts a fresh one.
          if (status_ == SessionStatus::Connecting && m.ref == "hello") {
            pending_.reset();
            setStatus(SessionStatus::Offline);
            port_.closeSignaling();
          }
          log("server error " + std::string(errorCodeName(m.code)) + ": " + m.message);
          observer_.onError(Error{m.code, m.message});
        } else {
          static_assert(std::is_same_v<T, Pong>);
        }
      },
      message);
}

void ClientSession::onRoomJoinedFrame(const RoomJoined& joined) {
  pending_.reset();
  roomCode_ = joined.code;
  host_ = joined.host;
  members_.clear();
  selfJoinOrder_ = 0;
  for (const auto& p : joined.peers) {
    if (p.id == selfId_) selfJoinOrder_ = p.joinOrder;
  }
  log("joined room " + roomCode_ + " with " + std::to_string(joined.peers.size()) + " members");
  for (const auto& p : joined.peers) {
    if (p.id == selfId_) {
      members_.push_back(p);
    } else {
      addMember(p);
    }
  }
  // Tell the app only once members and links exist, so that peers() and send() from inside
  // these callbacks see the whole room (a greeting sent from onRoomJoined reaches everyone).
  setStatus(SessionStatus::InRoom);
  observer_.onRoomJoined(joined);
}

void ClientSession::addMember(const PeerInfo& info) {
  if (info.id == selfId_ || links_.contains(info.id)) return;
  members_.push_back(info);
  // The newer member of each pair offers, so exactly one side of every pair does (no glare).
  bool offerer = selfJoinOrder_ > info.joinOrder;
  auto link = std::make_unique<Link>(offerer, config_.maxUnackedPerPeer);
  link->openTimer = port_.startTimer(config_.linkOpenTimeoutMs);
  linkTimers_[link->openTimer] = info.id;
  links_[info.id] = std::move(link);
  log((offerer ? "offering to " : "awaiting offer from ") + info.id + " (" + info.name + ")");
  port_.openLink(info.id, iceServers_, offerer);
}

void ClientSession::removeMember(const PeerId& id, LeaveReason reason) {
  auto m = std::find_if(members_.begin(), members_.end(), [&](const PeerInfo& p) { return p.id == id; });
  if (m == members_.end()) return;
  members_.erase(m);
  auto it = links_.find(id);
  if (it != links_.end()) {
    cancelOpenTimer(*it->second);
    links_.erase(it);
    port_.closeLink(id);
  }
  log(id + " left (" + std::string(leaveReasonName(reason)) + ")");
  observer_.onPeerLeft(id, reason);
}

void ClientSession::onSignalFrame(const SignalIn& signal) {
  auto it = links_.find(signal.from);
  if (it == links_.end()) return report(ErrorCode::ProtocolViolation, "signal from a non-member");
  Link& link = *it->second;
  const SignalPayload& d = signal.data;
  switch (d.kind) {
    case SignalKind::Offer:
    case SignalKind::Answer: {
      bool expected = (d.kind == SignalKind::Offer) != link.offerer;
      if (!expected || link.remoteDescriptionApplied) {
        return report(ErrorCode::ProtocolViolation,
                      "unexpected " + std::string(signalKindName(d.kind)) + " from " + signal.from);
      }
      link.remoteDescriptionApplied = true;
      port_.applyRemoteDescription(signal.from, d.kind, d.sdp);
      for (const auto& c : link.pendingCandidates) port_.addRemoteCandidate(signal.from, c);
      link.pendingCandidates.clear();
      return;
    }
    case SignalKind::IceCandidate: {
      IceCandidate c{d.candidate, d.sdpMid, d.sdpMLineIndex};
      if (link.remoteDescriptionApplied) {
        port_.addRemoteCandidate(signal.from, c);
      } else if (link.pendingCandidates.size() < kMaxPendingCandidates) {
        link.pendingCandidates.push_back(std::move(c));
      } else {
        report(ErrorCode::ProtocolViolation, "too many ICE candidates before an offer/answer from " + signal.from);
      }
      return;
    }
  }
}

void ClientSession::handleAppMessage(const PeerId& from, Link& link, AppMessage message) {
  auto outcome = link.receiver.accept(std::move(message));
  if (!outcome) {
    return report(outcome.error().code, "from " + from + ": " + outcome.error().message);
  }
  for (const auto& m : outcome.value().deliver) {
    observer_.onMessage(from, m.data, MessageMeta{m.id, m.ts, m.broadcast});
  }
  if (outcome.value().ack > 0) port_.sendOnLink(from, encode(Ack{outcome.value().ack}));
}

void ClientSession::flush(const PeerId& peer, Link& link) {
  if (link.state != LinkState::Connected) return;
  for (const auto& m : link.sender.unacked()) {
    if (m.seq <= link.transmittedUpTo) continue;
    port_.sendOnLink(peer, encode(m));
    link.transmittedUpTo = m.seq;
  }
}

void ClientSession::cancelOpenTimer(Link& link) {
  if (!link.openTimer) return;
  port_.cancelTimer(link.openTimer);
  linkTimers_.erase(link.openTimer);
  link.openTimer = 0;
}

void ClientSession::setLinkState(const PeerId& peer, Link& link, LinkState state) {
  if (link.state == state) return;
  link.state = state;
  log("link to " + peer + ": " + std::string(linkStateName(state)));
  observer_.onLinkState(peer, state);
}

void ClientSession::failLink(const PeerId& peer, Link& link, const std::string& reason) {
  if (link.state == LinkState::Failed) return;
  cancelOpenTimer(link);
  setLinkState(peer, link, LinkState::Failed);
  port_.closeLink(peer);
  report(ErrorCode::LinkFailed, "no direct link to " + peer + ": " + reason);
}

void ClientSession::teardownRoom() {
  for (auto& [id, link] : links_) {
    cancelOpenTimer(*link);
    port_.closeLink(id);
  }
  links_.clear();
  members_.clear();
  roomCode_.clear();
  host_.clear();
  selfJoinOrder_ = 0;
}

void ClientSession::setStatus(SessionStatus status) {
  if (status_ == status) return;
  status_ = status;
  observer_.onStatus(status);
}

void ClientSession::log(const std::string& line) { observer_.onLog(line); }

void ClientSession::report(ErrorCode code, std::string message) {
  log(std::string(errorCodeName(code)) + ": " + message);
  observer_.onError(Error{code, std::move(message)});
}

}  // namespace huddle
