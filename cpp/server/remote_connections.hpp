// The connections other nodes sharing this node's Redis have open, per address (docs/cluster.md,
// "Limits across nodes"), so that the caps per address count every node's, not this one's alone.
// Each node's last report replaces its previous one; a node that has not reported for `staleMs`
// (it died, or Redis is down between us) counts no more, and this node falls back to its own.
// Pure: time is passed in; SharedState holds it under its lock.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "server/usage_report.hpp"

namespace huddle::server {

// A node reports its connections at least every second: one silent for this long is gone (or
// cut off from this one by Redis).
inline constexpr double kRemoteConnectionsStaleMs = 3000;
// More nodes than one deployment runs on one Redis.
inline constexpr std::size_t kMaxRemoteNodes = 64;

class RemoteConnections {
 public:
  // At most `maxNodes` nodes are kept: a report from one more is ignored until one goes stale.
  RemoteConnections(double staleMs, std::size_t maxNodes) : staleMs_(staleMs), maxNodes_(maxNodes) {}

  // Node `node` has `counts` open now (its whole report).
  void report(const std::string& node, const ConnectionCounts& counts, double nowMs);
  // Forgets nodes whose last report is older than staleMs.
  void expire(double nowMs);

  // WebSocket / plain HTTP connections from `address` open on the other nodes (those not stale).
  std::size_t ws(const std::string& address) const { return sum(address, &Node::ws); }
  std::size_t http(const std::string& address) const { return sum(address, &Node::http); }
  // Nodes whose counts count now.
  std::size_t nodes() const { return nodes_.size(); }

 private:
  using Counts = std::unordered_map<std::string, std::size_t>;
  struct Node {
    Counts ws;
    Counts http;
    double reportedMs = 0;
  };
  std::size_t sum(const std::string& address, Counts Node::*kind) const;

  const double staleMs_;
  const std::size_t maxNodes_;
  std::unordered_map<std::string, Node> nodes_;
};

}  // namespace huddle::server
