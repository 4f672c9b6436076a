#include "client/session.hpp"

#include <algorithm>
#include <type_traits>

#include "huddle/codec.hpp"

namespace huddle::client {

Session::Session(ClientConfig config, ClientPort& port, ClientObserver& observer)
    : ctx_(std::move(config), port, observer),
      relay_(ctx_),
      streams_(ctx_, relay_),
      negotiation_(ctx_, streams_),
      membership_(ctx_, negotiation_, streams_, relay_),
      requests_(ctx_, streams_),
      report_(ctx_),
      resumeToken_(ctx_.config.resumeToken) {
  streams_.attach(negotiation_);
  streams_.attach(requests_);
  streams_.attach(report_);
  ctx_.memberLeft = [this](const PeerId& peer) {
    requests_.memberLeft(peer);
    report_.changed(peer);
  };
}

// ---- app ---------------------------------------------------------------------------------------

Status Session::createRoom(const std::string& name, int maxMembers, bool relayOnly, const std::string& password) {
  return ask(Create{name, maxMembers, relayOnly, password}, relayOnly);
}

Status Session::joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers,
                         bool relayOnly, const std::string& password) {
  Join join{code, name, create, maxMembers, relayOnly};
  join.password = password;
  return ask(std::move(join), relayOnly);
}

Status Session::ask(ClientMessage frame, bool relayOnly) {
  if (ctx_.status == SessionStatus::Joining || ctx_.status == SessionStatus::InRoom ||
      ctx_.status == SessionStatus::Reconnecting || requestSent_) {
    return Error{ErrorCode::AlreadyInRoom, "leave the current room first"};
  }
  pending_ = std::move(frame);
  pendingWantsLinks_ = !relayOnly;
  report_.asked();
  if (ctx_.status == SessionStatus::Online) {
    sendRequest();
    setStatus(SessionStatus::Joining);
  } else if (ctx_.status != SessionStatus::Connecting) {
    setStatus(SessionStatus::Connecting);
    ctx_.log("connecting to the server");
    ctx_.port.openSignaling();
  }
  return Ok{};
}

void Session::leave() {
  if (ctx_.status == SessionStatus::Idle) return;
  // Wherever the server may have us in the room, say goodbye, or it keeps our place as away for
  // its grace period: in it, back in it after a reconnect, or with our create/join on its way
  // (the server answers frames in order, so the leave comes after the join whatever happens).
  if (ctx_.status == SessionStatus::InRoom || (ctx_.status == SessionStatus::Reconnecting && welcomed_) ||
      requestSent_) {
    ctx_.port.sendSignaling(encode(Leave{}));
  }
  ctx_.log("leaving");
  teardownRoom();
  pending_.reset();
  requestSent_ = false;
  welcomed_ = false;
  setStatus(SessionStatus::Idle);
  ctx_.port.closeSignaling();
}

Result<std::uint64_t> Session::send(std::string_view data, Delivery delivery) {
  auto sent = streams_.send(data, delivery);
  relay_.kick();  // one relay frame for all the members this send goes through the server to
  active_ = true;
  return sent;
}

Result<std::uint64_t> Session::sendTo(const PeerId& peer, std::string_view data, Delivery delivery) {
  auto sent = streams_.sendTo(peer, data, delivery);
  relay_.kick();
  active_ = true;
  return sent;
}

Result<std::uint64_t> Session::request(const PeerId& peer, std::string_view data, double timeoutMs) {
  auto sent = requests_.request(peer, data, timeoutMs);
  relay_.kick();
  active_ = true;
  return sent;
}

Status Session::respond(std::uint64_t id, std::string_view data) {
  auto sent = requests_.respond(id, data);
  relay_.kick();
  active_ = true;
  return sent;
}

Status Session::refuse(std::uint64_t id, ErrorCode code, std::string_view message) {
  auto sent = requests_.refuse(id, code, message);
  relay_.kick();
  active_ = true;
  return sent;
}

Status Session::sendState(const PeerId& peer, std::string_view frame) {
  auto sent = streams_.sendKind(peer, frame, MessageKind::State);
  relay_.kick();
  active_ = true;  // the app's writes, on their way
  if (!sent) return sent.error();
  return Ok{};
}

Status Session::sendGame(const PeerId& peer, std::string_view frame) {
  auto sent = streams_.sendGame(peer, frame);
  relay_.kick();
  return sent;
}

void Session::reportActivity() {
  if (activityTimer_ || roomIdleMs_ == 0) return;
  // A quarter of the server's idle timeout: one report lost with a dropped connection leaves
  // three more chances before the room would count as idle.
  activityTimer_ = ctx_.timers.start(static_cast<double>(roomIdleMs_) / 4, [this] {
    activityTimer_ = 0;
    if (active_ && welcomed_ && ctx_.status == SessionStatus::InRoom) {
      // What the app sent may all have gone over direct links, which the server never sees.
      ctx_.port.sendSignaling(encode(Ping{}));
      active_ = false;
    }
    reportActivity();
  });
}

// ---- platform ----------------------------------------------------------------------------------

void Session::onSignalingOpen() {
  if (ctx_.status != SessionStatus::Connecting && ctx_.status != SessionStatus::Reconnecting) return;
  // Ask for the id we had (with its token), or the one configured, or none.
  const PeerId& self = ctx_.roster.self;
  PeerId id = self.empty() ? ctx_.config.peerId : self;
  ctx_.log(id.empty() ? "signaling open; saying hello" : "signaling open; saying hello as " + id);
  // Never welcomed yet: whatever this id had (a reloaded page's links and queues) is not here.
  bool fresh = self.empty();
  Hello hello{limits::kProtocolVersion, id, resumeToken_, fresh};
  hello.joinToken = ctx_.config.joinToken;
  ctx_.port.sendSignaling(encode(hello));
  // The create/join goes right behind the hello instead of after welcome: the server handles a
  // connection's frames in order, so it is welcomed first all the same, and a join costs one
  // round trip to the server less (docs/protocol.md "Client → server"). If the hello is refused,
  // the server refuses the join too (hello_required), and we have given up by then.
  if (pending_ && ctx_.status == SessionStatus::Connecting) sendRequest();
}

void Session::onSignalingFrame(std::string_view text) {
  auto decoded = decodeServerMessage(text);
  if (!decoded) {
    ctx_.report(ErrorCode::ProtocolViolation, "bad frame from the server: " + decoded.error().message);
    return;
  }
  handle(decoded.value());
  relay_.kick();
}

void Session::onSignalingBinary() {
  ctx_.report(ErrorCode::ProtocolViolation, "binary frame from the server; the protocol is text only");
}

void Session::onSignalingClosed(const std::string& reason) {
  if (ctx_.status == SessionStatus::Idle || ctx_.status == SessionStatus::Offline) return;
  welcomed_ = false;
  requestSent_ = false;
  ctx_.log("signaling closed: " + reason);
  // In a room, the room outlives the connection: links stay up and the session comes back.
  if (ctx_.inRoom()) return startReconnect();
  bool neverWelcomed = ctx_.status == SessionStatus::Connecting;
  teardownRoom();
  pending_.reset();
  setStatus(SessionStatus::Offline);
  ctx_.report(ErrorCode::ServerUnreachable,
              neverWelcomed ? "can't reach the huddle server" : "lost the connection to the huddle server");
}

void Session::onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) {
  negotiation_.onLocalDescription(peer, kind, sdp);
}

void Session::onLocalCandidate(const PeerId& peer, const IceCandidate& candidate) {
  negotiation_.onLocalCandidate(peer, candidate);
}

void Session::onLinkOpen(const PeerId& peer) { negotiation_.onOpen(peer); }

void Session::onLinkFrame(const PeerId& peer, std::string_view text) {
  streams_.onLinkFrame(peer, text);
  relay_.kick();
}

void Session::onLinkFailed(const PeerId& peer, const std::string& reason) {
  negotiation_.onFailed(peer, reason);
  relay_.kick();
}

void Session::onLinkClosed(const PeerId& peer) {
  negotiation_.onClosed(peer);
  relay_.kick();
}

void Session::onTimer(TimerId id) {
  ctx_.timers.fire(id);
  relay_.kick();
}

// ---- frames from the server --------------------------------------------------------------------

void Session::handle(const ServerMessage& message) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Welcome>) {
          onWelcome(m);
        } else if constexpr (std::is_same_v<T, RoomJoined>) {
          if (ctx_.status == SessionStatus::Reconnecting && welcomed_) return onRoomRejoined(m);
          if (ctx_.status != SessionStatus::Joining) {
            return ctx_.report(ErrorCode::ProtocolViolation, "unexpected room_joined");
          }
          onRoomJoined(m);
        } else if constexpr (std::is_same_v<T, PeerJoined>) {
          if (acceptsRoomFrames()) membership_.onPeerJoined(m.peer);
        } else if constexpr (std::is_same_v<T, PeerLeft>) {
          if (acceptsRoomFrames()) membership_.onPeerLeft(m.id, m.reason);
        } else if constexpr (std::is_same_v<T, HostChanged>) {
          if (acceptsRoomFrames()) membership_.onHostChanged(m.host);
        } else if constexpr (std::is_same_v<T, SignalIn>) {
          if (acceptsRoomFrames()) negotiation_.onSignal(m);
        } else if constexpr (std::is_same_v<T, RelayIn>) {
          if (acceptsRoomFrames()) streams_.onRelayFrame(m);
        } else if constexpr (std::is_same_v<T, ErrorFrame>) {
          onErrorFrame(m);
        } else if constexpr (std::is_same_v<T, PeerAway>) {
          if (acceptsRoomFrames()) membership_.setAway(m.id, true);
        } else if constexpr (std::is_same_v<T, PeerBack>) {
          if (acceptsRoomFrames()) membership_.onPeerBack(m);
        } else {
          static_assert(std::is_same_v<T, Pong>);
        }
      },
      message);
}

void Session::onWelcome(const Welcome& m) {
  bool rejoining = ctx_.status == SessionStatus::Reconnecting;
  if ((ctx_.status != SessionStatus::Connecting && !rejoining) || welcomed_) {
    return ctx_.report(ErrorCode::ProtocolViolation, "unexpected welcome");
  }
  Roster& roster = ctx_.roster;
  if (rejoining && m.id != roster.self) {
    // The server did not give our id back: to everyone else we would be somebody new.
    return giveUp(ErrorCode::ProtocolViolation, "the server resumed us as " + m.id + " instead of " + roster.self);
  }
  welcomed_ = true;
  roomIdleMs_ = m.roomIdleMs;
  roster.self = m.id;
  resumeToken_ = m.token;
  negotiation_.setIceServers(m.iceServers);
  relay_.limit(m.rate);  // (a restarted server may have been configured anew)
  if (rejoining) {
    reconnectAttempt_ = 0;
    ctx_.log("welcomed back as " + roster.self + (m.resumed ? " (resumed)" : "") + "; rejoining " + roster.code);
    // create: the room may be gone with a server restart; whoever comes back first recreates it,
    // and everyone's old join order (rank) puts them back in their places, the host first.
    Join join{roster.code, roster.selfName, true, roster.maxMembers, roster.relayOnly, roster.selfJoinOrder};
    join.password = roster.password;
    ctx_.port.sendSignaling(encode(join));
    return;
  }
  ctx_.log("welcomed as " + roster.self);
  setStatus(SessionStatus::Online);
  ctx_.observer.onWelcome(roster.self);
  if (pending_) {
    if (!requestSent_) sendRequest();
    setStatus(SessionStatus::Joining);
  }
}

void Session::sendRequest() {
  ctx_.port.sendSignaling(encode(*pending_));
  requestSent_ = true;
  // Whoever is in the room, or comes later, will need a link to us: the platform can build one
  // while the server answers. Not sooner: in a fresh page that is tens of ms of the page's own
  // work, which would hold up the connection's open event (measured: bench/join_timeline.mjs).
  // A relay-only room needs none (a join asking for relayOnly that lands in a room with links
  // only makes its first link without the head start).
  if (pendingWantsLinks_) ctx_.port.prepareLink();
}

void Session::onErrorFrame(const ErrorFrame& m) {
  ctx_.log("server error " + std::string(errorCodeName(m.code)) + ": " + m.message);
  // What the server says after we gave up or left (the refusal of a join that followed a refused
  // hello, say) concerns a connection that is over.
  if (ctx_.status == SessionStatus::Offline || ctx_.status == SessionStatus::Idle) return;
  // A relay part to a member that just went away or left: what it carried stays queued and is
  // sent again when the member is back (or dropped with it), so the app has nothing to do.
  if (m.code == ErrorCode::PeerNotInRoom && m.ref == "relay") return;
  if (m.code == ErrorCode::SessionReplaced || m.code == ErrorCode::RoomExpired) {
    // Another connection (a reload of this page, a duplicated tab) now is this member: coming
    // back would take it over in turn. Or the server closed the room as idle: coming back would
    // recreate it. Either way, stop here.
    return giveUp(m.code, m.message);
  }
  if (ctx_.status == SessionStatus::Reconnecting && (m.ref == "hello" || m.ref == "join")) {
    // The way back is closed (our id is taken, the room is full, ...): retrying cannot help.
    return giveUp(m.code, "could not rejoin: " + m.message);
  }
  // A refused create/join leaves us welcomed and free to try again.
  if (ctx_.status == SessionStatus::Joining && (m.ref == "create" || m.ref == "join")) {
    pending_.reset();
    requestSent_ = false;
    setStatus(SessionStatus::Online);
  }
  // A refused hello (e.g. unsupported_version) means no welcome will ever come: give the
  // connection up so that a later create/join starts a fresh one.
  if (ctx_.status == SessionStatus::Connecting && m.ref == "hello") {
    pending_.reset();
    requestSent_ = false;
    setStatus(SessionStatus::Offline);
    ctx_.port.closeSignaling();
  }
  ctx_.observer.onError(Error{m.code, m.message});
}

void Session::onRoomJoined(const RoomJoined& joined) {
  if (pending_) {
    const auto* create = std::get_if<Create>(&*pending_);
    ctx_.roster.selfName = create ? create->name : std::get<Join>(*pending_).name;
    ctx_.roster.password = create ? create->password : std::get<Join>(*pending_).password;
  }
  pending_.reset();
  requestSent_ = false;
  membership_.enter(joined);
  report_.entered();
  // Tell the app only once members and paths exist, so that peers() and send() from inside these
  // callbacks see the whole room (a greeting sent from onRoomJoined reaches everyone).
  setStatus(SessionStatus::InRoom);
  reportActivity();
  ctx_.observer.onRoomJoined(joined);
}

void Session::onRoomRejoined(const RoomJoined& joined) {
  std::vector<PeerInfo> newcomers = membership_.reconcile(joined);
  setStatus(SessionStatus::InRoom);
  // Relay frames sent while the connection was going down may be lost with it.
  for (auto& [id, path] : ctx_.paths) relay_.restart(*path);
  membership_.announce(newcomers);
  if (ctx_.roster.host != joined.host) membership_.onHostChanged(joined.host);
}

// ---- the connection's life ---------------------------------------------------------------------

void Session::startReconnect() {
  setStatus(SessionStatus::Reconnecting);
  if (reconnectTimer_) return;
  if (++reconnectAttempt_ > ctx_.config.reconnectAttempts) {
    return giveUp(ErrorCode::ServerUnreachable, "lost the connection to the huddle server; gave up after " +
                                                    std::to_string(ctx_.config.reconnectAttempts) + " attempts");
  }
  double delay = reconnectDelayMs(ctx_.config, reconnectAttempt_, ctx_.port.random());
  ctx_.log("connection lost; retrying in " + std::to_string(static_cast<long>(delay)) + " ms");
  reconnectTimer_ = ctx_.timers.start(delay, [this] {
    reconnectTimer_ = 0;
    ctx_.log("reconnecting (attempt " + std::to_string(reconnectAttempt_) + ")");
    ctx_.port.openSignaling();
  });
}

void Session::giveUp(ErrorCode code, std::string message) {
  teardownRoom();
  pending_.reset();
  requestSent_ = false;
  welcomed_ = false;
  setStatus(SessionStatus::Offline);
  ctx_.port.closeSignaling();
  ctx_.report(code, std::move(message));
}

void Session::teardownRoom() {
  requests_.clear();  // (tells the app: before the timers and paths go)
  report_.clear();
  for (auto& [id, path] : ctx_.paths) ctx_.port.closeLink(id);
  ctx_.timers.clear();
  reconnectTimer_ = 0;
  activityTimer_ = 0;
  active_ = false;
  reconnectAttempt_ = 0;
  relay_.reset();
  ctx_.paths.clear();
  ctx_.roster.clear();
}

bool Session::acceptsRoomFrames() const {
  return ctx_.status == SessionStatus::InRoom || (ctx_.status == SessionStatus::Reconnecting && welcomed_);
}

void Session::setStatus(SessionStatus status) {
  if (ctx_.status == status) return;
  ctx_.status = status;
  ctx_.observer.onStatus(status);
}

Queued Session::queued(const PeerId& peer) const {
  Queued most;
  for (const auto& [id, path] : ctx_.paths) {
    if (!peer.empty() && id != peer) continue;
    const ReliableSender& s = path->sender;
    most.messages = std::max(most.messages, s.unacked().size());
    most.bytes = std::max(most.bytes, s.queuedBytes());
  }
  return most;
}

}  // namespace huddle::client
