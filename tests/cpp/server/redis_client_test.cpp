// RedisClient against a real redis-server: replies of every kind, pipelining, commands from several
// threads, what it refuses, AUTH and SELECT.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "redis_test_support.hpp"

namespace huddle::test {
namespace {

using Kind = RedisReply::Kind;

class RedisClientTest : public RedisClientFixture {
 protected:
  RedisClientTest() = default;
  explicit RedisClientTest(std::vector<std::string> redisArgs) : RedisClientFixture(std::move(redisArgs)) {}
};

TEST_F(RedisClientTest, StatusAndStringRepliesAreBinarySafe) {
  startClient(localUrl(redis_.port()));
  const std::string value("a\0b\xff\r\nc", 7);
  RedisResult set = run({"SET", std::string("k\0ey", 4), value});
  ASSERT_TRUE(set.ok()) << set.error;
  EXPECT_EQ(set.reply->kind, Kind::Status);
  EXPECT_EQ(set.reply->text, "OK");
  RedisResult get = run({"GET", std::string("k\0ey", 4)});
  ASSERT_TRUE(get.ok()) << get.error;
  EXPECT_EQ(get.reply->kind, Kind::String);
  EXPECT_EQ(get.reply->text, value);
  EXPECT_TRUE(get.error.empty());
}

TEST_F(RedisClientTest, IntegerAndNilReplies) {
  startClient(localUrl(redis_.port()));
  RedisResult first = run({"INCR", "counter"});
  ASSERT_TRUE(first.ok()) << first.error;
  EXPECT_EQ(first.reply->kind, Kind::Integer);
  EXPECT_EQ(first.reply->integer, 1);
  EXPECT_EQ(run({"INCRBY", "counter", "41"}).reply->integer, 42);
  RedisResult missing = run({"GET", "no-such-key"});
  ASSERT_TRUE(missing.ok()) << missing.error;
  EXPECT_EQ(missing.reply->kind, Kind::Nil);
}

TEST_F(RedisClientTest, AnErrorReplyIsAReplyThatIsNotOk) {
  startClient(localUrl(redis_.port()));
  RedisResult unknown = run({"NOSUCHCOMMAND", "x"});
  ASSERT_TRUE(unknown.reply) << unknown.error;
  EXPECT_EQ(unknown.reply->kind, Kind::Error);
  EXPECT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.reply->text.rfind("ERR", 0), 0u) << unknown.reply->text;
  EXPECT_TRUE(unknown.error.empty());

  run({"SET", "text", "not a number"});
  RedisResult wrongType = run({"INCR", "text"});
  ASSERT_TRUE(wrongType.reply);
  EXPECT_EQ(wrongType.reply->kind, Kind::Error);
  // The connection carries on after an error reply.
  EXPECT_TRUE(run({"PING"}).ok());
}

TEST_F(RedisClientTest, ArrayRepliesFromMgetAndScan) {
  startClient(localUrl(redis_.port()));
  run({"SET", "a", "1"});
  run({"SET", "b", "2"});
  RedisResult mget = run({"MGET", "a", "missing", "b"});
  ASSERT_TRUE(mget.ok()) << mget.error;
  ASSERT_EQ(mget.reply->kind, Kind::Array);
  ASSERT_EQ(mget.reply->elements.size(), 3u);
  EXPECT_EQ(mget.reply->elements[0].text, "1");
  EXPECT_EQ(mget.reply->elements[1].kind, Kind::Nil);
  EXPECT_EQ(mget.reply->elements[2].text, "2");

  // SCAN answers [cursor, [keys...]]: a nested array.
  RedisResult scan = run({"SCAN", "0", "COUNT", "100"});
  ASSERT_TRUE(scan.ok()) << scan.error;
  ASSERT_EQ(scan.reply->kind, Kind::Array);
  ASSERT_EQ(scan.reply->elements.size(), 2u);
  EXPECT_EQ(scan.reply->elements[0].kind, Kind::String);
  EXPECT_EQ(scan.reply->elements[0].text, "0");
  ASSERT_EQ(scan.reply->elements[1].kind, Kind::Array);
  std::vector<std::string> keys;
  for (const auto& key : scan.reply->elements[1].elements) keys.push_back(key.text);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b"}));
}

// Completions are shared with the callbacks, so a failed assertion leaves nothing dangling.
TEST_F(RedisClientTest, AThousandIncrsSentBackToBackCompleteInOrder) {
  startClient(localUrl(redis_.port()));
  constexpr int kCount = 1000;
  struct Seen {
    std::vector<long long> values;  // written only on the client's strand
    std::promise<void> allDone;
  };
  auto seen = std::make_shared<Seen>();
  auto allDone = seen->allDone.get_future();
  for (int i = 0; i < kCount; ++i) {
    client_->command({"INCR", "pipelined"}, [seen, i](RedisResult result) {
      seen->values.push_back(result.ok() ? result.reply->integer : -1);
      if (i == kCount - 1) seen->allDone.set_value();
    });
  }
  ASSERT_EQ(allDone.wait_for(5s), std::future_status::ready);
  ASSERT_EQ(seen->values.size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(seen->values[i], i + 1) << "completion " << i;
  EXPECT_GT(client_->status().lastRoundTripMs, 0.0);
  // Every reply observed, the PING that brought the connection up included.
  EXPECT_GE(client_->status().roundTripSeconds.count(), static_cast<std::uint64_t>(kCount));
}

TEST_F(RedisClientTest, CommandsFromSeveralThreadsAllCompleteOnce) {
  startClient(localUrl(redis_.port()));
  constexpr int kThreads = 4;
  constexpr int kEach = 100;
  struct Counts {
    std::atomic<int> completions{0};
    std::atomic<int> failures{0};
  };
  auto counts = std::make_shared<Counts>();
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        client_->command({"INCR", "shared"}, [counts](RedisResult result) {
          if (!result.ok()) ++counts->failures;
          ++counts->completions;
        });
      }
    });
  }
  for (auto& sender : senders) sender.join();
  ASSERT_TRUE(eventually([&] { return counts->completions == kThreads * kEach; }));
  EXPECT_EQ(counts->failures.load(), 0);
  EXPECT_EQ(run({"GET", "shared"}).reply->text, std::to_string(kThreads * kEach));
  std::this_thread::sleep_for(20ms);  // a second completion of any command would show here
  EXPECT_EQ(counts->completions.load(), kThreads * kEach);
}

TEST_F(RedisClientTest, RefusesEmptyAndSubscribeCommandsAtOnce) {
  startClient(localUrl(redis_.port()));
  RedisResult empty = run({});
  EXPECT_FALSE(empty.reply);
  EXPECT_NE(empty.error.find("empty"), std::string::npos) << empty.error;
  for (const char* name : {"SUBSCRIBE", "psubscribe", "Monitor"}) {
    RedisResult refused = run({name, "channel"});
    EXPECT_FALSE(refused.reply) << name;
    EXPECT_NE(refused.error.find("not supported"), std::string::npos) << refused.error;
  }
  EXPECT_TRUE(run({"PING"}).ok());
}

TEST_F(RedisClientTest, CommandBeforeStartFailsAtOnce) {
  client_ = RedisClient::create(io_.ioc(), localUrl(redis_.port()), fastOptions());
  RedisResult result = run({"PING"});
  EXPECT_FALSE(result.reply);
  EXPECT_EQ(result.error, "redis unavailable: not started");
  EXPECT_FALSE(client_->status().up);
}

TEST_F(RedisClientTest, SelectsTheUrlsDbAgainAfterReconnecting) {
  startClient(localUrl(redis_.port(), 3));
  ASSERT_TRUE(run({"SET", "where", "db3"}).ok());
  EXPECT_EQ(redis_.cli({"-n", "3", "GET", "where"}), "db3");
  EXPECT_EQ(redis_.cli({"-n", "0", "EXISTS", "where"}), "0");

  redis_.kill();
  redis_.restart();
  ASSERT_TRUE(eventually([&] { return recorder_.ups == 2; })) << client_->status().reason;
  ASSERT_TRUE(run({"SET", "again", "db3"}).ok());
  EXPECT_EQ(redis_.cli({"-n", "3", "GET", "again"}), "db3");
  EXPECT_EQ(redis_.cli({"-n", "0", "EXISTS", "again"}), "0");
}

class RedisClientAuthTest : public RedisClientTest {
 protected:
  RedisClientAuthTest() : RedisClientTest({"--requirepass", "secret"}) {}
};

TEST_F(RedisClientAuthTest, TheRightPasswordConnects) {
  RedisUrl url = localUrl(redis_.port());
  url.password = "secret";
  startClient(url);
  EXPECT_EQ(run({"PING"}).reply->text, "PONG");
  EXPECT_EQ(recorder_.ups.load(), 1);
}

TEST_F(RedisClientAuthTest, AUserAndPasswordConnect) {
  RedisUrl url = localUrl(redis_.port(), 2);
  url.username = "default";
  url.password = "secret";
  startClient(url);
  ASSERT_TRUE(run({"SET", "k", "v"}).ok());
  EXPECT_EQ(redis_.cli({"-a", "secret", "--no-auth-warning", "-n", "2", "GET", "k"}), "v");
}

TEST_F(RedisClientAuthTest, AWrongPasswordStaysDownSayingAuthenticationFailed) {
  RedisUrl url = localUrl(redis_.port());
  url.password = "hunter2-wrong";
  client_ = RedisClient::create(io_.ioc(), url, fastOptions());
  recorder_.attach(*client_);
  client_->start();
  // Several attempts, each refused.
  ASSERT_TRUE(eventually([&] { return recorder_.downs >= 3; })) << client_->status().reason;
  const auto status = client_->status();
  EXPECT_FALSE(status.up);
  EXPECT_EQ(recorder_.ups.load(), 0);
  EXPECT_GE(status.reconnects, 2u);
  EXPECT_NE(status.reason.find("authentication failed"), std::string::npos) << status.reason;
  EXPECT_EQ(status.reason.find("hunter2"), std::string::npos) << status.reason;
  EXPECT_NE(recorder_.firstReason().find("authentication failed"), std::string::npos) << recorder_.firstReason();
  RedisResult result = run({"PING"});
  EXPECT_EQ(result.error.rfind("redis unavailable: ", 0), 0u) << result.error;
  EXPECT_EQ(result.error.find("hunter2"), std::string::npos) << result.error;
}

TEST_F(RedisClientAuthTest, NoPasswordForAServerThatWantsOneStaysDown) {
  client_ = RedisClient::create(io_.ioc(), localUrl(redis_.port()), fastOptions());
  recorder_.attach(*client_);
  client_->start();
  ASSERT_TRUE(eventually([&] { return recorder_.downs >= 2; })) << client_->status().reason;
  EXPECT_EQ(recorder_.ups.load(), 0);
  EXPECT_FALSE(client_->status().up);
  EXPECT_NE(client_->status().reason.find("NOAUTH"), std::string::npos) << client_->status().reason;
}

}  // namespace
}  // namespace huddle::test
