// /healthz and /metrics formatting.
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
            R"("framesRejected":10,"rateLimited":7,"signalsForwarded":4,"relayedMessages":0,"awayMembers":1,)"
            R"("roomsCreated":5})");
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

}  // namespace
}  // namespace huddle::server
