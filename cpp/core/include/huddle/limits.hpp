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
// Client: unreliable messages waiting for the next relay frame, per member; when more come, the
// oldest is dropped (newer replaces older).
inline constexpr std::size_t kMaxUnreliableQueuedPerPeer = 8;
// Client: out-of-order messages held per sender while waiting for the gap to fill.
inline constexpr std::size_t kMaxReorderPerPeer = 1024;

// Client: how long a direct link may take to open before it counts as failed and messages to that
// member go through the server relay instead (ms).
inline constexpr double kDefaultLinkOpenTimeoutMs = 5000;

// Client: an open link whose ping has had no answer (nor any other frame) for this long counts as
// failed (ICE itself can take 30 s to notice a dead path), ms.
inline constexpr double kDefaultLinkSilenceTimeoutMs = 6000;

// Client: after a direct link failed, the member that offers tries a new one after
// kDefaultLinkRetryInitialMs, doubling up to kDefaultLinkRetryMaxMs, for as long as both are in
// the room; the relay carries the traffic meanwhile.
inline constexpr double kDefaultLinkRetryInitialMs = 5000;
inline constexpr double kDefaultLinkRetryMaxMs = 60000;

// Client: the relay sends at most one frame per this many ms, carrying everything queued for every
// member by then (the server allows 50 frames/s per connection by default; this leaves room for
// signaling). The first frame after a quiet spell goes at once.
inline constexpr double kDefaultRelayFlushMs = 25;

// Client: messages sent through the relay and not acknowledged within this time are sent again
// (the receiver drops what it already has). A frame is lost on the relay only when a connection
// drops or the server refuses it, so this is a safety net, ms.
inline constexpr double kDefaultRelayResendMs = 3000;

// Client: how often an open link measures its round-trip time (a ping/pong pair), ms.
inline constexpr double kDefaultLinkPingIntervalMs = 2000;

// Client: reconnecting to the server after the connection drops. The n-th attempt waits
// min(max, initial * 2^(n-1)) ms scaled by a random factor in [0.5, 1] (jitter spreads a room's
// members out after a server restart); after kDefaultReconnectAttempts failures the client gives up.
inline constexpr double kDefaultReconnectInitialMs = 250;
inline constexpr double kDefaultReconnectMaxMs = 8000;
inline constexpr int kDefaultReconnectAttempts = 30;

// Server: how long a member whose connection dropped (without leave) keeps its place, its peer id
// and the host role, waiting for it to resume with its token (ms). Others see it as away.
inline constexpr double kDefaultServerMemberGraceMs = 30000;

// Client: how long a member missing from the room after our reconnect stays listed (with its
// link and message queues kept) before it counts as gone. Covers a server restart, where members
// come back one by one.
inline constexpr double kDefaultMemberGraceMs = 30000;

}  // namespace huddle::limits
