// SharedState's side of the limits per address across nodes (docs/cluster.md, "Limits across
// nodes"). Each node enforces every limit with its own buckets and counts, as a single server
// does, and every kUsageReportInterval tells the others what it charged and what it has open;
// they charge the same to their buckets and add the counts to their caps. Nothing a client does
// waits for Redis: an address can exceed a limit by what the other nodes allow it in one interval.
#include "huddle/hub.hpp"
#include "server/shared_state.hpp"
#include "server/usage_exchange.hpp"
#include "server/usage_report.hpp"

namespace huddle::server {
namespace {

// A node that reports no change still reports its connections this often, so the others keep
// counting them (RemoteConnections forgets a node after kRemoteConnectionsStaleMs).
constexpr double kCountsRefreshMs = 1000;

std::vector<std::pair<std::string, std::size_t>> rows(const std::unordered_map<std::string, std::size_t>& counts) {
  return {counts.begin(), counts.end()};
}

}  // namespace

void SharedState::attachUsage(std::shared_ptr<UsageExchange> usage) {
  std::lock_guard lock(mutex_);
  usage_ = std::move(usage);
  hub_.shareAddressCharges();
}

void SharedState::reportUsage() {
  if (!usage_) return;
  UsageReport report;
  {
    std::lock_guard lock(mutex_);
    const double now = nowMs();
    remoteConnections_.expire(now);
    // Taken even while Redis is down: what cannot be sent now is stale by the time it could be.
    report.charges = hub_.takeAddressCharges(kMaxReportAddresses);
    if (countsChanged_ || now - countsReportedMs_ >= kCountsRefreshMs) {
      report.connections = ConnectionCounts{busiest(rows(wsPerAddress_), kMaxReportAddresses),
                                            busiest(rows(httpPerAddress_), kMaxReportAddresses)};
      countsChanged_ = false;
      countsReportedMs_ = now;
    }
  }
  if (report.charges.empty() && !report.connections) return;
  if (usage_->up()) usage_->publish(encodeUsageReport(report));
}

void SharedState::onUsageReport(const std::string& node, std::string_view text) {
  auto report = decodeUsageReport(text);
  std::lock_guard lock(mutex_);
  if (!report) {
    ++usageReportsRejected_;
    return;
  }
  if (!report->charges.empty()) hub_.applyAddressCharges(report->charges);
  if (report->connections) remoteConnections_.report(node, *report->connections, nowMs());
}

void SharedState::usageStats(DirectoryStats& d) const {
  if (!usage_) return;
  d.usageReportsSent = usage_->sent();
  d.usageReportsReceived = usage_->received();
  std::lock_guard lock(mutex_);
  d.usageReportsRejected = usageReportsRejected_;
  d.remoteCharges = hub_.stats().remoteCharges;
  d.remoteChargesDropped = hub_.stats().remoteChargesDropped;
  d.usageNodes = remoteConnections_.nodes();
}

}  // namespace huddle::server
