// What one node tells the others sharing its Redis about the limits per address (docs/cluster.md,
// "Limits across nodes"): what it charged each address since its last report, and how many
// connections each address has open on it. Pure encoding; usage_exchange.hpp carries it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "huddle/address_limits.hpp"

namespace huddle::server {

// A report names at most this many addresses, in its charges and in each kind of connection
// counts: what a node reads from another is bounded, whatever that one sends.
inline constexpr std::size_t kMaxReportAddresses = 1024;

// Open connections per address on one node, by kind (the caps maxConnectionsPerAddress and
// maxHttpConnectionsPerAddress count them).
struct ConnectionCounts {
  std::vector<std::pair<std::string, std::size_t>> ws;
  std::vector<std::pair<std::string, std::size_t>> http;
};

struct UsageReport {
  std::vector<AddressCharge> charges;
  // The sender's open connections per address, when this report carries them: the whole of it
  // (its busiest kMaxReportAddresses), replacing what it said before.
  std::optional<ConnectionCounts> connections;
};

// JSON: {"c":[[address,limit,cost],...],"ws":[[address,count],...],"http":[...]} (limit by name:
// "rooms", "failed_joins", "relay_bytes", "password_checks"; "ws"/"http" only with connections).
std::string encodeUsageReport(const UsageReport& report);
// nullopt for anything else: not JSON, a field of the wrong shape, an unknown limit, a cost that
// is not a positive number, more than kMaxReportAddresses addresses (or 4 charges per address).
std::optional<UsageReport> decodeUsageReport(std::string_view text);

// The busiest `max` of `counts` (all of them when fewer), for a report.
std::vector<std::pair<std::string, std::size_t>> busiest(
    const std::vector<std::pair<std::string, std::size_t>>& counts, std::size_t max);

}  // namespace huddle::server
