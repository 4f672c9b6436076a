// RedisSyncClient, the blocking client for start-up: commands on the URL's db, AUTH, and errors
// that come within the timeout instead of a hang.
#include <gtest/gtest.h>

#include "redis_test_support.hpp"

namespace huddle::test {
namespace {

using server::RedisSyncClient;
using Clock = std::chrono::steady_clock;

TEST(RedisSyncClient, RunsCommandsOnTheUrlsDb) {
  RedisProcess redis;
  std::string error;
  auto client = RedisSyncClient::connect(localUrl(redis.port(), 3), 1000ms, error);
  ASSERT_TRUE(client) << error;
  RedisResult set = client->command({"SET", "k", std::string("v\0w", 3)});
  ASSERT_TRUE(set.ok()) << set.error;
  RedisResult get = client->command({"GET", "k"});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get.reply->kind, RedisReply::Kind::String);
  EXPECT_EQ(get.reply->text, std::string("v\0w", 3));
  EXPECT_EQ(redis.cli({"-n", "3", "STRLEN", "k"}), "3");
  EXPECT_EQ(redis.cli({"-n", "0", "EXISTS", "k"}), "0");
  RedisResult wrong = client->command({"NOSUCHCOMMAND"});
  ASSERT_TRUE(wrong.reply);
  EXPECT_EQ(wrong.reply->kind, RedisReply::Kind::Error);
  EXPECT_FALSE(wrong.ok());

  RedisSyncClient moved = std::move(*client);
  EXPECT_TRUE(moved.command({"PING"}).ok());
}

TEST(RedisSyncClient, ConnectingWhereNothingListensFailsWithinTheTimeout) {
  const unsigned short port = freeLocalPort();
  std::string error;
  const auto began = Clock::now();
  auto client = RedisSyncClient::connect(localUrl(port), 500ms, error);
  EXPECT_LT(Clock::now() - began, 500ms);
  EXPECT_FALSE(client);
  EXPECT_NE(error.find("cannot connect to redis://127.0.0.1:" + std::to_string(port)), std::string::npos) << error;
}

TEST(RedisSyncClient, AServerThatNeverAnswersFailsWithinTheTimeout) {
  SilentListener listener;
  std::string error;
  const auto began = Clock::now();
  auto client = RedisSyncClient::connect(localUrl(listener.port()), 300ms, error);
  const auto elapsed = Clock::now() - began;
  EXPECT_FALSE(client);
  EXPECT_GE(elapsed, 280ms);
  EXPECT_LT(elapsed, 1000ms);
  EXPECT_NE(error.find("PING failed"), std::string::npos) << error;
}

TEST(RedisSyncClient, AWrongOrMissingPasswordFailsToConnect) {
  RedisProcess redis({"--requirepass", "secret"});
  RedisUrl url = localUrl(redis.port());
  url.password = "hunter2-wrong";
  std::string error;
  EXPECT_FALSE(RedisSyncClient::connect(url, 1000ms, error));
  EXPECT_NE(error.find("authentication failed"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;

  url.password = "";
  EXPECT_FALSE(RedisSyncClient::connect(url, 1000ms, error));
  EXPECT_NE(error.find("NOAUTH"), std::string::npos) << error;

  url.password = "secret";
  auto client = RedisSyncClient::connect(url, 1000ms, error);
  ASSERT_TRUE(client) << error;
  EXPECT_EQ(client->command({"PING"}).reply->text, "PONG");
}

TEST(RedisSyncClient, ACommandAfterRedisDiedReturnsAnError) {
  RedisProcess redis;
  std::string error;
  auto client = RedisSyncClient::connect(localUrl(redis.port()), 1000ms, error);
  ASSERT_TRUE(client) << error;
  redis.kill();
  const auto began = Clock::now();
  RedisResult result = client->command({"PING"});
  EXPECT_LT(Clock::now() - began, 1000ms);
  EXPECT_FALSE(result.reply);
  EXPECT_FALSE(result.error.empty());
  EXPECT_FALSE(client->command({"PING"}).reply) << "a failed connection stays failed";
}

}  // namespace
}  // namespace huddle::test
