#include "huddle/client.hpp"

#include <algorithm>
#include <type_traits>

#include "detail/client_link.hpp"
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

// A create or join waiting for the connection to be welcomed.
struct ClientSession::PendingRequest {
  ClientMessage frame;
};

ClientSession::ClientSession(ClientConfig config, ClientPort& port, ClientObserver& observer)
    : config_(config), port_(port), observer_(observer), resumeToken_(config_.resumeToken) {}

ClientSession::~ClientSession() {
  for (auto& [id, target] : timers_) port_.cancelTimer(id);
}

double smoothRtt(double smoothed, double sample) {
  return smoothed < 0 ? sample : smoothed * 7 / 8 + sample / 8;
}

double reconnectDelayMs(const ClientConfig& config, int attempt, double random) {
  double delay = config.reconnectInitialMs;
  for (int i = 1; i < attempt && delay < config.reconnectMaxMs; ++i) delay *= 2;
  return std::min(delay, config.reconnectMaxMs) * (0.5 + random / 2);
}

// ---- app ---------------------------------------------------------------------------------------

Status ClientSession::createRoom(const std::string& name, int maxMembers, bool relayOnly) {
  return request(std::make_unique<PendingRequest>(PendingRequest{Create{name, maxMembers, relayOnly}}));
}

Status ClientSession::joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                               bool relayOnly) {
  return request(std::make_unique<PendingRequest>(PendingRequest{Join{code, name, create, maxMembers, relayOnly}}));
}

Status ClientSession::request(std::unique_ptr<PendingRequest> req) {
  if (status_ == SessionStatus::Joining || status_ == SessionStatus::InRoom ||
      status_ == SessionStatus::Reconnecting) {
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
  // While reconnecting the server may already have us back in the room: say goodbye there too.
  if (status_ == SessionStatus::InRoom || (status_ == SessionStatus::Reconnecting && welcomed_)) {
    port_.sendSignaling(encode(Leave{}));
  }
  log("leaving");
  teardownRoom();
  pending_.reset();
  welcomed_ = false;
  setStatus(SessionStatus::Idle);
  port_.closeSignaling();
}

Result<std::uint64_t> ClientSession::send(std::string_view data, Delivery delivery) {
  std::vector<PeerId> targets;
  for (const auto& m : members_) {
    if (m.id != selfId_) targets.push_back(m.id);
  }
  return sendToMany(targets, data, true, delivery);
}

Result<std::uint64_t> ClientSession::sendTo(const PeerId& peer, std::string_view data, Delivery delivery) {
  bool inRoom = status_ == SessionStatus::InRoom || status_ == SessionStatus::Reconnecting;
  if (inRoom && (peer == selfId_ || !links_.contains(peer))) {
    return Error{ErrorCode::PeerNotInRoom, "no other member " + peer.substr(0, 16) + " in this room"};
  }
  return sendToMany({peer}, data, false, delivery);
}

Result<std::uint64_t> ClientSession::sendToMany(const std::vector<PeerId>& targets, std::string_view data,
                                                bool broadcast, Delivery delivery) {
  if (status_ != SessionStatus::InRoom && status_ != SessionStatus::Reconnecting) {
    return Error{ErrorCode::NotInRoom, "join a room before sending"};
  }
  auto parsed = detail::parseValue(data, limits::kMaxAppDataBytes);
  if (!parsed) return parsed.error();
  // What goes on the wire is the value written out again, which can be longer than what came in
  // (1e9 becomes 1000000000.0): that is what must fit a frame.
  std::size_t bytes = parsed.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
  if (bytes > limits::kMaxAppDataBytes) {
    return Error{ErrorCode::DataInvalid, "data is " + std::to_string(bytes) + " bytes as sent; the limit is " +
                                             std::to_string(limits::kMaxAppDataBytes)};
  }
  if (delivery == Delivery::Unreliable) {
    std::uint64_t id = nextMessageId_++;
    UnreliableMessage message{0, 0, id, port_.nowMs(), broadcast, std::move(parsed).value()};
    for (const auto& peer : targets) sendUnreliable(peer, *links_.at(peer), message);
    kickRelay();
    return id;
  }
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
  kickRelay();  // one relay frame for all the members this send goes through the server to
  return id;
}

// ---- platform ----------------------------------------------------------------------------------

void ClientSession::onSignalingOpen() {
  if (status_ != SessionStatus::Connecting && status_ != SessionStatus::Reconnecting) return;
  // Ask for the id we had (with its token), or the one configured, or none.
  PeerId id = selfId_.empty() ? config_.peerId : selfId_;
  log(id.empty() ? "signaling open; saying hello" : "signaling open; saying hello as " + id);
  // Never welcomed yet: whatever this id had (a reloaded page's links and queues) is not here.
  bool fresh = selfId_.empty();
  port_.sendSignaling(encode(Hello{limits::kProtocolVersion, id, resumeToken_, fresh}));
}

void ClientSession::onSignalingFrame(std::string_view text) {
  auto decoded = decodeServerMessage(text);
  if (!decoded) {
    report(ErrorCode::ProtocolViolation, "bad frame from the server: " + decoded.error().message);
    return;
  }
  handle(decoded.value());
  kickRelay();
}

void ClientSession::onSignalingBinary() {
  report(ErrorCode::ProtocolViolation, "binary frame from the server; the protocol is text only");
}

void ClientSession::onSignalingClosed(const std::string& reason) {
  if (status_ == SessionStatus::Idle || status_ == SessionStatus::Offline) return;
  welcomed_ = false;
  log("signaling closed: " + reason);
  // In a room, the room outlives the connection: links stay up and the session comes back.
  if (status_ == SessionStatus::InRoom || status_ == SessionStatus::Reconnecting) return startReconnect();
  bool neverWelcomed = status_ == SessionStatus::Connecting;
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

void ClientSession::onTimer(TimerId id) {
  auto t = timers_.find(id);
  if (t == timers_.end()) return;
  TimerTarget target = std::move(t->second);
  timers_.erase(t);
  onTimerTarget(target);
  kickRelay();
}

void ClientSession::onTimerTarget(const TimerTarget& target) {
  if (target.kind == TimerTarget::Kind::Reconnect) {
    reconnectTimer_ = 0;
    log("reconnecting (attempt " + std::to_string(reconnectAttempt_) + ")");
    port_.openSignaling();
    return;
  }
  if (target.kind == TimerTarget::Kind::RelayFlush) {
    relayTimer_ = 0;  // kickRelay sends
    return;
  }
  Link* link = findLink(target.peer);
  if (!link) return;
  if (target.kind != TimerTarget::Kind::MemberGrace) return onLinkTimer(target, *link);
  link->graceTimer = 0;
  // An open direct link means its page is alive: it is only slow to reach the server again
  // (after a restart, reconnect backoff can outlast the grace). Dropping it would drop what we
  // send it meanwhile, so wait another period; the server, once it knows, has the last word.
  if (link->state == LinkState::Connected) {
    link->graceTimer = startTimer(config_.memberGraceMs, {TimerTarget::Kind::MemberGrace, target.peer});
    return;
  }
  removeMember(target.peer, LeaveReason::Disconnected);
}

std::vector<PeerView> ClientSession::peers() const {
  std::vector<PeerView> out;
  for (const auto& m : members_) {
    auto it = links_.find(m.id);
    if (it == links_.end()) {
      out.push_back({m, LinkState::Connected, false});
    } else {
      const Link& link = *it->second;
      out.push_back({m, link.state, link.away || link.graceTimer != 0, link.rttMs, transportOf(link)});
    }
  }
  return out;
}

// ---- inside ------------------------------------------------------------------------------------

void ClientSession::handle(const ServerMessage& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Welcome>) {
          onWelcome(m);
        } else if constexpr (std::is_same_v<T, RoomJoined>) {
          if (status_ == SessionStatus::Reconnecting && welcomed_) return reconcileRoom(m);
          if (status_ != SessionStatus::Joining) return report(ErrorCode::ProtocolViolation, "unexpected room_joined");
          onRoomJoinedFrame(m);
        } else if constexpr (std::is_same_v<T, PeerJoined>) {
          if (acceptsRoomFrames()) onPeerJoinedFrame(m.peer);
        } else if constexpr (std::is_same_v<T, PeerLeft>) {
          if (acceptsRoomFrames()) removeMember(m.id, m.reason);
        } else if constexpr (std::is_same_v<T, HostChanged>) {
          if (!acceptsRoomFrames()) return;
          host_ = m.host;
          log("host is now " + host_);
          observer_.onHostChanged(host_);
        } else if constexpr (std::is_same_v<T, SignalIn>) {
          if (acceptsRoomFrames()) onSignalFrame(m);
        } else if constexpr (std::is_same_v<T, RelayIn>) {
          if (acceptsRoomFrames()) onRelayFrame(m);
        } else if constexpr (std::is_same_v<T, ErrorFrame>) {
          onErrorFrame(m);
        } else if constexpr (std::is_same_v<T, PeerAway>) {
          if (acceptsRoomFrames()) setAway(m.id, true);
        } else if constexpr (std::is_same_v<T, PeerBack>) {
          if (acceptsRoomFrames()) onPeerBackFrame(m);
        } else {
          static_assert(std::is_same_v<T, Pong>);
        }
      },
      message);
}

void ClientSession::onWelcome(const Welcome& m) {
  bool rejoining = status_ == SessionStatus::Reconnecting;
  if ((status_ != SessionStatus::Connecting && !rejoining) || welcomed_) {
    return report(ErrorCode::ProtocolViolation, "unexpected welcome");
  }
  if (rejoining && m.id != selfId_) {
    // The server did not give our id back: to everyone else we would be somebody new.
    return giveUp(ErrorCode::ProtocolViolation, "the server resumed us as " + m.id + " instead of " + selfId_);
  }
  welcomed_ = true;
  selfId_ = m.id;
  resumeToken_ = m.token;
  iceServers_ = m.iceServers;
  if (rejoining) {
    reconnectAttempt_ = 0;
    log("welcomed back as " + selfId_ + (m.resumed ? " (resumed)" : "") + "; rejoining " + roomCode_);
    // create: the room may be gone with a server restart; whoever comes back first recreates it.
    port_.sendSignaling(encode(Join{roomCode_, selfName_, true, roomMaxMembers_, roomRelayOnly_}));
    return;
  }
  log("welcomed as " + selfId_);
  setStatus(SessionStatus::Online);
  observer_.onWelcome(selfId_);
  if (pending_) {
    port_.sendSignaling(encode(pending_->frame));
    setStatus(SessionStatus::Joining);
  }
}

void ClientSession::onErrorFrame(const ErrorFrame& m) {
  log("server error " + std::string(errorCodeName(m.code)) + ": " + m.message);
  // A relay part to a member that just went away or left: what it carried stays queued and is
  // sent again when the member is back (or dropped with it), so the app has nothing to do.
  if (m.code == ErrorCode::PeerNotInRoom && m.ref == "relay") return;
  if (m.code == ErrorCode::SessionReplaced) {
    // Another connection (a reload of this page, a duplicated tab) now is this member. Coming
    // back would take it over in turn, so stop here.
    return giveUp(m.code, m.message);
  }
  if (status_ == SessionStatus::Reconnecting && (m.ref == "hello" || m.ref == "join")) {
    // The way back is closed (our id is taken, the room is full, ...): retrying cannot help.
    return giveUp(m.code, "could not rejoin: " + m.message);
  }
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
  observer_.onError(Error{m.code, m.message});
}

void ClientSession::onRoomJoinedFrame(const RoomJoined& joined) {
  if (pending_) {
    const auto& frame = pending_->frame;
    selfName_ = std::holds_alternative<Create>(frame) ? std::get<Create>(frame).name : std::get<Join>(frame).name;
  }
  pending_.reset();
  host_ = joined.host;
  members_.clear();
  takeMemberList(joined);  // no links yet: everyone but us is new
  log("joined room " + roomCode_ + " with " + std::to_string(joined.peers.size()) + " members");
  // Tell the app only once members and links exist, so that peers() and send() from inside
  // these callbacks see the whole room (a greeting sent from onRoomJoined reaches everyone).
  setStatus(SessionStatus::InRoom);
  observer_.onRoomJoined(joined);
}

std::vector<PeerInfo> ClientSession::takeMemberList(const RoomJoined& joined) {
  roomCode_ = joined.code;
  roomMaxMembers_ = joined.maxMembers;
  roomRelayOnly_ = joined.relayOnly;
  selfJoinOrder_ = 0;
  for (const auto& p : joined.peers) {
    if (p.id == selfId_) selfJoinOrder_ = p.joinOrder;  // decides who offers on new links
  }
  std::vector<PeerInfo> newcomers;
  for (const auto& p : joined.peers) {
    if (p.id == selfId_) {
      members_.push_back(p);
    } else if (links_.contains(p.id)) {
      refreshMember(p);
    } else {
      addMember(p);
      newcomers.push_back(p);
    }
  }
  return newcomers;
}

void ClientSession::reconcileRoom(const RoomJoined& joined) {
  std::vector<PeerInfo> before = std::move(members_);
  members_.clear();
  std::vector<PeerInfo> newcomers = takeMemberList(joined);
  log("back in room " + roomCode_ + " with " + std::to_string(joined.peers.size()) + " members");
  // Members the server does not list (yet): after a server restart they come back one by one.
  for (const auto& p : before) {
    if (p.id == selfId_ || !links_.contains(p.id)) continue;
    if (std::none_of(joined.peers.begin(), joined.peers.end(), [&](const PeerInfo& q) { return q.id == p.id; })) {
      members_.push_back(p);
      Link& link = *links_.at(p.id);
      if (!link.graceTimer) link.graceTimer = startTimer(config_.memberGraceMs, {TimerTarget::Kind::MemberGrace, p.id});
      log(p.id + " is away");
    }
  }
  setStatus(SessionStatus::InRoom);
  // Relay frames sent while the connection was going down may be lost with it.
  for (auto& [id, link] : links_) restartRelayStream(*link);
  for (const auto& p : newcomers) observer_.onPeerJoined(p);
  if (host_ != joined.host) {
    host_ = joined.host;
    log("host is now " + host_);
    observer_.onHostChanged(host_);
  }
}

void ClientSession::onPeerJoinedFrame(const PeerInfo& info) {
  if (info.id == selfId_) return;
  if (links_.contains(info.id)) return refreshMember(info);
  addMember(info);
  observer_.onPeerJoined(info);
}

void ClientSession::setAway(const PeerId& id, bool away) {
  auto it = links_.find(id);
  if (it == links_.end() || it->second->away == away) return;
  it->second->away = away;
  log(id + (away ? " is away" : " is back"));
  if (!away) restartRelayStream(*it->second);  // what went to it as it dropped may be lost
  if (away) observer_.onPeerAway(id);
  else observer_.onPeerBack(id);
}

void ClientSession::onPeerBackFrame(const PeerBack& back) {
  auto it = links_.find(back.id);
  if (it == links_.end()) return;
  Link& link = *it->second;
  setAway(back.id, false);
  if (roomRelayOnly_) return restartRelayStream(link);  // a reloaded page needs the sync too
  // A reloaded page (fresh) has no links, whatever ours looks like; and a link that is down needs
  // remaking anyway. The newer side of the pair offers, as on a first link.
  const PeerInfo* member = findMember(back.id);
  if ((back.fresh || link.state != LinkState::Connected) && member) {
    reopenLink(back.id, link, offersTo(*member));
  }
}

void ClientSession::refreshMember(const PeerInfo& info) {
  if (PeerInfo* member = findMember(info.id)) {
    *member = info;
  } else {
    members_.push_back(info);
  }
  Link& link = *links_.at(info.id);
  if (link.graceTimer) {
    cancelTimer(link.graceTimer);
    log(info.id + " is back");
    restartRelayStream(link);
  }
  if (link.state != LinkState::Connected && !roomRelayOnly_) reopenLink(info.id, link, offersTo(info));
}

void ClientSession::addMember(const PeerInfo& info) {
  if (info.id == selfId_ || links_.contains(info.id)) return;
  members_.push_back(info);
  bool offerer = offersTo(info);
  auto epoch = static_cast<std::uint64_t>(port_.random() * 9007199254740991.0) + 1;  // 1..2^53
  auto link = std::make_unique<Link>(offerer, epoch, config_.maxUnackedPerPeer);
  Link& ref = *link;
  links_[info.id] = std::move(link);
  if (roomRelayOnly_) {
    // No direct link by design: the relay carries everything from the start. (Set up quietly:
    // the member is announced with its transport.)
    ref.state = LinkState::Closed;
    ref.relay = true;
    ref.reported = Transport::Relay;
    restartRelayStream(ref);
    pingLink(info.id, ref);
    return log("relaying to " + info.id + " (" + info.name + "): the room is relay-only");
  }
  startOpenTimer(info.id, ref);
  log((offerer ? "offering to " : "awaiting offer from ") + info.id + " (" + info.name + ")");
  port_.openLink(info.id, iceServers_, offerer);
}

PeerInfo* ClientSession::findMember(const PeerId& id) {
  auto m = std::find_if(members_.begin(), members_.end(), [&](const PeerInfo& p) { return p.id == id; });
  return m == members_.end() ? nullptr : &*m;
}

bool ClientSession::offersTo(const PeerInfo& other) const {
  // The newer member of each pair offers, so exactly one side of every pair does (no glare).
  return selfJoinOrder_ > other.joinOrder;
}

void ClientSession::removeMember(const PeerId& id, LeaveReason reason) {
  if (std::erase_if(members_, [&](const PeerInfo& p) { return p.id == id; }) == 0) return;
  auto it = links_.find(id);
  if (it != links_.end()) {
    clearLinkTimers(*it->second);
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
  if (roomRelayOnly_) return log("signal from " + signal.from + " ignored: the room is relay-only");
  const SignalPayload& d = signal.data;
  bool down = link.state == LinkState::Failed || link.state == LinkState::Closed;
  switch (d.kind) {
    case SignalKind::Offer:
    case SignalKind::Answer: {
      bool expected = (d.kind == SignalKind::Offer) != link.offerer;
      if (d.kind == SignalKind::Offer && (!expected || link.remoteDescriptionApplied || down)) {
        // The peer started a new link: it came back (a reloaded page has no links, even if ours
        // still looks open), it saw ours fail, or it is retrying after a failure. If we are
        // offering at the same time, the larger peer id keeps its offer and the other side answers.
        bool glare = link.offerer && !link.remoteDescriptionApplied;
        if (glare && selfId_ > signal.from) return log("offer from " + signal.from + " crossed ours; keeping ours");
        reopenLink(signal.from, link, false);
        expected = true;
      }
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

TimerId ClientSession::startTimer(double delayMs, TimerTarget target) {
  TimerId id = port_.startTimer(delayMs);
  timers_.emplace(id, std::move(target));
  return id;
}

void ClientSession::cancelTimer(TimerId& id) {
  if (!id) return;
  port_.cancelTimer(id);
  timers_.erase(id);
  id = 0;
}

void ClientSession::startReconnect() {
  setStatus(SessionStatus::Reconnecting);
  if (reconnectTimer_) return;
  if (++reconnectAttempt_ > config_.reconnectAttempts) {
    return giveUp(ErrorCode::ServerUnreachable,
                  "lost the connection to the huddle server; gave up after " +
                      std::to_string(config_.reconnectAttempts) + " attempts");
  }
  double delay = reconnectDelayMs(config_, reconnectAttempt_, port_.random());
  log("connection lost; retrying in " + std::to_string(static_cast<long>(delay)) + " ms");
  reconnectTimer_ = startTimer(delay, {TimerTarget::Kind::Reconnect, {}});
}

void ClientSession::giveUp(ErrorCode code, std::string message) {
  teardownRoom();
  pending_.reset();
  welcomed_ = false;
  setStatus(SessionStatus::Offline);
  port_.closeSignaling();
  report(code, std::move(message));
}

void ClientSession::clearLinkTimers(Link& link) {
  for (TimerId* t : {&link.openTimer, &link.retryTimer, &link.graceTimer, &link.pingTimer, &link.resendTimer}) {
    cancelTimer(*t);
  }
}

void ClientSession::teardownRoom() {
  for (auto& [id, link] : links_) port_.closeLink(id);
  for (auto& [id, target] : timers_) port_.cancelTimer(id);
  timers_.clear();
  reconnectTimer_ = 0;
  reconnectAttempt_ = 0;
  relayTimer_ = 0;
  relayPending_ = false;
  roomRelayOnly_ = false;
  links_.clear();
  members_.clear();
  roomCode_.clear();
  host_.clear();
  selfJoinOrder_ = 0;
}

bool ClientSession::acceptsRoomFrames() const {
  // Resuming a live connection puts us back in the room at welcome, before room_joined.
  return status_ == SessionStatus::InRoom || (status_ == SessionStatus::Reconnecting && welcomed_);
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
