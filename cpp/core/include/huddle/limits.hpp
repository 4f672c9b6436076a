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

// Signed join tokens (docs/tokens.md): a base64url payload, ".", a base64url HMAC-SHA256. Its
// claims hold a room name, a peer id and a display name (at most 32 code points, 4 bytes each),
// so ~600 characters is the longest honest one; the cap leaves room for fields added later and
// bounds what the server decodes and MACs per hello. Longer: invalid_token.
inline constexpr std::size_t kMaxJoinTokenChars = 1024;
// Shortest --auth-secret the server accepts, bytes: an HMAC-SHA256 key of fewer than 32 bytes is
// weaker than the MAC (RFC 2104 section 3).
inline constexpr std::size_t kMinAuthSecretBytes = 32;

// Room passwords (docs/protocol.md "Room passwords"): at most this many bytes of UTF-8, so what
// the server hashes per join is bounded; a person's password fits easily, and so does the app's
// generated link secret (16 random bytes, 22 base64url characters). Longer: bad_frame.
inline constexpr std::size_t kMaxRoomPasswordBytes = 128;
// Random bytes salting each room's password hash (drawn from the Hub's RandomSource).
inline constexpr std::size_t kRoomPasswordSaltBytes = 16;

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
// Client requests (docs/protocol.md "Requests"): requests this client awaits answers to at once,
// and requests from others its app has not answered yet. More: too_many_requests (ours at once
// from Client::request; theirs as the refusal their request gets), so a member flooding us with
// requests holds a bounded number of answers open.
inline constexpr std::size_t kMaxPendingRequests = 256;
inline constexpr std::size_t kMaxIncomingRequests = 256;
// Client requests: how long a request waits for its answer when the app does not say, and the
// longest it may ask for (ms); then it fails with request_timeout. An answer is a reliable
// message, so a member on a slow relay still answers well within these.
inline constexpr double kDefaultRequestTimeoutMs = 10 * 1000;
inline constexpr double kMaxRequestTimeoutMs = 5 * 60 * 1000;
// Client requests: a refusal's message (what a throwing handler said) is cut to this many bytes
// of UTF-8 (at a character boundary) before it travels.
inline constexpr std::size_t kMaxRequestErrorBytes = 1024;
// Client: unreliable messages waiting for the next relay frame, per member; when more come, the
// oldest is dropped (newer replaces older).
inline constexpr std::size_t kMaxUnreliableQueuedPerPeer = 8;
// Client: out-of-order messages held per sender while waiting for the gap to fill.
inline constexpr std::size_t kMaxReorderPerPeer = 1024;

// Client stats (docs/protocol.md "Client stats"): a member reports once its paths to the members
// it found settled, or this long after it asked to join with what settled by then (a link ICE
// still works on never becomes a report that never comes).
inline constexpr double kStatsDeadlineMs = 20 * 1000;
// The most a stats frame may claim: a settle time (ms after the join was asked for; more is a
// clock gone wrong, not a link) and a round-trip time (what a pong older than this is not).
inline constexpr double kMaxStatsSettleMs = 10 * 60 * 1000;
inline constexpr double kMaxStatsRttMs = 60 * 1000;

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

// Server: limits per source address (docs/protocol.md "Limits per address"). A connection's own
// limits are no limits when one address opens a thousand connections, so these count everything
// an address does, whichever connection does it. Picked so that a person, or an office behind one
// NAT, never meets them; an attacker does at once. Each is a token bucket (rate, burst).
// Rooms an address may create (create, or join with create that made a room): 60 at once, then one
// a second. Filling the server's 10,000 rooms from one address takes hours instead of seconds.
inline constexpr double kDefaultRoomsPerMinute = 60;
inline constexpr double kRoomBurstSeconds = 60;
inline constexpr double kDefaultRoomBurst = kDefaultRoomsPerMinute * kRoomBurstSeconds / 60;
// Joins an address may get wrong (room_not_found): 20 at once, then one every 2 s; past that, every
// join from that address is refused with rate_limited until the next is due (refusing only the
// ones that would fail would tell the guesser which code hits). At 0.5 guesses a second, finding
// one of 1,000 live rooms among 32^6 codes takes 25 days on average instead of a minute.
inline constexpr double kDefaultFailedJoinsPerMinute = 30;
inline constexpr double kFailedJoinBurstSeconds = 40;
inline constexpr double kDefaultFailedJoinBurst = kDefaultFailedJoinsPerMinute * kFailedJoinBurstSeconds / 60;
// Relay bytes an address may make the server send, per second, counting every recipient (a
// broadcast to 7 costs 7 times its size): a relayed member's own pacing stays under 80 % of a
// connection's byte rate (1.6 MiB/s), so this is five of them at full speed. Burst: 1 s of it.
inline constexpr double kDefaultRelayBytesPerSecond = 8 * 1024 * 1024;
inline constexpr double kRelayByteBurstSeconds = 1;
// Room passwords an address may have checked (joins of a locked room that bring one, right or
// wrong): 10 a second, bursts of 2 s. Each check is a key derivation (under 1 ms in
// huddle-server) under the Hub's lock, so without this, join and leave in a loop with the right
// password from one address's 50 connections would keep the server hashing all the time. A
// person, or an office joining at once, never meets it. (Wrong ones are failed joins too.)
inline constexpr double kDefaultPasswordChecksPerSecond = 10;
inline constexpr double kPasswordCheckBurstSeconds = 2;
inline constexpr double kDefaultPasswordCheckBurst = kDefaultPasswordChecksPerSecond * kPasswordCheckBurstSeconds;
// Addresses the server keeps track of at once. An entry with no open connection and nothing owed
// (every bucket full again) is forgotten at the next sweep (about once a second); at the cap, the
// least recently seen entry without a connection is forgotten, whatever it owed (which gives that
// address no more than a fresh address would have); when every entry has a connection, new
// addresses share one entry (kOverflowAddress), and its limits.
inline constexpr std::size_t kDefaultMaxAddresses = 65536;
inline constexpr char kOverflowAddress[] = "(overflow)";

// Server: a room that only its creator ever joined, and whose members are all away, keeps them for
// this long instead of the member grace period: connect, create, drop, repeated, then holds rooms
// for seconds, not 30 s. (A creator that comes back later recreates its room with join + create,
// as after a server restart.)
inline constexpr double kDefaultLoneRoomGraceMs = 5000;

// Game sync (docs/protocol.md "Game sync"): one member's input for one tick, as JSON text (a
// controller's state, not a document); how many of its newest not-yet-acknowledged inputs a
// member repeats in each gi frame, so that losing up to kGameInputRepeat - 1 datagrams in a row
// loses no input; the most inputs a gi frame may carry (a receiver's bound, above what senders
// send), which is also how many inputs the host holds per member between two of its ticks (more:
// the oldest go, the latest input always stays).
inline constexpr std::size_t kMaxGameInputBytes = 1024;
inline constexpr std::size_t kGameInputRepeat = 4;
inline constexpr std::size_t kMaxGameInputs = 32;
// Game sync: snapshots kept as bases for deltas, by the host (what it published) and by each member
// (what it received); an acknowledgement older than that gets a full snapshot. 32 ticks is
// about half a second at 60 Hz, longer than a round trip on any link a game is playable over.
inline constexpr std::size_t kGameHistory = 32;
// Game sync: the largest game state, as JSON text, so that a full snapshot with its envelope fits
// in one frame (kMaxFrameBytes). A delta never exceeds it either: a delta larger than the full
// state is sent as the full state.
inline constexpr std::size_t kMaxGameStateBytes = 60 * 1024;

// Client timing knobs (link open timeout, pings, retries, relay pacing, reconnect backoff) and
// their defaults: HUDDLE_CLIENT_KNOBS in client_config.hpp.

// Server: how long a member whose connection dropped (without leave) keeps its place, its peer id
// and the host role, waiting for it to resume with its token (ms). Others see it as away.
inline constexpr double kDefaultServerMemberGraceMs = 30000;

// Server: a room none of whose members has been active this long is closed (ms; 0: never).
// Active: joined, or said so with a ping (clients do when their app has sent something since the
// last one: the server sees nothing of what direct links carry). An idle room is a code a guesser
// can still hit and a slot someone holds by leaving a tab open.
inline constexpr double kDefaultRoomIdleMs = 60 * 60 * 1000;

// Replicated room state (docs/protocol.md "Room state"). The document every member holds: at most
// kMaxStateBytes, counted as each entry's key and value bytes plus kStateEntryOverheadBytes (deleted
// keys keep a tombstone that counts too, so a delete cannot be undone by an older write), plus
// kStateEntryOverheadBytes and the id for every peer that ever wrote (what makes writes exactly-once
// across host changes); at most kMaxStateKeys keys, tombstones included. Past either: state_too_large.
inline constexpr std::size_t kMaxStateBytes = 1024 * 1024;
inline constexpr std::size_t kMaxStateKeys = 4096;
inline constexpr std::size_t kStateEntryOverheadBytes = 32;
// A key: 1..kMaxStateKeyBytes bytes of UTF-8 without control characters (data_invalid otherwise).
inline constexpr std::size_t kMaxStateKeyBytes = 256;
// A value: JSON as app data (limits::kMaxAppDataDepth), at most this many bytes, so that one change
// with its key (escaped, at most 6 bytes per byte) and fields fits a frame inside a peer frame.
inline constexpr std::size_t kMaxStateValueBytes = kMaxAppDataBytes - 4 * 1024;
// Own writes not yet sequenced by the host, per member (send_queue_full past it).
inline constexpr std::size_t kMaxStatePendingWrites = 256;
// Sequenced changes the host keeps to send as a tail to a member that is behind; further behind, it
// gets a snapshot.
inline constexpr std::size_t kMaxStateTail = 1024;
// Bytes of entries per snapshot frame (sh), and the most parts one snapshot may have.
inline constexpr std::size_t kStateSnapshotPartBytes = 48 * 1024;
inline constexpr std::size_t kMaxStateSnapshotParts = kMaxStateKeys + 64;
// The host announces (epoch, seq, hash) this often; a member whose copy differs fetches a snapshot.
inline constexpr double kStateHashIntervalMs = 2000;
// A state request, handover query or unsequenced write not answered in this time is sent again.
inline constexpr double kStateRetryMs = 1000;
// A member gone from the room holds the collection of deletes back this long, from its last
// report (it may come back with writes it made meanwhile, which must not lose to a collected delete).
inline constexpr double kStateGoneReportMs = 60'000;
// A member drives its room state's clock this often (retries and announcements fall due within it).
inline constexpr double kStateTickMs = 250;
// A new host waits this long for present members to say how far they are (and then for the most
// advanced one's snapshot) before it goes on with what it has.
inline constexpr double kStateHandoverTimeoutMs = 4000;

}  // namespace huddle::limits
