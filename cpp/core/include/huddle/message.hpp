// The signaling protocol between a client and huddle-server, as plain structs. One struct per
// frame type; the wire form (JSON text, {"t": TYPE, ...}) is in codec.hpp and docs/protocol.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "huddle/error.hpp"
#include "huddle/limits.hpp"

namespace huddle {

using PeerId = std::string;

// What a signal frame carries between two members: the WebRTC offer/answer SDP or one ICE
// candidate. The server checks the shape and size, and forwards it without reading it further.
enum class SignalKind { Offer, Answer, IceCandidate };

struct SignalPayload {
  SignalKind kind = SignalKind::Offer;
  std::string sdp;            // Offer, Answer
  std::string candidate;      // IceCandidate ("" means end of candidates)
  std::string sdpMid;         // IceCandidate, optional
  int sdpMLineIndex = -1;     // IceCandidate, -1 when absent
};

// A member as everybody sees it. joinOrder increases with every join in a room and is never
// reused, so the lowest present joinOrder is the host (DESIGN.md "Rooms, codes, host").
struct PeerInfo {
  PeerId id;
  std::string name;
  std::uint64_t joinOrder = 0;
};

// Why a member left, as reported in peer_left.
enum class LeaveReason { Left, Disconnected, TimedOut };
inline constexpr LeaveReason kLeaveReasons[] = {LeaveReason::Left, LeaveReason::Disconnected, LeaveReason::TimedOut};

// What carries messages to one member now: its link, the server relay (no link could be made, it
// failed, or the room is relay-only), or nothing yet (the link is still being made; messages wait,
// at most linkOpenTimeoutMs).
enum class Transport { None, Direct, Relay };
inline constexpr Transport kTransports[] = {Transport::None, Transport::Direct, Transport::Relay};
inline constexpr std::size_t kTransportCount = std::size(kTransports);
// Wire name: "none", "direct", "relay".
std::string_view transportName(Transport transport);

// ---- client -> server -------------------------------------------------------------------------

// `id`/`token` are optional: a client asks for a peer id (an embedding site's user id) or resumes
// the one it had, proving ownership with the token the server gave it.
struct Hello {
  int version = 0;
  PeerId id;          // "" : the server picks one
  std::string token;  // "" : none
  // This client has no state for `id` (a reloaded page): when it resumes, the others must remake
  // their links to it. false: it kept its links and queues (a reconnect).
  bool fresh = false;
  // A signed join token (docs/tokens.md): the id it names becomes this connection's, taking the
  // place over from whoever holds it. "" : none. (Not `token`: that is the resume token.)
  std::string joinToken;
};
// relayOnly: the room's members never open direct links; every message goes through the server
// (for networks where WebRTC is blocked). Fixed when the room is created.
// password: the room needs it to join (docs/protocol.md "Room passwords"); "" : none. The app's
// "only people with the link" rooms use a generated one, carried in the share link's fragment.
struct Create {
  std::string name;
  int maxMembers = 0;  // 0: server default
  bool relayOnly = false;
  std::string password;
};
// `code` is a room code or a room name. With `create`, a missing room is created under that code
// or name (maxMembers as in Create): how named rooms and rooms lost in a server restart come back.
struct Join {
  std::string code;
  std::string name;
  bool create = false;
  int maxMembers = 0;
  bool relayOnly = false;  // for the room this join creates
  // A member coming back after a server restart: the join order it had in the room (0: none).
  // A room recreated by such a join takes its members back in their old order for a grace period,
  // so the host stays who it was instead of whoever reconnects first.
  std::uint64_t rank = 0;
  // A signed join token for this room (docs/tokens.md); "" : the one hello carried, if any.
  std::string joinToken;
  // The room's password (Create::password): needed to enter a room created with one, and the
  // password of the room this join creates. "" : none.
  std::string password;
};
struct Leave {};
struct SignalOut { PeerId to; SignalPayload data; };
// One recipient's share of a multi-part relay frame. Relay data is JSON text, forwarded as written.
struct RelayPart { PeerId to; std::string data; };
// Data through the server, for members without a direct link: `data` to one member (`to`) or to
// everyone (`to` empty); or, with `parts`, each part's data to its member, all in one frame (what
// the client's relay fallback sends, so that its rate does not grow with the room; `to` and `data`
// are then unused). `seq` numbers the sender's relay frames; the server passes it on.
struct RelayOut {
  PeerId to;
  std::uint64_t seq = 0;
  std::string data;  // JSON text
  std::vector<RelayPart> parts;
};
struct Ping { std::uint64_t id = 0; };
// How one of a member's paths settled (Stats): what carries it, how long after the member asked
// to join that was (ms, -1 when it never settled: transport None), and its round-trip time then
// (ms, -1 when not measured yet).
struct LinkStats {
  Transport transport = Transport::None;
  double settleMs = -1;
  double rttMs = -1;
};
// What a member reports once per room it enters, after its paths to the members it found there
// settled (docs/protocol.md "Client stats"): the figures an operator cannot see from the server,
// since direct links never pass through it. No peer ids: nothing in it says who.
struct Stats {
  std::vector<LinkStats> links;
};

using ClientMessage = std::variant<Hello, Create, Join, Leave, SignalOut, RelayOut, Ping, Stats>;

// ---- server -> client -------------------------------------------------------------------------

// The server's limits on what one connection sends (token buckets: a rate and a burst), from
// welcome; a client paces its relay under them.
struct RateLimits {
  double framesPerSecond = limits::kDefaultFramesPerSecond;
  double frameBurst = limits::kDefaultFramesPerSecond * limits::kFrameBurstSeconds;
  double bytesPerSecond = limits::kDefaultBytesPerSecond;
  double byteBurst = limits::kDefaultBytesPerSecond * limits::kByteBurstSeconds;
  // The relay bytes the server sends for this connection's address, per second and at once,
  // counting every recipient (docs/protocol.md "Limits per address"); the client paces its relay
  // under them. A server that predates them announces none: the defaults.
  double relayBytesPerSecond = limits::kDefaultRelayBytesPerSecond;
  double relayByteBurst = limits::kDefaultRelayBytesPerSecond * limits::kRelayByteBurstSeconds;
  bool operator==(const RateLimits&) const = default;
};

struct Welcome {
  int version = 0;
  PeerId id;
  std::string iceServers = "[]";  // RTCIceServer[] as the browser takes it: JSON text
  std::size_t maxFrameBytes = 0;
  std::string token;     // resume token: present it with this id in a later hello
  bool resumed = false;  // took over a live connection holding this id (its room membership kept)
  RateLimits rate;       // absent from a server that predates it: the defaults
  // The server closes a room none of whose members was active this long (HubConfig::roomIdleMs);
  // 0 (absent): never. A client whose app sends says so with a ping well within it.
  std::uint64_t roomIdleMs = 0;
};
struct RoomJoined {
  std::string code;
  PeerId you;
  PeerId host;
  int maxMembers = 0;
  std::vector<PeerInfo> peers;  // every member including you, in join order
  bool relayOnly = false;       // see Create
  bool password = false;        // the room needs a password to join (never the password itself)
};
struct PeerJoined { PeerInfo peer; };
struct PeerLeft { PeerId id; LeaveReason reason = LeaveReason::Left; };
// A member's connection dropped; it keeps its place (and the host role) for the server's grace
// period, and either comes back (peer_back) or leaves (peer_left).
struct PeerAway { PeerId id; };
struct PeerBack {
  PeerId id;
  bool fresh = false;  // it came back without its links (a reloaded page): remake yours
};
struct HostChanged { PeerId host; };
struct SignalIn { PeerId from; SignalPayload data; };
struct RelayIn { PeerId from; std::uint64_t seq = 0; bool broadcast = true; std::string data; };  // data: JSON text
struct ErrorFrame {
  ErrorCode code = ErrorCode::Internal;
  std::string message;
  std::string ref;  // the "t" of the frame that caused it, when known
  // rate_limited by a limit per address: ms until the same frame would be accepted (0: not said).
  std::uint64_t retryMs = 0;
};
struct Pong { std::uint64_t id = 0; };

using ServerMessage = std::variant<Welcome, RoomJoined, PeerJoined, PeerLeft, HostChanged,
                                   SignalIn, RelayIn, ErrorFrame, Pong, PeerAway, PeerBack>;

std::string_view signalKindName(SignalKind kind);
std::string_view leaveReasonName(LeaveReason reason);

}  // namespace huddle
