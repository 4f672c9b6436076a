// A huddle client: one member's side of a room. It keeps the session with the server (connect,
// reconnect, resume), the roster, and a path to every other member — a direct link where one can
// be made, else the server relay — over which its messages travel exactly once and in order.
// It performs no I/O: a platform implements ClientPort and feeds events back in through the
// platform methods; the app hears everything through a ClientObserver. One thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "huddle/client_config.hpp"
#include "huddle/client_observer.hpp"
#include "huddle/client_port.hpp"
#include "huddle/error.hpp"
#include "huddle/limits.hpp"
#include "huddle/message.hpp"

namespace huddle {

namespace client {
class Session;
}

// How a send travels. Reliable: exactly once, in order per sender, queued and resent as needed.
// Unreliable: at most once, never older than one already delivered from that sender, nothing
// queued or resent (60 Hz game state and inputs, cursors); messages to a member without any path
// yet are dropped.
enum class Delivery { Reliable, Unreliable };

class Client {
 public:
  Client(ClientConfig config, ClientPort& port, ClientObserver& observer);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // ---- app -----------------------------------------------------------------------------------
  // Ask for a new room / to join one. Connects first when needed. The outcome arrives as
  // onRoomJoined or onError. Fails at once (AlreadyInRoom) while joining or in a room. `code` is a
  // room code or name; with `create` a missing room is created (maxMembers 0: server default).
  // relayOnly: a room created by this call has no direct links (see Create::relayOnly).
  // password: what a room created by this call needs to be joined, and what a join brings to a
  // room that has one ("" : none; wrong_password when it does not match).
  Status createRoom(const std::string& name, int maxMembers, bool relayOnly = false, const std::string& password = "");
  Status joinRoom(const std::string& code, const std::string& name, bool create = false, int maxMembers = 0,
                  bool relayOnly = false, const std::string& password = "");
  // Leaves the room and closes the connection to the server and every link.
  void leave();
  // Sends JSON text `data` to every other member / to one member. Returns the message id used in
  // onDelivered. Works while reconnecting (queued per member). Errors: NotInRoom, DataInvalid (not
  // JSON or too large), PeerNotInRoom, SendQueueFull (nothing was sent to anyone). Unreliable
  // sends never fail with SendQueueFull.
  Result<std::uint64_t> send(std::string_view data, Delivery delivery = Delivery::Reliable);
  Result<std::uint64_t> sendTo(const PeerId& peer, std::string_view data, Delivery delivery = Delivery::Reliable);
  // Asks `peer` with JSON text `data`; returns the request's id. Exactly one of onResponse(id) or
  // onRequestFailed(id) follows: request_timeout after `timeoutMs` (at most
  // limits::kMaxRequestTimeoutMs), peer_not_in_room when it leaves first, not_in_room when we do,
  // request_failed / no_handler / too_many_requests when it refuses. Errors at once: those of
  // sendTo, DataInvalid for a timeout out of range, TooManyRequests at kMaxPendingRequests.
  Result<std::uint64_t> request(const PeerId& peer, std::string_view data,
                                double timeoutMs = limits::kDefaultRequestTimeoutMs);
  // Answers request `id` (from onRequest) with JSON text `data`, once. Answer data that is not
  // valid is refused to the asker as request_failed, and returned as DataInvalid.
  // PeerNotInRoom: no such request awaits an answer (answered, or its member left).
  Status respond(std::uint64_t id, std::string_view data);
  // Refuses request `id`: `code` is RequestFailed (the handler threw: `message` says why, cut to
  // kMaxRequestErrorBytes) or NoHandler.
  Status refuse(std::uint64_t id, ErrorCode code, std::string_view message);
  // Sends a room state frame (huddle/state_frames.hpp, from a RoomState's StatePort) to `peer`
  // as a reliable message of kind "state": it arrives as onStateFrame, exactly once, and is never
  // the app's message or receipt. The room state itself lives beside the client (in the browser,
  // a Wasm module of its own, loaded when first used: docs/decisions.md). Errors: those of sendTo.
  Status sendState(const PeerId& peer, std::string_view frame);
  // Sends a game sync frame (huddle/game_frames.hpp, from a GameSync's GamePort) to `peer`,
  // unreliably and bare: over its link's unreliable channel, or the relay, at most once, maybe out
  // of order (game sync copes: docs/protocol.md "Game sync"); dropped while it has no path. It
  // arrives as onGameFrame. Errors: NotInRoom, PeerNotInRoom, DataInvalid (not a gi or gs frame).
  Status sendGame(const PeerId& peer, std::string_view frame);

  // ---- platform --------------------------------------------------------------------------------
  void onSignalingOpen();
  void onSignalingFrame(std::string_view text);
  void onSignalingBinary();  // the protocol is text only
  void onSignalingClosed(const std::string& reason);
  void onLocalDescription(const PeerId& peer, SignalKind kind, const std::string& sdp);
  void onLocalCandidate(const PeerId& peer, const IceCandidate& candidate);
  void onLinkOpen(const PeerId& peer);
  void onLinkFrame(const PeerId& peer, std::string_view text);
  void onLinkFailed(const PeerId& peer, const std::string& reason);
  void onLinkClosed(const PeerId& peer);
  void onTimer(TimerId id);

  // ---- queries ---------------------------------------------------------------------------------
  SessionStatus status() const;
  const PeerId& selfId() const;
  // The token that resumes selfId() on a later connection (a reloaded page keeps it).
  const std::string& resumeToken() const;
  const std::string& roomCode() const;
  const PeerId& host() const;
  bool roomIsRelayOnly() const;
  // Every member including yourself, in join order.
  std::vector<Peer> peers() const;
  // Reliable messages to `peer` not yet acknowledged, and the bytes of their data; with `peer`
  // empty, the most queued to any member (what a broadcast waits behind). Zero for a non-member.
  // An app streaming data waits while they are high (docs/protocol.md "Backpressure").
  Queued queued(const PeerId& peer) const;

 private:
  std::unique_ptr<client::Session> session_;
};

}  // namespace huddle
