// /healthz and /metrics formatting.
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/metrics.hpp"

namespace huddle::server {
namespace {

StatsSnapshot sample() {
  StatsSnapshot s;
  s.uptimeSeconds = 42;
  s.hub.connections = 3;
  s.hub.rooms = 1;
  s.hub.members = 2;
  s.hub.framesIn = 10;
  s.hub.framesRejected = 2;
  s.hub.signalsForwarded = 4;
  s.hub.relayedMessages = 0;
  s.hub.roomsCreated = 5;
  s.hub.roomsExpired = 3;
  s.hub.awayMembers = 1;
  s.transport.binaryFramesRejected = 1;
  s.transport.slowClientsClosed = 6;
  s.transport.rateLimited = 7;
  s.transport.wsPerAddressRefused = 8;
  s.transport.helloTimeouts = 9;
  s.transport.requestTimeouts = 2;
  return s;
}

TEST(ServerMetrics, HealthzHasTheDocumentedFieldsInOrder) {
  EXPECT_EQ(healthzJson(sample()),
            R"({"status":"ok","uptimeSeconds":42,"connections":3,"rooms":1,"members":2,"framesIn":18,)"
            R"("framesRejected":10,"rateLimited":7,"signalsForwarded":4,"relayedMessages":0,"relayedBytes":0,)"
            R"("awayMembers":1,"roomsCreated":5,"hostChanges":0})");
}

TEST(ServerMetrics, PrometheusTextHasHelpTypeAndValue) {
  const std::string text = prometheusText(sample());
  EXPECT_NE(text.find("# HELP huddle_connections "), std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_connections gauge\nhuddle_connections 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_rooms_created_total counter\nhuddle_rooms_created_total 5\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_frames_rejected_total 10\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_rooms_expired_total counter\nhuddle_rooms_expired_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_rate_limited_total 7\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_slow_clients_closed_total 6\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_uptime_seconds 42\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_away_members gauge\nhuddle_away_members 1\n"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
}

TEST(ServerMetrics, RefusalsAreOneFamilyLabelledByLimit) {
  const std::string text = prometheusText(sample());
  const std::string family = "# TYPE huddle_refusals_total counter\n";
  ASSERT_NE(text.find(family), std::string::npos);
  EXPECT_EQ(text.find(family), text.rfind(family));  // HELP and TYPE once
  for (const char* row : {R"(huddle_refusals_total{limit="max_connections_per_address"} 8)",
                          R"(huddle_refusals_total{limit="hello_timeout"} 9)",
                          R"(huddle_refusals_total{limit="http_request_timeout"} 2)",
                          R"(huddle_refusals_total{limit="allowed_origins"} 0)",
                          R"(huddle_refusals_total{limit="max_http_connections"} 0)",
                          R"(huddle_refusals_total{limit="max_http_connections_per_address"} 0)"})
    EXPECT_NE(text.find(std::string(row) + "\n"), std::string::npos) << row;
}

// Binary and rate-limited frames never reach the hub; they were counted rejected, not received.
TEST(ServerMetrics, FramesRejectedNeverExceedFramesIn) {
  StatsSnapshot s;
  s.hub.framesIn = 1;
  s.hub.framesRejected = 1;
  s.transport.binaryFramesRejected = 2;
  s.transport.rateLimited = 5;
  auto j = nlohmann::json::parse(healthzJson(s));
  EXPECT_EQ(j["framesRejected"], 8);
  EXPECT_EQ(j["framesIn"], 8);
}

TEST(ServerMetrics, RefusalsByEachLimitPerAddressAreCounted) {
  StatsSnapshot s;
  s.hub.refusedByAddressLimit = {3, 4, 5, 6};
  s.hub.addresses = 9;
  s.hub.addressesEvicted = 2;
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("# TYPE huddle_rooms_limited_total counter\nhuddle_rooms_limited_total 3\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_failed_joins_limited_total 4\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_relay_bytes_limited_total 5\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_password_checks_limited_total 6\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_addresses gauge\nhuddle_addresses 9\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_addresses_evicted_total 2\n"), std::string::npos);
}

TEST(ServerMetrics, JoinTokensAcceptedRefusedAndRequiredAreCounted) {
  StatsSnapshot s;
  s.hub.tokensAccepted = 11;
  s.hub.tokensRefused = 12;
  s.hub.tokenRequired = 13;
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("# TYPE huddle_join_tokens_accepted_total counter\nhuddle_join_tokens_accepted_total 11\n"),
            std::string::npos);
  EXPECT_NE(text.find("huddle_join_tokens_refused_total 12\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_token_required_total 13\n"), std::string::npos);
}

TEST(ServerMetrics, WrongPasswordsAreCounted) {
  StatsSnapshot s;
  s.hub.wrongPasswords = 14;
  EXPECT_NE(prometheusText(s).find("# TYPE huddle_wrong_passwords_total counter\nhuddle_wrong_passwords_total 14\n"),
            std::string::npos);
}

// ---- what an operator watches (issue 15) ------------------------------------------------------

// The lines of `text` from the first that starts with `from`, `count` of them, joined.
std::string linesFrom(const std::string& text, const std::string& from, int count) {
  auto at = text.find("\n" + from);
  if (at == std::string::npos) return "(no line starting " + from + ")";
  ++at;
  auto end = at;
  for (int i = 0; i < count && end != std::string::npos; ++i) end = text.find('\n', end) + 1;
  return text.substr(at, end - at);
}

TEST(ServerMetrics, RoomMembersHistogramIsWrittenInTheExpositionFormat) {
  StatsSnapshot s;
  for (double peak : {2.0, 2.0, 5.0}) s.hub.roomPeakMembers.observe(peak);
  EXPECT_EQ(linesFrom(prometheusText(s), "# HELP huddle_room_members ", 13),
            "# HELP huddle_room_members The most members a room held at once, observed when it closes.\n"
            "# TYPE huddle_room_members histogram\n"
            "huddle_room_members_bucket{le=\"1\"} 0\n"
            "huddle_room_members_bucket{le=\"2\"} 2\n"
            "huddle_room_members_bucket{le=\"3\"} 2\n"
            "huddle_room_members_bucket{le=\"4\"} 2\n"
            "huddle_room_members_bucket{le=\"5\"} 3\n"
            "huddle_room_members_bucket{le=\"6\"} 3\n"
            "huddle_room_members_bucket{le=\"7\"} 3\n"
            "huddle_room_members_bucket{le=\"8\"} 3\n"
            "huddle_room_members_bucket{le=\"+Inf\"} 3\n"
            "huddle_room_members_sum 9\n"
            "huddle_room_members_count 3\n");
}

TEST(ServerMetrics, RoomLifetimeHistogramIsWrittenInTheExpositionFormat) {
  StatsSnapshot s;
  for (double seconds : {5.5, 90.0, 20000.0}) s.hub.roomLifetimeSeconds.observe(seconds);
  EXPECT_EQ(linesFrom(prometheusText(s), "# HELP huddle_room_lifetime_seconds ", 11),
            "# HELP huddle_room_lifetime_seconds How long a room lived, observed when it closes.\n"
            "# TYPE huddle_room_lifetime_seconds histogram\n"
            "huddle_room_lifetime_seconds_bucket{le=\"10\"} 1\n"
            "huddle_room_lifetime_seconds_bucket{le=\"60\"} 1\n"
            "huddle_room_lifetime_seconds_bucket{le=\"300\"} 2\n"
            "huddle_room_lifetime_seconds_bucket{le=\"1800\"} 2\n"
            "huddle_room_lifetime_seconds_bucket{le=\"3600\"} 2\n"
            "huddle_room_lifetime_seconds_bucket{le=\"14400\"} 2\n"
            "huddle_room_lifetime_seconds_bucket{le=\"+Inf\"} 3\n"
            "huddle_room_lifetime_seconds_sum 20095.5\n"
            "huddle_room_lifetime_seconds_count 3\n");
}

TEST(ServerMetrics, ConnectionsAreCountedOpenedAndClosedByReason) {
  StatsSnapshot s;
  s.transport.connectionsOpened = 40;
  for (std::size_t i = 0; i < kConnectionEndCount; ++i) s.transport.connectionsClosed[i] = 10 + i;
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("# TYPE huddle_connections_opened_total counter\nhuddle_connections_opened_total 40\n"),
            std::string::npos);
  EXPECT_EQ(linesFrom(text, "# HELP huddle_connections_closed_total ", 10),
            "# HELP huddle_connections_closed_total WebSocket connections that ended, by why.\n"
            "# TYPE huddle_connections_closed_total counter\n"
            "huddle_connections_closed_total{reason=\"client_closed\"} 10\n"
            "huddle_connections_closed_total{reason=\"heartbeat_timeout\"} 11\n"
            "huddle_connections_closed_total{reason=\"slow_client\"} 12\n"
            "huddle_connections_closed_total{reason=\"hello_timeout\"} 13\n"
            "huddle_connections_closed_total{reason=\"server_shutdown\"} 14\n"
            "huddle_connections_closed_total{reason=\"protocol_error\"} 15\n"
            "huddle_connections_closed_total{reason=\"message_too_big\"} 16\n"
            "huddle_connections_closed_total{reason=\"error\"} 17\n");
}

TEST(ServerMetrics, RoomsClosedByReasonKeepTheExpiredCounterToo) {
  StatsSnapshot s;
  s.hub.roomsEmptied = 21;
  s.hub.roomsExpired = 4;
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("huddle_rooms_closed_total{reason=\"emptied\"} 21\n"
                      "huddle_rooms_closed_total{reason=\"expired\"} 4\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_rooms_expired_total counter\nhuddle_rooms_expired_total 4\n"), std::string::npos);
}

TEST(ServerMetrics, JoinsByOutcomeAndRefusalsByCode) {
  StatsSnapshot s;
  s.hub.joins = {5, 7, 2, 3};
  s.hub.joinRefusals[ErrorCode::RoomFull] = 2;
  s.hub.joinRefusals[ErrorCode::BadFrame] = 1;  // not one a join gets today: shown all the same
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("huddle_joins_total{outcome=\"created\"} 5\n"
                      "huddle_joins_total{outcome=\"joined\"} 7\n"
                      "huddle_joins_total{outcome=\"resumed\"} 2\n"
                      "huddle_joins_total{outcome=\"refused\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_join_refusals_total counter\n"
                      "huddle_join_refusals_total{code=\"room_not_found\"} 0\n"
                      "huddle_join_refusals_total{code=\"room_full\"} 2\n"
                      "huddle_join_refusals_total{code=\"wrong_password\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("huddle_join_refusals_total{code=\"bad_frame\"} 1\n"), std::string::npos);
}

TEST(ServerMetrics, HostChangesAwayEpisodesAndRelayedBytes) {
  StatsSnapshot s;
  s.hub.hostChanges = 6;
  s.hub.hostAway = 9;
  s.hub.hostBack = 7;
  s.hub.hostAwayLeft = 1;
  s.hub.relayedBytes = 123456789012;
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("# TYPE huddle_host_changes_total counter\nhuddle_host_changes_total 6\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_host_away_total counter\nhuddle_host_away_total 9\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_host_away_ended_total{outcome=\"back\"} 7\n"
                      "huddle_host_away_ended_total{outcome=\"left\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE huddle_relayed_bytes_total counter\nhuddle_relayed_bytes_total 123456789012\n"),
            std::string::npos);
  auto j = nlohmann::json::parse(healthzJson(s));
  EXPECT_EQ(j["hostChanges"], 6);
  EXPECT_EQ(j["relayedBytes"], 123456789012);
}

// What a scraper checks: every sample belongs to a family declared once (HELP, then TYPE) before
// it, and every sample line is `name{labels} value`.
TEST(ServerMetrics, EveryFamilyIsDeclaredOnceBeforeItsSamples) {
  StatsSnapshot s = sample();
  s.directory.enabled = true;
  s.hub.roomPeakMembers.observe(3);
  const std::string text = prometheusText(s);
  std::map<std::string, std::string> types;  // family -> type
  std::string line;
  std::istringstream in(text);
  std::string lastHelp;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(# HELP (huddle_[a-z_]+) .+)"))) {
      EXPECT_FALSE(types.contains(m[1])) << "declared twice: " << m[1];
      lastHelp = m[1];
    } else if (std::regex_match(line, m, std::regex(R"(# TYPE (huddle_[a-z_]+) (counter|gauge|histogram))"))) {
      EXPECT_EQ(m[1], lastHelp) << "TYPE without its HELP right before: " << line;
      types[m[1]] = m[2];
    } else {
      static const std::regex sample(
          R"((huddle_[a-z_]+?)(_bucket|_sum|_count)?(\{[a-z]+="[^"]*"(,[a-z]+="[^"]*")*\})? ([-+.e0-9]+|\+Inf|NaN))");
      ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
      const std::string family = types.contains(m[1].str() + m[2].str()) ? m[1].str() + m[2].str() : m[1].str();
      ASSERT_TRUE(types.contains(family)) << "sample before its TYPE: " << line;
      if (m[2].matched && types[family] != "histogram") EXPECT_EQ(family, m[1].str() + m[2].str()) << line;
    }
  }
  EXPECT_EQ(types["huddle_room_members"], "histogram");
  EXPECT_EQ(types["huddle_room_lifetime_seconds"], "histogram");
  EXPECT_EQ(types["huddle_redis_up"], "gauge");
  EXPECT_EQ(types["huddle_redis_round_trip_seconds"], "histogram");
  EXPECT_EQ(types["huddle_client_path_settle_seconds"], "histogram");
  EXPECT_EQ(types["huddle_client_paths_total"], "counter");
}

TEST(ServerMetrics, WhatMembersReportOfTheirPathsIsWrittenByTransport) {
  StatsSnapshot s;
  s.hub.statsReports = 4;
  s.hub.reportedPaths = {1, 5, 2};  // none, direct, relay
  s.hub.pathSettleSeconds[0].observe(0.3);
  s.hub.pathSettleSeconds[1].observe(5.05);
  s.hub.pathRttSeconds[1].observe(0.03);
  const std::string text = prometheusText(s);
  EXPECT_NE(text.find("huddle_client_stats_reports_total 4\n"), std::string::npos);
  EXPECT_NE(text.find("huddle_client_paths_total{transport=\"direct\"} 5\n"
                      "huddle_client_paths_total{transport=\"relay\"} 2\n"
                      "huddle_client_paths_total{transport=\"none\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("huddle_client_path_settle_seconds_bucket{transport=\"direct\",le=\"0.25\"} 0\n"
                      "huddle_client_path_settle_seconds_bucket{transport=\"direct\",le=\"0.5\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("huddle_client_path_settle_seconds_sum{transport=\"relay\"} 5.05\n"
                      "huddle_client_path_settle_seconds_count{transport=\"relay\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("huddle_client_path_rtt_seconds_bucket{transport=\"relay\",le=\"0.05\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("huddle_client_path_rtt_seconds_count{transport=\"direct\"} 0\n"), std::string::npos);
}

}  // namespace
}  // namespace huddle::server
