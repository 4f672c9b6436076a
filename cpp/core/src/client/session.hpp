// The session with the server: connect and say hello, be welcomed (a peer id and resume token),
// create or join a room, and when the connection drops while in a room, reconnect with backoff
// and take the same place back. It owns the client's parts and dispatches to them: room frames to
// Membership, signals to Negotiation, relay frames and link frames to Streams; after every entry
// point the RelayBatcher sends what the call left owed. Client forwards to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/context.hpp"
#include "client/link_report.hpp"
#include "client/membership.hpp"
#include "client/negotiation.hpp"
#include "client/relay_batcher.hpp"
#include "client/requests.hpp"
#include "client/streams.hpp"
#include "huddle/client.hpp"

namespace huddle::client {

class Session {
 public:
  Session(ClientConfig config, ClientPort& port, ClientObserver& observer);

  Status createRoom(const std::string& name, int maxMembers, bool relayOnly, const std::string& password);
  Status joinRoom(const std::string& code, const std::string& name, bool create, int maxMembers, bool relayOnly,
                  const std::string& password);
  void leave();
  Result<std::uint64_t> send(std::string_view data, Delivery delivery);
  Result<std::uint64_t> sendTo(const PeerId& peer, std::string_view data, Delivery delivery);
  Result<std::uint64_t> request(const PeerId& peer, std::string_view data, double timeoutMs);
  Status respond(std::uint64_t id, std::string_view data);
  Status refuse(std::uint64_t id, ErrorCode code, std::string_view message);
  Status sendState(const PeerId& peer, std::string_view frame);
  Status sendGame(const PeerId& peer, std::string_view frame);

  void onSignalingOpen();
  void onSignalingFrame(std::string_view text);
  void onSignalingBinary();
  void onSignalingClosed(const std::string& reason);
  void onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp);
  void onLocalCandidate(const PeerId& peer, const IceCandidate& candidate);
  void onLinkOpen(const PeerId& peer);
  void onLinkFrame(const PeerId& peer, std::string_view text);
  void onLinkFailed(const PeerId& peer, const std::string& reason);
  void onLinkClosed(const PeerId& peer);
  void onTimer(TimerId id);

  SessionStatus status() const { return ctx_.status; }
  const PeerId& selfId() const { return ctx_.roster.self; }
  const std::string& resumeToken() const { return resumeToken_; }
  const std::string& roomCode() const { return ctx_.roster.code; }
  const PeerId& host() const { return ctx_.roster.host; }
  bool roomIsRelayOnly() const { return ctx_.roster.relayOnly; }
  std::vector<Peer> peers() const { return membership_.peers(); }
  Queued queued(const PeerId& peer) const;

 private:
  // Asks the server for a room (a create or join), connecting first when needed.
  Status ask(ClientMessage frame, bool relayOnly);
  void sendRequest();  // pending_, to the server
  void setStatus(SessionStatus status);
  // Room frames count once we are in the room, or back in it: resuming a live connection puts us
  // back at welcome, before room_joined.
  bool acceptsRoomFrames() const;
  void handle(const ServerMessage& message);
  void onWelcome(const Welcome& welcome);
  void onErrorFrame(const ErrorFrame& error);
  void onRoomJoined(const RoomJoined& joined);
  void onRoomRejoined(const RoomJoined& joined);
  void startReconnect();
  void giveUp(ErrorCode code, std::string message);
  void teardownRoom();
  // In a room on a server whose rooms expire when idle: says so with a ping every quarter of the
  // idle timeout in which the app sent anything (the direct links carry it past the server).
  void reportActivity();

  Context ctx_;
  RelayBatcher relay_;
  Streams streams_;
  Negotiation negotiation_;
  Membership membership_;
  Requests requests_;
  LinkReport report_;
  std::optional<ClientMessage> pending_;  // the create or join, until room_joined or its refusal
  // pending_ went out on this connection (right behind the hello: see onSignalingOpen), so the
  // server may have us in a room before it answers.
  bool requestSent_ = false;
  bool pendingWantsLinks_ = false;  // pending_ is not for a relay-only room
  std::string resumeToken_;
  bool welcomed_ = false;  // on the current connection
  TimerId reconnectTimer_ = 0;
  int reconnectAttempt_ = 0;
  std::uint64_t roomIdleMs_ = 0;  // welcome.roomIdleMs: 0, rooms never expire
  TimerId activityTimer_ = 0;
  bool active_ = false;  // the app sent something since the last activity report
};

}  // namespace huddle::client
