// Every bound huddle enforces, named once. Servers and clients read these defaults; the server
// can lower or raise the configurable ones (see ServerConfig / HubConfig), never past the caps.
#pragma once

#include <cstddef>
#include <cstdint>

namespace huddle::limits {

// Protocol version spoken by this build; sent in hello and welcome.
inline constexpr int kProtocolVersion = 1;

// Largest signaling or peer frame accepted, in bytes of UTF-8 text. Checked before parsing.
inline constexpr std::size_t kMaxFrameBytes = 64 * 1024;

// Largest app payload (the JSON text of one send) so that the envelope still fits a frame.
inline constexpr std::size_t kMaxAppDataBytes = kMaxFrameBytes - 1024;

// Nesting depth of app data (arrays/objects). Frames may nest 64 levels (detail::kMaxJsonDepth);
// app data travels inside up to five levels of envelope (a relay frame's parts), so it gets fewer.
inline constexpr int kMaxAppDataDepth = 32;

// Display names: 1..kMaxNameChars Unicode code points after trimming, no control characters.
inline constexpr std::size_t kMaxNameChars = 32;

// Room size: default members per room, and the hard cap no configuration may exceed.
inline constexpr int kDefaultRoomSize = 6;
inline constexpr int kMinRoomSize = 2;
inline constexpr int kMaxRoomSizeCap = 8;

// Room codes: 6 characters of this alphabet (no I, O, 0, 1 so they read aloud unambiguously).
inline constexpr std::size_t kRoomCodeLength = 6;
inline constexpr char kRoomCodeAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

// SDP and ICE candidate strings carried in signal frames.
inline constexpr std::size_t kMaxSdpBytes = 32 * 1024;
inline constexpr std::size_t kMaxCandidateBytes = 1024;

// Peer ids: server-assigned ones are this many characters of the room-code alphabet. A client
// may ask for its own (an embedding site's user id): 1..kMaxPeerIdChars of [A-Za-z0-9_-].
inline constexpr std::size_t kPeerIdLength = 10;
inline constexpr std::size_t kMaxPeerIdChars = 64;

// Room names: besides 6-character codes, a room may be named by the embedding site
// (<p2p-frame session-id>): 1..kMaxRoomNameChars of [A-Za-z0-9_.-], case-sensitive.
inline constexpr std::size_t kMaxRoomNameChars = 64;

// Resume tokens prove a reconnecting client owns its peer id: the server issues
// kResumeTokenLength characters of [A-Za-z0-9_-]; it accepts presented ones of
// kMinResumeTokenChars..kMaxResumeTokenChars of that set.
inline constexpr std::size_t kResumeTokenLength = 22;
inline constexpr std::size_t kMinResumeTokenChars = 16;
inline constexpr std::size_t kMaxResumeTokenChars = 64;

// Client: unacknowledged reliable messages kept per peer (for acks and, later, retransmission).
inline constexpr std::size_t kMaxUnackedPerPeer = 1024;
// Client: what Room.ready() waits below, per member (reliable messages not yet acknowledged, and
// the bytes of their data): a quarter of the queue, so a stream that awaits it never meets
// send_queue_full, and 1 MiB in flight, which keeps 10 MB/s going over a 100 ms round trip.
inline constexpr std::size_t kReadyQueuedMessages = 256;
inline constexpr std::size_t kReadyQueuedBytes = 1024 * 1024;
// Client: unreliable messages waiting for the next relay frame, per member; when more come, the
// oldest is dropped (newer replaces older).
inline constexpr std::size_t kMaxUnreliableQueuedPerPeer = 8;
// Client: out-of-order messages held per sender while waiting for the gap to fill.
inline constexpr std::size_t kMaxReorderPerPeer = 1024;

// Server: what one connection may send, as two token buckets (docs/protocol.md "Rate limits"):
// frames, which cost the server a parse and a route each, and bytes, which cost it copies and
// bandwidth. Bursts are 4 s of frames (a join's offers and candidates, a quick exchange of
// replies) and 1 s of bytes, under the receiver's 4 MiB send queue so that one sender's burst
// relayed to a member cannot overflow it. welcome announces them; clients pace their relay under
// them. 2 MiB/s lets the relay carry files about as fast as its old fixed pacing did.
inline constexpr double kDefaultFramesPerSecond = 200;
inline constexpr double kDefaultBytesPerSecond = 2 * 1024 * 1024;
inline constexpr double kFrameBurstSeconds = 4;
inline constexpr double kByteBurstSeconds = 1;

// Client timing knobs (link open timeout, pings, retries, relay pacing, reconnect backoff) and
// their defaults: HUDDLE_CLIENT_KNOBS in client_config.hpp.

// Server: how long a member whose connection dropped (without leave) keeps its place, its peer id
// and the host role, waiting for it to resume with its token (ms). Others see it as away.
inline constexpr double kDefaultServerMemberGraceMs = 30000;

}  // namespace huddle::limits
