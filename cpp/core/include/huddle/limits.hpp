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

// Peer ids: server-assigned, this many characters of the room-code alphabet.
inline constexpr std::size_t kPeerIdLength = 10;

// Client: unacknowledged reliable messages kept per peer (for acks and, later, retransmission).
inline constexpr std::size_t kMaxUnackedPerPeer = 1024;
// Client: out-of-order messages held per sender while waiting for the gap to fill.
inline constexpr std::size_t kMaxReorderPerPeer = 1024;

// Client: how long a direct link may take to open before it is reported failed (ms).
inline constexpr double kDefaultLinkOpenTimeoutMs = 15000;

}  // namespace huddle::limits
