// Frames exchanged between two members, directly over a WebRTC data channel or through the server
// relay. JSON text, {"t": TYPE, ...}; see docs/protocol.md "Peer frames". Written and read as text,
// never as a tree: app data is JSON text checked once where it enters (send, or the decoder) and
// spliced into frames as is, so a message is serialized once however far it goes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/limits.hpp"

namespace huddle {

// What a reliable message is for (its "k" field; docs/protocol.md "Requests", "Room state": a
// State message's data is a room state frame, huddle/state_frames.hpp). App messages carry
// no "k", so their frames are what they were before requests existed. A "k" this build does not
// know reads as Unknown: the stream still counts and acknowledges it (exactly once holds), and the
// receiver drops it with an error instead of handing it to the app as a message.
enum class MessageKind { App, Request, Response, State, Unknown };

// One reliable app message. `seq` numbers the sender->receiver stream (1, 2, 3, ... per pair) and
// drives ordering, de-duplication and acks; `id` is the sender's own message number, shared by all
// copies of one send(), so receipts can be shown per message.
struct AppMessage {
  std::uint64_t seq = 0;
  std::uint64_t id = 0;
  double ts = 0;           // sender's wall clock, ms since the Unix epoch
  bool broadcast = true;   // false for sendTo
  std::string data;        // JSON text
  MessageKind kind = MessageKind::App;
  // Response only: the request's id (its message `id`), and, for a refusal, the error code's wire
  // name ("request_failed", "no_handler", "too_many_requests"), with `data` the message as a
  // JSON string. Empty `refusal`: `data` is the answer.
  std::uint64_t re = 0;
  std::string refusal;
};

// An unreliable app message: sent once, never acknowledged or resent. `n` numbers the sender's
// unreliable messages to this receiver within stream `epoch` (the sender's stream epoch); the
// receiver drops one older than the newest it delivered, so newer replaces older.
struct UnreliableMessage {
  std::uint64_t epoch = 0;
  std::uint64_t n = 0;
  std::uint64_t id = 0;
  double ts = 0;
  bool broadcast = true;
  std::string data;  // JSON text
};

// A game sync frame (huddle/game_frames.hpp: "gi" or "gs"), unreliable, as written: game sync
// numbers its own ticks and takes loss and reordering, so it goes bare, without umsg's numbering
// (an input is a few bytes; umsg's envelope would be most of the frame). Its fields are checked
// where game sync reads it (GameSync::receive), not here.
struct GameMessage {
  std::string frame;
};

// Cumulative: every message with seq <= this has been delivered to the app.
struct Ack { std::uint64_t seq = 0; };

// The first frame on every newly opened transport: "my stream to you is `epoch`, and its first
// message you may not have had is `seq`". A receiver that knows another epoch (the sender's page
// was reloaded, or it had forgotten us) starts over at `seq`; see ReliableReceiver::sync.
// `batches`: the sender reads a link message that is an array of frames (a batch); versions
// before batching leave it out and read one frame per message.
struct StreamSync {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 1;
  bool batches = true;
};

// Round-trip probes; the pong echoes the ping's ts.
struct LinkPing { double ts = 0; };
struct LinkPong { double ts = 0; };

using PeerMessage = std::variant<AppMessage, Ack, LinkPing, LinkPong, StreamSync, UnreliableMessage, GameMessage>;

inline constexpr std::size_t kMaxFramesPerBatch = limits::kMaxUnackedPerPeer + 8;

Result<PeerMessage> decodePeerMessage(std::string_view text);
// A batch: a JSON array of 1 to kMaxFramesPerBatch frames (what a relay part carries).
Result<std::vector<PeerMessage>> decodeBatch(std::string_view text);
// One message on a link: a frame, or a batch.
Result<std::vector<PeerMessage>> decodeLinkMessage(std::string_view text);
std::string encode(const PeerMessage& message);

}  // namespace huddle
