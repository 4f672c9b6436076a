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
  // Refusals by the transport guards (docs/security.md), one per limit:
  std::uint64_t wsPerAddressRefused = 0;    // upgrades answered 429 (maxConnectionsPerAddress)
  std::uint64_t originRefused = 0;          // upgrades answered 403 (allowedOrigins)
  std::uint64_t helloTimeouts = 0;          // WebSockets closed for saying no hello in time
  std::uint64_t httpCapRefused = 0;         // HTTP connections answered 503 (maxHttpConnections)
  std::uint64_t httpPerAddressRefused = 0;  // HTTP connections answered 429 (maxHttpConnectionsPerAddress)
  std::uint64_t requestTimeouts = 0;        // HTTP connections cut off mid-request (httpRequestTimeoutMs)
};

// The room directory in Redis (--redis; room_directory.hpp), when there is one.
struct DirectoryStats {
  bool enabled = false;
  bool up = false;
  std::string reason;   // why Redis is not up
  bool loaded = false;  // the stored rooms have been read since start
  std::uint64_t written = 0;
  std::uint64_t failed = 0;
  std::uint64_t restored = 0;
  std::uint64_t reconciles = 0;
  std::uint64_t reconnects = 0;
  double roundTripMs = 0;
  std::string nodeId;
};

struct StatsSnapshot {
  HubStats hub;
  TransportStats transport;
  DirectoryStats directory;
  std::uint64_t uptimeSeconds = 0;
};

// {"status":"ok" (with --redis: "degraded" while Redis is unreachable),"uptimeSeconds":..,"connections":..,"rooms":..,"members":..,"framesIn":..,
//  "framesRejected":..,"rateLimited":..,"signalsForwarded":..,"relayedMessages":..,"roomsCreated":..}
// framesRejected includes binary and rate-limited frames refused by the transport (the Hub never
// sees those). With --redis, a "redis" object: {"status":"up"|"down","reason":..,"loaded":..}.
std::string healthzJson(const StatsSnapshot& stats);

// Prometheus text exposition format 0.0.4; every metric is named huddle_*.
std::string prometheusText(const StatsSnapshot& stats);

}  // namespace huddle::server
