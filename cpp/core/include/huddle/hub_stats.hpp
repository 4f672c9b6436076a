// What the Hub counts, for huddle-server's /healthz and /metrics (docs/metrics.md lists every
// metric). Counted where each event happens, inside the Hub; plain numbers, no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>

#include "huddle/address_limits.hpp"
#include "huddle/error.hpp"
#include "huddle/histogram.hpp"
#include "huddle/message.hpp"

namespace huddle {

// What came of a create or join frame the Hub could read.
enum class JoinOutcome {
  Created,  // it made a room and entered it (a create, or a join that found no room and may create)
  Joined,   // it entered a live room
  Resumed,  // its connection was already a member of that room (it resumed its place, then rejoined)
  Refused,  // it was answered with an error (HubStats::joinRefusals says which)
};
inline constexpr std::size_t kJoinOutcomeCount = 4;

struct HubStats {
  std::uint64_t connections = 0;       // currently open
  std::uint64_t rooms = 0;             // currently live
  std::uint64_t members = 0;           // currently in some room (away ones included)
  std::uint64_t awayMembers = 0;       // currently away: connection gone, place kept
  std::uint64_t framesIn = 0;          // client frames received (accepted or not), total
  // Frames answered with at least one error, total: never more than framesIn (a relay frame with
  // several refused parts is one rejected frame).
  std::uint64_t framesRejected = 0;
  std::uint64_t signalsForwarded = 0;  // signal frames forwarded, total
  std::uint64_t relayedMessages = 0;   // app messages carried by the relay, total
  // Bytes of the relay frames sent to members, every copy counted (a broadcast to 7 is 7 frames):
  // what the relay budget per address charges. Total.
  std::uint64_t relayedBytes = 0;
  std::uint64_t roomsCreated = 0;      // total
  // Rooms closed, total, by why: expired for want of activity (HubConfig::roomIdleMs), or emptied
  // (its last member left, or the grace of its last away member ran out).
  std::uint64_t roomsExpired = 0;
  std::uint64_t roomsEmptied = 0;
  // Every closed room, observed when it closes: the most members it held at once (restored rooms:
  // since their restore), and how long it lived, seconds (restored rooms: since their restore).
  Histogram roomPeakMembers{1, 2, 3, 4, 5, 6, 7, 8};
  Histogram roomLifetimeSeconds{10, 60, 300, 1800, 3600, 14400};
  // Create and join frames by what came of them, total (index: JoinOutcome); the refused ones by
  // the error code they got (the first one, were there ever two).
  std::array<std::uint64_t, kJoinOutcomeCount> joins{};
  std::map<ErrorCode, std::uint64_t> joinRefusals;
  // Rooms whose host became another member (the host left, or a member restoring an older place
  // came back), total.
  std::uint64_t hostChanges = 0;
  // Hosts whose connection dropped while they had a grace period: away, still host. Total, and
  // how those episodes ended: back (resumed in time) or left (the grace ran out, or the room
  // expired meanwhile). Members restored from the room directory start away but are not counted.
  std::uint64_t hostAway = 0;
  std::uint64_t hostBack = 0;
  std::uint64_t hostAwayLeft = 0;
  // Frames refused by a limit per address (rate_limited), total, by AddressLimit.
  std::array<std::uint64_t, kAddressLimitCount> refusedByAddressLimit{};
  std::uint64_t addresses = 0;         // addresses tracked now (AddressLimitConfig::maxAddresses)
  std::uint64_t addressesEvicted = 0;  // forgotten at the cap while they still owed something, total
  // Other nodes' charges to the limits per address (Hub::applyAddressCharges), totals: applied
  // here, and dropped for want of room in the table of addresses.
  std::uint64_t remoteCharges = 0;
  std::uint64_t remoteChargesDropped = 0;
  // Signed join tokens (HubConfig::verifyToken), totals: presented ones that were used, ones
  // refused (invalid_token: bad, or for another id or room; token_expired), and frames refused
  // for want of one (token_required).
  std::uint64_t tokensAccepted = 0;
  std::uint64_t tokensRefused = 0;
  std::uint64_t tokenRequired = 0;
  // Joins refused with wrong_password (no password, or another one, for a room that has one),
  // total. Each also counts as a failed join of its address (AddressLimit::FailedJoins).
  std::uint64_t wrongPasswords = 0;
  // What members report of their paths (stats frames, docs/protocol.md "Client stats"): the
  // frames taken, and every path they describe by transport (index: Transport; None: it had not
  // settled by the report's deadline). Settled paths by how long after the join was asked for
  // they settled, and how long their round trip was then (seconds; paths without a measurement
  // are not observed), per transport: index 0 direct, 1 relay.
  std::uint64_t statsReports = 0;
  std::array<std::uint64_t, kTransportCount> reportedPaths{};
  std::array<Histogram, 2> pathSettleSeconds{Histogram{0.1, 0.25, 0.5, 1, 2, 5, 10, 30},
                                             Histogram{0.1, 0.25, 0.5, 1, 2, 5, 10, 30}};
  std::array<Histogram, 2> pathRttSeconds{Histogram{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1},
                                          Histogram{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}};
};

}  // namespace huddle
