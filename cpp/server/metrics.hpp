// The server's counters as /healthz JSON and /metrics Prometheus text. Pure formatting.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "huddle/hub.hpp"

namespace huddle::server {

// Why a WebSocket connection ended, as far as the transport can tell (websocket_session.cpp).
// The first cause wins: a connection we were closing for a slow client stays slow_client even if
// the client's close frame then comes.
enum class ConnectionEnd {
  ClientClosed,      // the client sent a close frame, or its TCP connection ended (reset, EOF)
  HeartbeatTimeout,  // silent for a whole heartbeatMs
  SlowClient,        // its outbound queue overflowed
  HelloTimeout,      // not welcomed within helloTimeoutMs
  ServerShutdown,    // closed with going_away because the server is stopping
  ProtocolError,     // it broke RFC 6455 (closed with 1002)
  MessageTooBig,     // it sent a message over the transport cap (closed with 1009)
  Error,             // a read or write failed otherwise
  NodeLost,          // the node holding its room died, or no longer knew it (docs/cluster.md): come back
  DirectoryDown,     // a member coming back to a room held elsewhere, while Redis cannot say where: retry
};
inline constexpr std::size_t kConnectionEndCount = 10;
// The label on /metrics and in JSON logs: "client_closed", "heartbeat_timeout", ...
std::string_view connectionEndName(ConnectionEnd end);

// Counters kept by the transport, next to the Hub's own.
struct TransportStats {
  // WebSocket connections the Hub was told of (upgraded and registered), total, and those that
  // ended, by why (index: ConnectionEnd). Opened minus every closed one is what is open.
  std::uint64_t connectionsOpened = 0;
  std::array<std::uint64_t, kConnectionEndCount> connectionsClosed{};
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
  Histogram roundTripSeconds{};  // every reply of the directory's Redis connection
  std::string nodeId;
  std::uint64_t nodeFramesSent = 0;      // to other nodes' inboxes (members on other nodes)
  std::uint64_t nodeFramesReceived = 0;  // from this node's inbox
  std::uint64_t nodeFramesDropped = 0;   // sent, but Redis did not take them
  // Limits per address across nodes (usage_exchange.hpp): reports published, other nodes' reports
  // read and those that did not decode, the other nodes' charges applied here (and dropped at the
  // cap of addresses), and the nodes whose connections count against the caps per address now.
  std::uint64_t usageReportsSent = 0;
  std::uint64_t usageReportsReceived = 0;
  std::uint64_t usageReportsRejected = 0;
  std::uint64_t remoteCharges = 0;
  std::uint64_t remoteChargesDropped = 0;
  std::uint64_t usageNodes = 0;
};

struct StatsSnapshot {
  HubStats hub;
  TransportStats transport;
  DirectoryStats directory;
  std::uint64_t uptimeSeconds = 0;
};

// {"status":"ok" (with --redis: "degraded" while Redis is unreachable),"uptimeSeconds":..,"connections":..,"rooms":..,"members":..,"framesIn":..,
//  "framesRejected":..,"rateLimited":..,"signalsForwarded":..,"relayedMessages":..,"relayedBytes":..,
//  "awayMembers":..,"roomsCreated":..,"hostChanges":..}
// framesRejected includes binary and rate-limited frames refused by the transport (the Hub never
// sees those). With --redis, a "redis" object: {"status":"up"|"down","reason":..,"loaded":..}.
std::string healthzJson(const StatsSnapshot& stats);

// Prometheus text exposition format 0.0.4; every metric is named huddle_* (docs/metrics.md).
std::string prometheusText(const StatsSnapshot& stats);

}  // namespace huddle::server
