// What a Client tells the app: where it stands with the server, who is in the room, how each
// member is reached, and the messages that arrive. The Wasm build turns each event into one
// entry of the WasmEvent union (cpp/wasm/huddle_client.d.ts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>


#include "huddle/error.hpp"
#include "huddle/message.hpp"

namespace huddle {

// Where the client stands with the server.
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

// State of the link (the WebRTC connection) to one member. Closed also stands for "no link by
// design" in a relay-only room.
enum class LinkState { Connecting, Connected, Failed, Closed };

// (Transport, what carries messages to one member now, is in message.hpp: the stats frame names it.)

// Every value of each, for huddle-codegen (keep in step with the enums just above).
inline constexpr SessionStatus kSessionStatuses[] = {
    SessionStatus::Idle,   SessionStatus::Connecting, SessionStatus::Online,      SessionStatus::Joining,
    SessionStatus::InRoom, SessionStatus::Offline,    SessionStatus::Reconnecting};
inline constexpr LinkState kLinkStates[] = {LinkState::Connecting, LinkState::Connected, LinkState::Failed,
                                            LinkState::Closed};

// Wire names ("in_room", "connecting", "relay"), as the TypeScript side spells them.
std::string_view sessionStatusName(SessionStatus status);
std::string_view linkStateName(LinkState state);

// A member as this client sees it (Client::peers()).
struct Peer {
  PeerInfo info;
  LinkState link = LinkState::Connecting;  // meaningless for yourself
  // The server says its connection dropped, or it was missing from the room after our reconnect;
  // kept (with its link and queues) until it is back or its grace period ends.
  bool away = false;
  // Smoothed round-trip time over the current transport, ms; negative until the first measurement.
  double rttMs = -1;
  Transport transport = Transport::None;  // meaningless for yourself
};

// What waits for acknowledgement on a member's reliable stream (Client::queued).
struct Queued {
  std::size_t messages = 0;
  std::size_t bytes = 0;
};

// Extra facts about a received app message.
struct MessageMeta {
  std::uint64_t id = 0;   // the sender's message number
  double ts = 0;          // sender's wall clock, ms
  bool broadcast = true;  // false when sent with sendTo
  bool reliable = true;   // false: sent unreliably (may have been lost, never duplicated or older)
};

// Default implementations ignore the event. Events are reported synchronously, from inside the
// Client call that caused them.
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
  // `data` is JSON text, as its sender wrote it (the same value it sent; checked on arrival).
  virtual void onMessage(const PeerId& /*from*/, std::string_view /*data*/, const MessageMeta&) {}
  // `to` has received message `id` (its ack arrived).
  virtual void onDelivered(const PeerId& /*to*/, std::uint64_t /*id*/) {}
  // A member asks (Client::request on its side): answer with Client::respond(id, ...) or
  // Client::refuse(id, ...), now or later. `id` is this client's own number for the request.
  // Unanswered, the member's request times out.
  virtual void onRequest(const PeerId& /*from*/, std::uint64_t /*id*/, std::string_view /*data*/) {}
  // The answer (JSON text) to our request `id`.
  virtual void onResponse(std::uint64_t /*id*/, std::string_view /*data*/) {}
  // Our request `id` failed (see Client::request for the codes); no answer will follow.
  virtual void onRequestFailed(std::uint64_t /*id*/, const Error&) {}
  // A room state frame from a member (Client::sendState on its side), for the member's RoomState
  // (huddle/room_state.hpp): delivered exactly once and in order, never as a message.
  virtual void onStateFrame(const PeerId& /*from*/, std::string_view /*frame*/) {}
  // A game sync frame from `from` (Client::sendGame): unvalidated but for its type, for the
  // page's GameSync, which checks every field.
  virtual void onGameFrame(const PeerId& /*from*/, std::string_view /*frame*/) {}
  virtual void onError(const Error&) {}
  // Connection events, for the `debug` option.
  virtual void onLog(std::string_view) {}
};

}  // namespace huddle
