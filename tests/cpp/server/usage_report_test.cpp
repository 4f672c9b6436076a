// What nodes tell each other about the limits per address (usage_report.hpp), and how a node
// keeps the others' connections (remote_connections.hpp): no I/O, plain values.
#include <string>

#include <gtest/gtest.h>

#include "server/remote_connections.hpp"
#include "server/usage_report.hpp"

namespace huddle::server {
namespace {

TEST(UsageReport, ChargesAndConnectionsComeBackAsSent) {
  UsageReport sent;
  sent.charges = {{"10.0.0.1", AddressLimit::Rooms, 1}, {"2001:db8::", AddressLimit::RelayBytes, 1234.5}};
  sent.connections = ConnectionCounts{{{"10.0.0.1", 3}}, {{"10.0.0.2", 1}}};
  auto got = decodeUsageReport(encodeUsageReport(sent));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->charges.size(), 2u);
  EXPECT_EQ(got->charges[1].address, "2001:db8::");
  EXPECT_EQ(got->charges[1].limit, AddressLimit::RelayBytes);
  EXPECT_EQ(got->charges[1].cost, 1234.5);
  ASSERT_TRUE(got->connections);
  EXPECT_EQ(got->connections->ws, sent.connections->ws);
  EXPECT_EQ(got->connections->http, sent.connections->http);
  // Without connections, a report is charges only: the receiver keeps the counts it had.
  EXPECT_FALSE(decodeUsageReport(encodeUsageReport({sent.charges, std::nullopt}))->connections);
}

TEST(UsageReport, AnythingElseIsRefused) {
  for (const char* bad : {"", "[]", "{}", R"({"c":{}})", R"({"c":[["a","rooms"]]})", R"({"c":[["a","cats",1]]})",
                          R"({"c":[["a","rooms",0]]})", R"({"c":[["a","rooms",-1]]})", R"({"c":[[1,"rooms",1]]})",
                          R"({"c":[],"ws":[["a",-1]],"http":[]})", R"({"c":[],"ws":[["a",1]]})"}) {
    EXPECT_FALSE(decodeUsageReport(bad)) << bad;
  }
  std::string longAddress(65, 'a');
  EXPECT_FALSE(decodeUsageReport(R"({"c":[[")" + longAddress + R"(","rooms",1]]})"));
}

TEST(UsageReport, AReportNamesAtMostSoManyAddresses) {
  UsageReport big;
  ConnectionCounts counts;
  for (std::size_t i = 0; i <= kMaxReportAddresses; ++i) counts.ws.emplace_back("a" + std::to_string(i), 1);
  big.connections = counts;
  EXPECT_FALSE(decodeUsageReport(encodeUsageReport(big)));
  counts.ws.pop_back();
  big.connections = counts;
  EXPECT_TRUE(decodeUsageReport(encodeUsageReport(big)));
}

TEST(UsageReport, TheBusiestAddressesAreTheOnesReported) {
  std::vector<std::pair<std::string, std::size_t>> counts = {{"a", 1}, {"b", 9}, {"c", 3}, {"d", 7}};
  auto top = busiest(counts, 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].second + top[1].second, 16u);
  EXPECT_EQ(busiest(counts, 10).size(), 4u);
}

TEST(RemoteConnections, EachNodesLastReportCountsUntilItIsStale) {
  RemoteConnections r(3000, 8);
  r.report("n1", {{{"10.0.0.1", 2}}, {}}, 0);
  r.report("n2", {{{"10.0.0.1", 3}}, {{"10.0.0.1", 1}}}, 1000);
  EXPECT_EQ(r.ws("10.0.0.1"), 5u);
  EXPECT_EQ(r.http("10.0.0.1"), 1u);
  EXPECT_EQ(r.ws("10.0.0.2"), 0u);
  r.report("n1", {{{"10.0.0.1", 1}}, {}}, 2000);  // replaces n1's last one
  EXPECT_EQ(r.ws("10.0.0.1"), 4u);
  r.expire(4500);  // n2 last spoke at 1000
  EXPECT_EQ(r.nodes(), 1u);
  EXPECT_EQ(r.ws("10.0.0.1"), 1u);
  r.expire(5001);
  EXPECT_EQ(r.ws("10.0.0.1"), 0u);
}

TEST(RemoteConnections, NodesPastTheCapAreNotKept) {
  RemoteConnections r(3000, 1);
  r.report("n1", {{{"10.0.0.1", 2}}, {}}, 0);
  r.report("n2", {{{"10.0.0.1", 5}}, {}}, 0);
  EXPECT_EQ(r.nodes(), 1u);
  EXPECT_EQ(r.ws("10.0.0.1"), 2u);
}

}  // namespace
}  // namespace huddle::server
