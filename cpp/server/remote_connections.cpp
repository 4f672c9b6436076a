#include "server/remote_connections.hpp"

namespace huddle::server {

void RemoteConnections::report(const std::string& node, const ConnectionCounts& counts, double nowMs) {
  auto it = nodes_.find(node);
  if (it == nodes_.end()) {
    if (nodes_.size() >= maxNodes_) return;
    it = nodes_.emplace(node, Node{}).first;
  }
  Node& n = it->second;
  n.ws = Counts(counts.ws.begin(), counts.ws.end());
  n.http = Counts(counts.http.begin(), counts.http.end());
  n.reportedMs = nowMs;
}

void RemoteConnections::expire(double nowMs) {
  std::erase_if(nodes_, [&](const auto& entry) { return nowMs - entry.second.reportedMs > staleMs_; });
}

std::size_t RemoteConnections::sum(const std::string& address, Counts Node::*kind) const {
  std::size_t total = 0;
  for (const auto& [name, node] : nodes_) {
    const Counts& counts = node.*kind;
    if (auto it = counts.find(address); it != counts.end()) total += it->second;
  }
  return total;
}

}  // namespace huddle::server
