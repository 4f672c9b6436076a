// Flags, environment variables, defaults and validation of huddle-server's options.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/config.hpp"

namespace huddle::server {
namespace {

using Action = ParseOutcome::Action;

ParseOutcome parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  return parseCommandLine(args, [env = std::move(env)](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
}

TEST(ServerConfig, DefaultsMatchTheDocumentedOnes) {
  auto out = parse({});
  ASSERT_EQ(out.action, Action::Run) << out.message;
  EXPECT_EQ(out.config.host, "127.0.0.1");
  EXPECT_EQ(out.config.port, 8080);
  EXPECT_EQ(out.config.staticDir, "web/dist");
  EXPECT_EQ(out.config.experiencesDir, "experiences");
  EXPECT_EQ(out.config.defaultRoomSize, 6);
  EXPECT_EQ(out.config.maxRoomSize, limits::kMaxRoomSizeCap);
  EXPECT_EQ(out.config.maxConnections, 1000u);
  EXPECT_EQ(out.config.iceServers, nlohmann::json::array());
  EXPECT_EQ(out.config.heartbeatMs, 20000);
  EXPECT_EQ(out.config.threads, 1);
  EXPECT_EQ(out.config.sendQueueMaxFrames, 1024u);
  EXPECT_EQ(out.config.sendQueueMaxBytes, 4u * 1024 * 1024);
  EXPECT_EQ(out.config.maxConnectionsPerAddress, 50u);
  EXPECT_EQ(out.config.helloTimeoutMs, 10000);
  EXPECT_EQ(out.config.maxHttpConnections, 1000u);
  EXPECT_EQ(out.config.maxHttpConnectionsPerAddress, 50u);
  EXPECT_EQ(out.config.httpRequestTimeoutMs, 10000);
  EXPECT_TRUE(out.config.allowedOrigins.empty());
  EXPECT_TRUE(out.config.trustedProxies.empty());
  EXPECT_EQ(out.config.perAddress.roomsPerMinute, 60);
  EXPECT_EQ(out.config.perAddress.roomBurst, 60);
  EXPECT_EQ(out.config.perAddress.failedJoinsPerMinute, 30);
  EXPECT_EQ(out.config.perAddress.failedJoinBurst, 20);
  EXPECT_EQ(out.config.perAddress.relayBytesPerSecond, 8 * 1024 * 1024);
  EXPECT_EQ(out.config.perAddress.maxAddresses, 65536u);
  EXPECT_EQ(out.config.loneRoomGraceMs, 5000);
  EXPECT_EQ(out.config.roomIdleMs, 3'600'000);
  EXPECT_EQ(out.config.logFormat, LogFormat::Text);
}

TEST(ServerConfig, ReadsTheLogFormatFromTheFlagOrTheVariable) {
  EXPECT_EQ(parse({"--log-format", "json"}).config.logFormat, LogFormat::Json);
  EXPECT_EQ(parse({}, {{"HUDDLE_LOG_FORMAT", "json"}}).config.logFormat, LogFormat::Json);
  EXPECT_EQ(parse({"--log-format=text"}, {{"HUDDLE_LOG_FORMAT", "json"}}).config.logFormat, LogFormat::Text);
  EXPECT_NE(helpText().find("--log-format FORMAT"), std::string::npos);
}

TEST(ServerConfig, ReadsTheTransportGuards) {
  auto out = parse({"--max-connections-per-address", "4", "--hello-timeout-ms=500", "--max-http-connections", "70",
                    "--max-http-connections-per-address", "6", "--http-request-timeout-ms", "2000",
                    "--allowed-origins", " https://games.example , http://127.0.0.1:5173,", "--trusted-proxies",
                    "10.0.0.0/8,::1"});
  ASSERT_EQ(out.action, Action::Run) << out.message;
  EXPECT_EQ(out.config.maxConnectionsPerAddress, 4u);
  EXPECT_EQ(out.config.helloTimeoutMs, 500);
  EXPECT_EQ(out.config.maxHttpConnections, 70u);
  EXPECT_EQ(out.config.maxHttpConnectionsPerAddress, 6u);
  EXPECT_EQ(out.config.httpRequestTimeoutMs, 2000);
  EXPECT_EQ(out.config.allowedOrigins, (std::vector<std::string>{"https://games.example", "http://127.0.0.1:5173"}));
  EXPECT_EQ(out.config.trustedProxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  auto star = parse({}, {{"HUDDLE_ALLOWED_ORIGINS", "*"}});
  EXPECT_EQ(star.config.allowedOrigins, std::vector<std::string>{"*"});
}

TEST(ServerConfig, ReadsTheLimitsPerAddress) {
  auto out = parse({"--rooms-per-minute", "120", "--failed-joins-per-minute=600", "--relay-bytes-per-second",
                    "1048576", "--max-addresses", "10", "--lone-room-grace-ms", "250", "--room-idle-ms", "0",
                    "--password-checks-per-second", "3"},
                   {{"HUDDLE_ROOMS_PER_MINUTE", "7"}});
  ASSERT_EQ(out.action, Action::Run) << out.message;
  EXPECT_EQ(out.config.perAddress.roomsPerMinute, 120);
  EXPECT_EQ(out.config.perAddress.roomBurst, 120);  // a minute of it
  EXPECT_EQ(out.config.perAddress.failedJoinsPerMinute, 600);
  EXPECT_EQ(out.config.perAddress.failedJoinBurst, 400);  // 40 s of it
  EXPECT_EQ(out.config.perAddress.relayBytesPerSecond, 1048576);
  EXPECT_EQ(out.config.perAddress.relayByteBurst, 1048576);
  EXPECT_EQ(out.config.perAddress.maxAddresses, 10u);
  EXPECT_EQ(out.config.perAddress.passwordChecksPerSecond, 3);
  EXPECT_EQ(out.config.perAddress.passwordCheckBurst, 6);  // 2 s of it
  EXPECT_EQ(out.config.loneRoomGraceMs, 250);
  EXPECT_EQ(out.config.roomIdleMs, 0);  // rooms never expire
  auto env = parse({}, {{"HUDDLE_RELAY_BYTES_PER_SECOND", "600000"}, {"HUDDLE_MAX_ADDRESSES", "3"}});
  ASSERT_EQ(env.action, Action::Run) << env.message;
  EXPECT_EQ(env.config.perAddress.relayBytesPerSecond, 600000);
  EXPECT_EQ(env.config.perAddress.maxAddresses, 3u);
}

TEST(ServerConfig, ReadsFlagsInBothForms) {
  auto out = parse({"--host", "0.0.0.0", "--port=0", "--static-dir", "/srv/www", "--experiences-dir=/srv/games",
                    "--default-room-size=4",
                    "--max-room-size", "5", "--max-rooms", "7", "--max-connections=3", "--heartbeat-ms", "300",
                    "--threads", "2", "--ice-servers", R"([{"urls":"stun:stun.example.org"}])",
                    "--public-origin", "https://huddle.example"});
  ASSERT_EQ(out.action, Action::Run) << out.message;
  EXPECT_EQ(out.config.host, "0.0.0.0");
  EXPECT_EQ(out.config.port, 0);
  EXPECT_EQ(out.config.staticDir, "/srv/www");
  EXPECT_EQ(out.config.experiencesDir, "/srv/games");
  EXPECT_EQ(out.config.defaultRoomSize, 4);
  EXPECT_EQ(out.config.maxRoomSize, 5);
  EXPECT_EQ(out.config.maxRooms, 7u);
  EXPECT_EQ(out.config.maxConnections, 3u);
  EXPECT_EQ(out.config.heartbeatMs, 300);
  EXPECT_EQ(out.config.threads, 2);
  EXPECT_EQ(out.config.iceServers[0]["urls"], "stun:stun.example.org");
  EXPECT_EQ(out.config.publicOrigin, "https://huddle.example");
}

TEST(ServerConfig, ReadsEnvironmentAndFlagsWin) {
  auto out = parse({"--port", "9000"}, {{"HUDDLE_PORT", "7000"},
                                        {"HUDDLE_HOST", "::1"},
                                        {"HUDDLE_MAX_CONNECTIONS", "12"},
                                        {"HUDDLE_HEARTBEAT_MS", "1500"},
                                        {"HUDDLE_STATIC_DIR", "dist"},
                                        {"HUDDLE_EXPERIENCES_DIR", "games"},
                                        {"HUDDLE_ICE_SERVERS", R"([{"urls":["turn:a","turn:b"],"username":"u"}])"}});
  ASSERT_EQ(out.action, Action::Run) << out.message;
  EXPECT_EQ(out.config.port, 9000);
  EXPECT_EQ(out.config.host, "::1");
  EXPECT_EQ(out.config.maxConnections, 12u);
  EXPECT_EQ(out.config.heartbeatMs, 1500);
  EXPECT_EQ(out.config.staticDir, "dist");
  EXPECT_EQ(out.config.experiencesDir, "games");
  EXPECT_EQ(out.config.iceServers[0]["username"], "u");

  auto flagWins = parse({"--experiences-dir", "/srv/games"}, {{"HUDDLE_EXPERIENCES_DIR", "games"}});
  ASSERT_EQ(flagWins.action, Action::Run) << flagWins.message;
  EXPECT_EQ(flagWins.config.experiencesDir, "/srv/games");
}

TEST(ServerConfig, LocalhostMeansLoopback) {
  EXPECT_EQ(parse({"--host", "localhost"}).config.host, "127.0.0.1");
}

TEST(ServerConfig, HelpListsEveryOptionWithItsVariableAndDefault) {
  auto out = parse({"--port", "1", "--help"});
  ASSERT_EQ(out.action, Action::Help);
  for (const char* text : {"--host", "HUDDLE_HOST", "127.0.0.1", "--port", "HUDDLE_PORT", "8080", "--static-dir",
                           "HUDDLE_STATIC_DIR", "web/dist", "--experiences-dir", "HUDDLE_EXPERIENCES_DIR",
                           "default experiences\n", "--default-room-size", "HUDDLE_DEFAULT_ROOM_SIZE",
                           "--max-room-size", "HUDDLE_MAX_ROOM_SIZE", "--max-rooms", "--max-connections",
                           "HUDDLE_MAX_CONNECTIONS", "1000", "--ice-servers", "HUDDLE_ICE_SERVERS", "[]",
                           "--heartbeat-ms", "HUDDLE_HEARTBEAT_MS", "20000", "--threads", "--public-origin",
                           "HUDDLE_PUBLIC_ORIGIN", "(from Host)", "--max-connections-per-address",
                           "HUDDLE_MAX_CONNECTIONS_PER_ADDRESS", "--hello-timeout-ms", "HUDDLE_HELLO_TIMEOUT_MS",
                           "--max-http-connections", "HUDDLE_MAX_HTTP_CONNECTIONS",
                           "--max-http-connections-per-address", "--http-request-timeout-ms",
                           "HUDDLE_HTTP_REQUEST_TIMEOUT_MS", "--allowed-origins", "HUDDLE_ALLOWED_ORIGINS",
                           "(own origin only)", "--trusted-proxies", "HUDDLE_TRUSTED_PROXIES", "--rooms-per-minute", "HUDDLE_ROOMS_PER_MINUTE",
                           "--failed-joins-per-minute", "HUDDLE_FAILED_JOINS_PER_MINUTE", "--relay-bytes-per-second",
                           "HUDDLE_RELAY_BYTES_PER_SECOND", "8388608", "--password-checks-per-second",
                           "HUDDLE_PASSWORD_CHECKS_PER_SECOND", "--max-addresses", "HUDDLE_MAX_ADDRESSES",
                           "65536", "--lone-room-grace-ms", "HUDDLE_LONE_ROOM_GRACE_MS", "--room-idle-ms",
                           "HUDDLE_ROOM_IDLE_MS", "3600000", "--auth-secret",
                           "HUDDLE_AUTH_SECRET", "--auth-secret-previous", "HUDDLE_AUTH_SECRET_PREVIOUS",
                           "--require-token-for-codes", "HUDDLE_REQUIRE_TOKEN_FOR_CODES", "huddle-server token"}) {
    EXPECT_NE(out.message.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(parse({"-h"}).action, Action::Help);
}

TEST(ServerConfig, RejectsBadValuesWithAClearMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  const std::vector<Case> cases = {
      {{"--port", "65536"}, "--port"},
      {{"--port", "-1"}, "--port"},
      {{"--port", "80x"}, "--port"},
      {{"--port"}, "needs a value"},
      {{"--host", "not an ip"}, "--host"},
      {{"--max-room-size", "9"}, "--max-room-size"},
      {{"--max-room-size", "1"}, "--max-room-size"},
      {{"--default-room-size", "8", "--max-room-size", "4"}, "larger than"},
      {{"--max-connections", "0"}, "--max-connections"},
      {{"--heartbeat-ms", "abc"}, "--heartbeat-ms"},
      {{"--threads", "0"}, "--threads"},
      {{"--ice-servers", "{}"}, "array"},
      {{"--ice-servers", "[1]"}, "not an object"},
      {{"--ice-servers", R"([{"username":"x"}])"}, "urls"},
      {{"--ice-servers", R"([{"urls":[]}])"}, "urls"},
      {{"--ice-servers", "[oops"}, "JSON"},
      {{"--bogus"}, "unknown option"},
      {{"stray"}, "unexpected argument"},
      {{"--quiet=1"}, "takes no value"},
      {{"--experiences-dir", ""}, "--experiences-dir"},
      {{"--experiences-dir"}, "needs a value"},
      {{"--public-origin", "huddle.example"}, "--public-origin"},
      {{"--public-origin", "https://huddle.example/app"}, "no path"},
      {{"--max-connections-per-address", "0"}, "--max-connections-per-address"},
      {{"--hello-timeout-ms", "10"}, "--hello-timeout-ms"},
      {{"--max-http-connections", "0"}, "--max-http-connections"},
      {{"--http-request-timeout-ms", "x"}, "--http-request-timeout-ms"},
      {{"--allowed-origins", "games.example"}, "'games.example' must start with http:// or https://"},
      {{"--allowed-origins", "https://games.example/"}, "no path"},
      {{"--trusted-proxies", "10.0.0.0/40"}, "'10.0.0.0/40' is not an IP address or a CIDR"},
      {{"--rooms-per-minute", "0"}, "--rooms-per-minute"},
      {{"--failed-joins-per-minute", "x"}, "--failed-joins-per-minute"},
      {{"--password-checks-per-second", "0"}, "--password-checks-per-second"},
      {{"--relay-bytes-per-second", "65536"}, "--relay-bytes-per-second"},  // under a full room's broadcast
      {{"--max-addresses", "0"}, "--max-addresses"},
      {{"--lone-room-grace-ms", "-1"}, "--lone-room-grace-ms"},
      {{"--room-idle-ms", "604800001"}, "--room-idle-ms"},  // over a week
      {{"--log-format", "yaml"}, "must be text or json"},
  };
  for (const auto& c : cases) {
    auto out = parse(c.args);
    EXPECT_EQ(out.action, Action::Error) << c.args[0];
    EXPECT_NE(out.message.find(c.mentions), std::string::npos) << out.message;
  }
  auto env = parse({}, {{"HUDDLE_MAX_ROOM_SIZE", "20"}});
  EXPECT_EQ(env.action, Action::Error);
  EXPECT_NE(env.message.find("HUDDLE_MAX_ROOM_SIZE"), std::string::npos) << env.message;
}

TEST(ServerConfig, ReadsTheAuthSecretsAndNeverShowsThem) {
  const std::string secret(32, 's'), previous(40, 'p');
  auto out = parse({"--auth-secret-previous", previous, "--require-token-for-codes"}, {{"HUDDLE_AUTH_SECRET", secret}});
  ASSERT_EQ(out.action, Action::Run) << out.message;
  EXPECT_EQ(out.config.authSecret, secret);
  EXPECT_EQ(out.config.authSecretPrevious, previous);
  EXPECT_TRUE(out.config.tokensForCodes);
  EXPECT_TRUE(parse({}).config.authSecret.empty());
  EXPECT_FALSE(parse({}).config.tokensForCodes);
  EXPECT_EQ(helpText().find(std::string(32, 's')), std::string::npos);
}

TEST(ServerConfig, RefusesAShortSecretAndRotationOrCodesWithoutOne) {
  auto shortSecret = parse({"--auth-secret", std::string(31, 's')});
  EXPECT_EQ(shortSecret.action, Action::Error);
  EXPECT_NE(shortSecret.message.find("at least 32 bytes"), std::string::npos) << shortSecret.message;
  EXPECT_EQ(parse({"--auth-secret-previous", std::string(32, 'p')}).action, Action::Error);
  EXPECT_EQ(parse({"--require-token-for-codes"}).action, Action::Error);
}

TEST(ServerConfig, IceServerValidation) {
  using nlohmann::json;
  EXPECT_EQ(validateIceServers(json::array()), "");
  EXPECT_EQ(validateIceServers(json::parse(R"([{"urls":"stun:x"},{"urls":["turn:y"],"credential":"c"}])")), "");
  EXPECT_NE(validateIceServers(json::parse(R"({"urls":"stun:x"})")), "");
  EXPECT_NE(validateIceServers(json::parse(R"([{"urls":""}])")), "");
  EXPECT_NE(validateIceServers(json::parse(R"([{"urls":[5]}])")), "");
}

}  // namespace
}  // namespace huddle::server
