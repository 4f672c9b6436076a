// The server's counters as /healthz JSON and /metrics Prometheus text. Pure formatting.
#pragma once

#include <cstdint>
#include <string>

#include "huddle/hub.hpp"

namespace huddle::server {

// Counters kept by the transport, next to the Hub's own.
struct TransportStats {
  std::uint64_t binaryFramesRejected = 0;  // binary WebSocket frames answered with bad_frame
  std::uint64_t rateLimited = 0;           // frames refused with rate_limited
  std::uint64_t upgradesRefused = 0;       // WebSocket upgrades answered 503 (connection cap)
  std::uint64_t slowClientsClosed = 0;     // closed because their outbound queue overflowed
  std::uint64_t heartbeatTimeouts = 0;     // dropped by the WebSocket idle timeout
};

struct StatsSnapshot {
  HubStats hub;
  TransportStats transport;
  std::uint64_t uptimeSeconds = 0;
};

// {"status":"ok","uptimeSeconds":..,"connections":..,"rooms":..,"members":..,"framesIn":..,
//  "framesRejected":..,"rateLimited":..,"signalsForwarded":..,"relayedMessages":..,"roomsCreated":..}
// framesRejected includes binary and rate-limited frames refused by the transport (the Hub never
// sees those).
std::string healthzJson(const StatsSnapshot& stats);

// Prometheus text exposition format 0.0.4; every metric is named huddle_*.
std::string prometheusText(const StatsSnapshot& stats);

}  // namespace huddle::server
