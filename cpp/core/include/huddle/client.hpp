// The client session: one member's view of the signaling connection, the room and a path to every
// other member: a direct link where one can be made, else the server relay. It decides who offers
// to whom, carries SDP/ICE through signaling, owns each link's state and the reliable message
// streams (which move between the two paths without loss), and reports everything to an observer.
// It performs no I/O: a platform (the Wasm bridge in the browser, fakes in tests) implements
// ClientPort and feeds events back in. All calls happen on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "huddle/error.hpp"
#include "huddle/limits.hpp"
#include "huddle/message.hpp"
#include "huddle/peer_message.hpp"
#include "huddle/reliable_stream.hpp"

namespace huddle {

using TimerId = std::uint64_t;

// Where the session stands with the server.
enum class SessionStatus {
  Idle,        // nothing asked yet, or left
  Connecting,  // signaling connection opening, hello sent or pending
  Online,      // welcomed, not in a room
  Joining,     // create/join sent
  InRoom,
  Offline,       // the connection failed, was lost for good, or was taken over by a newer one
  Reconnecting,  // in a room, the connection dropped: retrying with backoff. Links, queues and
                 // sends keep working; the peer id and room are kept.
};

// State of the direct link to one member. Closed also stands for "no direct link by design" in a
// relay-only room.
enum class LinkState { Connecting, Connected, Failed, Closed };

// What carries messages to one member now: its direct link, the server relay (no direct link
// could be made, it failed, or the room is relay-only), or nothing yet (the link is still being
// made; messages wait, at most linkOpenTimeoutMs).
enum class Transport { None, Direct, Relay };

std::string_view sessionStatusName(SessionStatus status);
std::string_view linkStateName(LinkState state);
std::string_view transportName(Transport transport);

struct IceCandidate {
  std::string candidate;
  std::string sdpMid;
  int sdpMLineIndex = -1;
};

// What the session asks of its platform. Every call returns at once; results come back through
// the ClientSession::on* methods.
class ClientPort {
 public:
  virtual ~ClientPort() = default;
  // Opens the signaling connection; answer with onSignalingOpen or onSignalingClosed.
  virtual void openSignaling() = 0;
  virtual void closeSignaling() = 0;
  virtual void sendSignaling(const std::string& frame) = 0;
  // Creates the peer connection to `peer`. The offerer also creates the data channel and an offer
  // (answer with onLocalDescription); the other side waits for applyRemoteDescription.
  virtual void openLink(const PeerId& peer, const nlohmann::json& iceServers, bool offerer) = 0;
  // Applies the remote offer (then creates and reports an answer) or answer.
  virtual void applyRemoteDescription(const PeerId& peer, SignalKind kind, const std::string& sdp) = 0;
  virtual void addRemoteCandidate(const PeerId& peer, const IceCandidate& candidate) = 0;
  virtual void sendOnLink(const PeerId& peer, const std::string& frame) = 0;
  // The same on the link's unordered, no-retransmit channel (unreliable messages). May drop it.
  virtual void sendOnLinkUnreliable(const PeerId& peer, const std::string& frame) = 0;
  virtual void closeLink(const PeerId& peer) = 0;
  // One-shot timer; when it fires, the platform calls ClientSession::onTimer(id).
  virtual TimerId startTimer(double delayMs) = 0;
  virtual void cancelTimer(TimerId id) = 0;
  // Wall clock in ms since the Unix epoch (for message timestamps).
  virtual double nowMs() = 0;
  // Uniform in [0, 1): reconnect jitter and stream epochs (need not be cryptographic).
  virtual double random() = 0;
};

// Extra facts about a received app message.
struct MessageMeta {
  std::uint64_t id = 0;   // the sender's message number
  double ts = 0;          // sender's wall clock, ms
  bool broadcast = true;  // false when sent with sendTo
  bool reliable = true;   // false: sent unreliably (may have been lost, never duplicated or older)
};

// How a send travels. Reliable: exactly once, in order per sender, queued and resent as needed.
// Unreliable: at most once, never older than one already delivered from that sender, nothing
// queued or resent (60 Hz game state and inputs, cursors); messages to a member without any path
// yet are dropped.
enum class Delivery { Reliable, Unreliable };

// What the session tells the app. Default implementations ignore the event.
class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  virtual void onStatus(SessionStatus) {}
  virtual void onWelcome(const PeerId& /*self*/) {}
  virtual void onRoomJoined(const RoomJoined&) {}
  virtual void onPeerJoined(const PeerInfo&) {}
  virtual void onPeerLeft(const PeerId&, LeaveReason) {}
  virtual void onHostChanged(const PeerId&) {}
  // A member's connection to the server dropped: it keeps its place (and the host role) for the
  // server's grace period. Back: it resumed in time. (If not, onPeerLeft follows.)
  virtual void onPeerAway(const PeerId&) {}
  virtual void onPeerBack(const PeerId&) {}
  virtual void onLinkState(const PeerId&, LinkState) {}
  // What carries messages to a member changed (its round-trip time starts over with it).
  virtual void onTransport(const PeerId&, Transport) {}
  // A new round-trip time measurement (smoothed, ms) to a member over the current transport.
  virtual void onLinkRtt(const PeerId&, double /*rttMs*/) {}
  virtual void onMessage(const PeerId& /*from*/, const nlohmann::json& /*data*/, const MessageMeta&) {}
  // `to` has received message `id` (its ack arrived).
  virtual void onDelivered(const PeerId& /*to*/, std::uint64_t /*id*/) {}
  virtual void onError(const Error&) {}
  // Connection events, for the `debug` option.
  virtual void onLog(std::string_view) {}
};

struct ClientConfig {
  double linkOpenTimeoutMs = limits::kDefaultLinkOpenTimeoutMs;
  double linkPingIntervalMs = limits::kDefaultLinkPingIntervalMs;
  double linkSilenceTimeoutMs = limits::kDefaultLinkSilenceTimeoutMs;
  double linkRetryInitialMs = limits::kDefaultLinkRetryInitialMs;
  double linkRetryMaxMs = limits::kDefaultLinkRetryMaxMs;
  double relayFlushMs = limits::kDefaultRelayFlushMs;
  double relayResendMs = limits::kDefaultRelayResendMs;
  std::size_t maxUnackedPerPeer = limits::kMaxUnackedPerPeer;
  double reconnectInitialMs = limits::kDefaultReconnectInitialMs;
  double reconnectMaxMs = limits::kDefaultReconnectMaxMs;
  int reconnectAttempts = limits::kDefaultReconnectAttempts;
  double memberGraceMs = limits::kDefaultMemberGraceMs;
  // The peer id to ask the server for ("" : let it pick one), and the resume token it had (a
  // reloaded page resuming its place: "" for none).
  PeerId peerId;
  std::string resumeToken;
};

// How long the n-th reconnect attempt (n >= 1) waits: min(max, initial * 2^(n-1)) scaled by
// 0.5 + random/2, with `random` uniform in [0, 1).
double reconnectDelayMs(const ClientConfig& config, int attempt, double random);

// A member as the session sees it.
struct PeerView {
  PeerInfo info;
  LinkState link = LinkState::Connecting;  // meaningless for yourself
  // The server says its connection dropped, or it was missing from the room after our reconnect;
  // kept (with its link and queues) until it is back or its grace period ends.
  bool away = false;
  // Smoothed round-trip time over the current transport, ms; negative until the first measurement.
  double rttMs = -1;
  Transport transport = Transport::None;  // meaningless for yourself
};

// Folds one round-trip sample into a smoothed estimate (RFC 6298's SRTT: 7/8 old + 1/8 new; the
// first sample is taken as is). `smoothed` < 0 means no estimate yet.
double smoothRtt(double smoothed, double sample);

class ClientSession {
 public:
  ClientSession(ClientConfig config, ClientPort& port, ClientObserver& observer);
  ~ClientSession();
  ClientSession(const ClientSession&) = delete;
  ClientSession& operator=(const ClientSession&) = delete;

  // ---- app -----------------------------------------------------------------------------------
  // Ask for a new room / to join one. Connects first when needed. The outcome arrives as
  // onRoomJoined or onError. Fails at once (AlreadyInRoom) while joining or in a room. `code` is a
  // room code or name; with `create` a missing room is created (maxMembers 0: server default).
  // relayOnly: a room created by this call has no direct links (see Create::relayOnly).
  Status createRoom(const std::string& name, int maxMembers, bool relayOnly = false);
  Status joinRoom(const std::string& code, const std::string& name, bool create = false, int maxMembers = 0,
                  bool relayOnly = false);
  // Leaves the room and closes the connection to the server and every link.
  void leave();
  // Sends JSON text `data` reliably to every other member / to one member. Returns the message id
  // used in onDelivered. Works while reconnecting (queued per member). Errors: NotInRoom,
  // DataInvalid (not JSON or too large), PeerNotInRoom, SendQueueFull (nothing was sent to anyone).
  // Unreliable sends never fail with SendQueueFull.
  Result<std::uint64_t> send(std::string_view data, Delivery delivery = Delivery::Reliable);
  Result<std::uint64_t> sendTo(const PeerId& peer, std::string_view data, Delivery delivery = Delivery::Reliable);

  // ---- platform --------------------------------------------------------------------------------
  void onSignalingOpen();
  void onSignalingFrame(std::string_view text);
  // The server sent a binary frame; the protocol is text only.
  void onSignalingBinary();
  void onSignalingClosed(const std::string& reason);
  void onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp);
  void onLocalCandidate(const PeerId& peer, const IceCandidate& candidate);
  void onLinkOpen(const PeerId& peer);
  void onLinkFrame(const PeerId& peer, std::string_view text);
  void onLinkFailed(const PeerId& peer, const std::string& reason);
  void onLinkClosed(const PeerId& peer);
  void onTimer(TimerId id);

  // ---- queries ---------------------------------------------------------------------------------
  SessionStatus status() const { return status_; }
  const PeerId& selfId() const { return selfId_; }
  // The token that resumes selfId() on a later connection (a reloaded page keeps it).
  const std::string& resumeToken() const { return resumeToken_; }
  const std::string& roomCode() const { return roomCode_; }
  const PeerId& host() const { return host_; }
  bool roomIsRelayOnly() const { return roomRelayOnly_; }
  // Every member including yourself, in join order.
  std::vector<PeerView> peers() const;

 private:
  struct Link;
  struct PendingRequest;
  // What a timer is for.
  struct TimerTarget {
    enum class Kind { LinkOpen, LinkPing, LinkRetry, MemberGrace, RelayResend, RelayFlush, Reconnect } kind;
    PeerId peer;  // all but RelayFlush and Reconnect
  };

  void setStatus(SessionStatus status);
  bool acceptsRoomFrames() const;
  void handle(const ServerMessage& message);
  void onWelcome(const Welcome& welcome);
  void onErrorFrame(const ErrorFrame& error);
  void onRoomJoinedFrame(const RoomJoined& joined);
  // Takes the room's code, size, our join order and its member list into members_ (which the
  // caller has emptied): known members are refreshed, the others get links. Returns those.
  std::vector<PeerInfo> takeMemberList(const RoomJoined& joined);
  // room_joined after a reconnect: keep every link, queue and stream; add newcomers; members
  // missing from the list get memberGraceMs to come back.
  void reconcileRoom(const RoomJoined& joined);
  void onPeerJoinedFrame(const PeerInfo& info);
  // A known member (re)appeared in the room: refresh its info, end its grace, and make a fresh
  // link if the old one is not open.
  void refreshMember(const PeerInfo& info);
  void setAway(const PeerId& id, bool away);
  void onPeerBackFrame(const PeerBack& back);
  void addMember(const PeerInfo& info);
  PeerInfo* findMember(const PeerId& id);
  // Whether we make the offer on a link to `other`.
  bool offersTo(const PeerInfo& other) const;
  void removeMember(const PeerId& id, LeaveReason reason);
  void onSignalFrame(const SignalIn& signal);
  void onTimerTarget(const TimerTarget& target);

  // ---- transports (client_transport.cpp) ----
  enum class Via { Direct, Relay };
  Link* findLink(const PeerId& peer);
  Transport transportOf(const Link& link) const;
  // The server would pass a relay frame to this member now.
  bool relayReaches(const Link& link) const;
  // One frame from a member, over either path; replies go back the way it came.
  void onPeerFrame(const PeerId& peer, Link& link, PeerMessage message, Via via);
  void onRelayFrame(const RelayIn& relay);
  void handleAppMessage(const PeerId& from, Link& link, AppMessage message, Via via);
  void sendVia(const PeerId& peer, Link& link, const PeerMessage& message, Via via);
  // Hands every message not yet sent to the current transport.
  void flush(const PeerId& peer, Link& link);
  void setLinkState(const PeerId& peer, Link& link, LinkState state);
  // Tells the observer when the transport changed, and restarts pinging over the new one.
  void updateTransport(const PeerId& peer, Link& link);
  void failLink(const PeerId& peer, Link& link, const std::string& reason);
  // The direct link is not usable: send through the server from now on.
  void useRelay(const PeerId& peer, Link& link, const std::string& why);
  // Announce the stream and send every unacknowledged message again on the relay (after our own
  // or the member's reconnect, or when acks stall); the receiver drops what it already has.
  void restartRelayStream(Link& link);
  // The offering side tries a new direct link later, with backoff.
  void scheduleLinkRetry(const PeerId& peer, Link& link);
  // Closes the peer connection and opens a new one; the message streams carry on over it.
  void reopenLink(const PeerId& peer, Link& link, bool offerer);
  void startOpenTimer(const PeerId& peer, Link& link);
  // Pings over the current transport and schedules the next; fails a silent direct link.
  void pingLink(const PeerId& peer, Link& link);
  void onLinkTimer(const TimerTarget& target, Link& link);
  // Sends what is queued for the relay now, or when the pacing allows.
  void kickRelay();
  void flushRelay();
  TimerId startTimer(double delayMs, TimerTarget target);
  void cancelTimer(TimerId& id);
  void startReconnect();
  void giveUp(ErrorCode code, std::string message);
  void teardownRoom();
  void clearLinkTimers(Link& link);
  Result<std::uint64_t> sendToMany(const std::vector<PeerId>& targets, std::string_view data, bool broadcast,
                                   Delivery delivery);
  void sendUnreliable(const PeerId& peer, Link& link, UnreliableMessage message);
  void onUnreliable(const PeerId& from, Link& link, UnreliableMessage message);
  Status request(std::unique_ptr<PendingRequest> request);
  void log(const std::string& line);
  void report(ErrorCode code, std::string message);

  ClientConfig config_;
  ClientPort& port_;
  ClientObserver& observer_;
  SessionStatus status_ = SessionStatus::Idle;
  std::unique_ptr<PendingRequest> pending_;
  PeerId selfId_;
  std::string resumeToken_;
  bool welcomed_ = false;  // on the current connection
  std::uint64_t selfJoinOrder_ = 0;
  nlohmann::json iceServers_ = nlohmann::json::array();
  std::string roomCode_;
  std::string selfName_;
  int roomMaxMembers_ = 0;
  bool roomRelayOnly_ = false;
  PeerId host_;
  std::vector<PeerInfo> members_;  // join order, including yourself
  std::map<PeerId, std::unique_ptr<Link>> links_;
  std::map<TimerId, TimerTarget> timers_;
  TimerId reconnectTimer_ = 0;
  int reconnectAttempt_ = 0;
  std::uint64_t nextMessageId_ = 1;
  bool relayPending_ = false;  // something waits for the next relay frame
  TimerId relayTimer_ = 0;
  double lastRelayFlushMs_ = -1e300;
  std::uint64_t relaySeq_ = 0;
  std::size_t relayRotation_ = 0;  // which member goes first in the next relay frame
};

}  // namespace huddle
