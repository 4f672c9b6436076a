// huddle-server with --auth-secret: signed join tokens over a real listener (the new tab that
// takes its place over, named rooms and ids refused without a token, secret rotation) and the
// `huddle-server token` subcommand of the real binary.
#include <chrono>

#include <gtest/gtest.h>

#include "server/join_token.hpp"
#include "server_fixture.hpp"
#include "server_process.hpp"

namespace huddle::test {
namespace {

using namespace std::chrono_literals;

const std::string kSecret = "server-test-secret-of-32-bytes-or-more";
const std::string kPrevious = "the-secret-before-rotation-32-bytes-long";

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string tokenFor(const std::string& room, const std::string& peer, const std::string& name,
                     const std::string& secret = kSecret, std::int64_t lifetime = 7200) {
  JoinClaims claims;
  claims.room = room;
  claims.peerId = peer;
  claims.name = name;
  claims.expiresAt = unixNow() + lifetime;
  return server::mintJoinToken(claims, secret);
}

class ServerTokens : public ServerFixture {
 protected:
  void SetUp() override {
    auto config = testConfig();
    config.memberGraceMs = 5000;
    config.authSecret = kSecret;
    config.authSecretPrevious = kPrevious;
    startServer(config);
  }
  // hello with a join token; returns the welcome.
  Json helloWith(WsClient& client, const std::string& token) {
    client.send({{"t", "hello"}, {"v", 1}, {"joinToken", token}, {"fresh", true}});
    return client.expect("welcome");
  }
};

TEST_F(ServerTokens, ANewTabWithATokenTakesThePlaceOverFromTheOpenOne) {
  const std::string token = tokenFor("standup", "user_42", "Ann");
  WsClient first(port());
  EXPECT_EQ(helloWith(first, token)["id"], "user_42");
  first.send({{"t", "join"}, {"code", "standup"}, {"name", "Ann"}, {"create", true}});
  first.expect("room_joined");

  WsClient second(port());  // no resume token: it lived in the first tab's sessionStorage
  Json welcome = helloWith(second, token);
  EXPECT_EQ(welcome["id"], "user_42");
  EXPECT_EQ(welcome["resumed"], true);
  first.expectError("session_replaced");
  second.send({{"t", "join"}, {"code", "standup"}, {"name", "Ann"}, {"create", true}});
  Json joined = second.expect("room_joined");
  EXPECT_EQ(joined["you"], "user_42");
  EXPECT_EQ(joined["peers"].size(), 1u);
}

TEST_F(ServerTokens, IdsAndNamedRoomsNeedATokenCodesDoNot) {
  WsClient squatter(port());
  squatter.send({{"t", "hello"}, {"v", 1}, {"id", "user_42"}});
  EXPECT_EQ(squatter.expectError("token_required")["ref"], "hello");
  WsClient anyone(port());
  anyone.hello();
  anyone.send({{"t", "join"}, {"code", "standup"}, {"name", "Eve"}, {"create", true}, {"relayOnly", true}});
  EXPECT_EQ(anyone.expectError("token_required")["ref"], "join");
  EXPECT_EQ(anyone.create("Eve")["code"].get<std::string>().size(), limits::kRoomCodeLength);
}

TEST_F(ServerTokens, ThePreviousSecretWorksWhileRotatingAnUnknownOneDoesNot) {
  WsClient old(port());
  EXPECT_EQ(helloWith(old, tokenFor("standup", "user_7", "Bo", kPrevious))["id"], "user_7");
  WsClient forged(port());
  forged.send({{"t", "hello"}, {"v", 1}, {"joinToken", tokenFor("standup", "user_8", "Cy", std::string(40, 'x'))}});
  EXPECT_EQ(forged.expectError("invalid_token")["ref"], "hello");
  WsClient late(port());
  late.send({{"t", "hello"}, {"v", 1}, {"joinToken", tokenFor("standup", "user_9", "Di", kSecret, -1)}});
  late.expectError("token_expired");
}

TEST(ServerTokenCommand, TheBinaryPrintsATokenTheServerAccepts) {
  ServerProcess process({"token", "--room", "standup", "--peer", "user_42", "--name", "Ann", "--expires-in", "2h"},
                        {"HUDDLE_AUTH_SECRET=" + kSecret});
  std::string out = process.readAll(5000ms);
  EXPECT_EQ(process.waitExit(5000ms), 0);
  ASSERT_FALSE(out.empty());
  auto claims = server::verifyJoinToken(out.substr(0, out.find('\n')), {kSecret}, unixNow());
  ASSERT_TRUE(claims.ok()) << claims.error().message;
  EXPECT_EQ(claims.value().peerId, "user_42");
  EXPECT_NEAR(static_cast<double>(claims.value().expiresAt), static_cast<double>(unixNow() + 7200), 60);

  ServerProcess noSecret({"token", "--room", "standup", "--peer", "user_42", "--name", "Ann"}, {"PATH=/usr/bin"});
  EXPECT_EQ(noSecret.readAll(5000ms), "");
  EXPECT_EQ(noSecret.waitExit(5000ms), 2);
}

}  // namespace
}  // namespace huddle::test
