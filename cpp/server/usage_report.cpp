#include "server/usage_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <nlohmann/json.hpp>

namespace huddle::server {
namespace {

constexpr std::array<std::string_view, kAddressLimitCount> kLimitNames = {"rooms", "failed_joins", "relay_bytes",
                                                                          "password_checks"};
// An address as addressKey() writes it is at most an IPv6 text; anything much longer is not one.
constexpr std::size_t kMaxAddressBytes = 64;

nlohmann::json countsJson(const std::vector<std::pair<std::string, std::size_t>>& counts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [address, count] : counts) out.push_back({address, count});
  return out;
}

bool readCounts(const nlohmann::json& j, std::vector<std::pair<std::string, std::size_t>>& out) {
  if (!j.is_array() || j.size() > kMaxReportAddresses) return false;
  for (const auto& row : j) {
    if (!row.is_array() || row.size() != 2 || !row[0].is_string() || !row[1].is_number_unsigned()) return false;
    const auto& address = row[0].get_ref<const std::string&>();
    if (address.size() > kMaxAddressBytes) return false;
    out.emplace_back(address, row[1].get<std::size_t>());
  }
  return true;
}

}  // namespace

std::string encodeUsageReport(const UsageReport& report) {
  nlohmann::json charges = nlohmann::json::array();
  for (const auto& c : report.charges)
    charges.push_back({c.address, kLimitNames[static_cast<std::size_t>(c.limit)], c.cost});
  nlohmann::json j = {{"c", std::move(charges)}};
  if (report.connections) {
    j["ws"] = countsJson(report.connections->ws);
    j["http"] = countsJson(report.connections->http);
  }
  return j.dump();
}

std::optional<UsageReport> decodeUsageReport(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("c") || !j["c"].is_array() || j["c"].size() > kMaxReportAddresses * kAddressLimitCount)
    return std::nullopt;
  UsageReport report;
  for (const auto& row : j["c"]) {
    if (!row.is_array() || row.size() != 3 || !row[0].is_string() || !row[1].is_string() || !row[2].is_number())
      return std::nullopt;
    const auto& address = row[0].get_ref<const std::string&>();
    const auto limit = std::find(kLimitNames.begin(), kLimitNames.end(), row[1].get_ref<const std::string&>());
    const double cost = row[2].get<double>();
    if (address.size() > kMaxAddressBytes || limit == kLimitNames.end() || !std::isfinite(cost) || cost <= 0)
      return std::nullopt;
    report.charges.push_back({address, static_cast<AddressLimit>(limit - kLimitNames.begin()), cost});
  }
  if (j.contains("ws") || j.contains("http")) {
    ConnectionCounts counts;
    if (!readCounts(j.value("ws", nlohmann::json()), counts.ws) ||
        !readCounts(j.value("http", nlohmann::json()), counts.http))
      return std::nullopt;
    report.connections = std::move(counts);
  }
  return report;
}

std::vector<std::pair<std::string, std::size_t>> busiest(
    const std::vector<std::pair<std::string, std::size_t>>& counts, std::size_t max) {
  std::vector<std::pair<std::string, std::size_t>> out = counts;
  if (out.size() > max) {
    std::nth_element(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(max), out.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out.resize(max);
  }
  return out;
}

}  // namespace huddle::server
