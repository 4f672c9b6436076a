// RedisClient when things go wrong, with a real redis-server killed (SIGKILL) and started again:
// waiting commands fail exactly once, commands while down fail at once, the client comes back by
// itself, stop() ends everything, a silent server meets the connect timeout.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <string>

#include <gtest/gtest.h>

#include "redis_test_support.hpp"

namespace huddle::test {
namespace {

using Clock = std::chrono::steady_clock;

class RedisClientFaultTest : public RedisClientFixture {
 protected:
  static constexpr std::size_t kInFlight = 6;

  // BLPOP on an empty list (it blocks the connection) and five GETs queued behind it, all waiting
  // for a reply once redis shows the BLPOP. Each completion is counted.
  void sendCommandsThatWait() {
    for (std::size_t i = 0; i < kInFlight; ++i) {
      std::vector<std::string> argv = i == 0 ? std::vector<std::string>{"BLPOP", "empty-list", "0"}
                                             : std::vector<std::string>{"GET", "k"};
      client_->command(std::move(argv), [this, i](RedisResult result) {
        results_[i] = std::move(result);
        ++completions_[i];
      });
    }
    ASSERT_TRUE(eventually([&] { return blockedInBlpop(); })) << "BLPOP never reached redis";
  }
  bool allCompleted() {
    for (const auto& count : completions_)
      if (count == 0) return false;
    return true;
  }
  void expectEachCompletedOnceWithError(const std::string& error) {
    for (std::size_t i = 0; i < kInFlight; ++i) {
      EXPECT_EQ(completions_[i].load(), 1) << "command " << i;
      EXPECT_FALSE(results_[i].reply) << "command " << i;
      EXPECT_EQ(results_[i].error, error) << "command " << i;
    }
  }

  std::array<std::atomic<int>, kInFlight> completions_{};
  std::array<RedisResult, kInFlight> results_;  // each written once, before its count
};

TEST_F(RedisClientFaultTest, KillingRedisFailsTheWaitingCommandsAndCallsOnDown) {
  startClient(localUrl(redis_.port()));
  sendCommandsThatWait();
  redis_.kill();
  ASSERT_TRUE(eventually([&] { return allCompleted(); }));
  std::this_thread::sleep_for(50ms);  // time for a second completion to show
  for (std::size_t i = 0; i < kInFlight; ++i) {
    EXPECT_EQ(completions_[i].load(), 1) << "command " << i;
    EXPECT_FALSE(results_[i].reply);
    EXPECT_EQ(results_[i].error.rfind("no reply from redis: ", 0), 0u) << results_[i].error;
  }
  ASSERT_TRUE(eventually([&] { return recorder_.downs >= 1; }));
  EXPECT_NE(recorder_.firstReason().find("lost"), std::string::npos) << recorder_.firstReason();
  const auto status = client_->status();
  EXPECT_FALSE(status.up);
  EXPECT_FALSE(status.reason.empty());
}

// hiredis owns the socket and closes it after the disconnect callback, in which onDown runs; if
// the adapter closed it too, a file opened meanwhile could get its number and be closed by
// hiredis. So: files opened in onDown stay open and stay what they were.
TEST_F(RedisClientFaultTest, LosingTheConnectionClosesNoFileButItsSocket) {
  client_ = RedisClient::create(io_.ioc(), localUrl(redis_.port()), fastOptions());
  struct Opened {
    std::vector<int> files;  // written in onDown on the strand before `downs` counts it
    std::atomic<int> downs{0};
  };
  auto opened = std::make_shared<Opened>();
  client_->onDown([opened](std::string) {
    if (opened->downs == 0)
      for (int i = 0; i < 32; ++i) opened->files.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    ++opened->downs;
  });
  client_->start();
  ASSERT_TRUE(eventually([&] { return client_->status().up; }));
  redis_.kill();
  ASSERT_TRUE(eventually([&] { return opened->downs >= 3; }));  // and reconnect attempts opened sockets
  for (int fd : opened->files) {
    ASSERT_GE(fd, 0);
    char target[64] = {};
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    EXPECT_GT(::readlink(link.c_str(), target, sizeof target - 1), 0) << "fd " << fd << " was closed";
    EXPECT_STREQ(target, "/dev/null") << "fd " << fd;
    ::close(fd);
  }
}

TEST_F(RedisClientFaultTest, ACommandWhileRedisIsDownFailsAtOnce) {
  startClient(localUrl(redis_.port()));
  redis_.kill();
  ASSERT_TRUE(eventually([&] { return !client_->status().up; }));
  // Through several reconnect attempts: the answer never waits for one.
  for (int i = 0; i < 10; ++i) {
    const auto began = Clock::now();
    RedisResult result = run({"PING"});
    EXPECT_LT(Clock::now() - began, 200ms);
    EXPECT_FALSE(result.reply);
    EXPECT_EQ(result.error.rfind("redis unavailable: ", 0), 0u) << result.error;
    std::this_thread::sleep_for(15ms);
  }
}

// A Redis that stops answering (SIGSTOP) without closing anything: the idle connection's PING gets
// no reply, so the client is down within the reply timeout, says why, and is back once it answers.
TEST_F(RedisClientFaultTest, AHungRedisIsDownWithinTheReplyTimeoutAndBackWhenItAnswers) {
  startClient(localUrl(redis_.port()));
  redis_.pause();
  const auto began = Clock::now();
  ASSERT_TRUE(eventually([&] { return !client_->status().up; }, 3000ms));
  EXPECT_LT(Clock::now() - began, 2000ms);  // 1 s of reply timeout, a keep-alive, and no more
  EXPECT_NE(client_->status().reason.find("no reply"), std::string::npos) << client_->status().reason;
  EXPECT_EQ(run({"GET", "k"}).error.rfind("redis unavailable: ", 0), 0u);  // at once, not hanging
  redis_.resume();
  ASSERT_TRUE(eventually([&] { return client_->status().up; }, 3000ms)) << client_->status().reason;
  ASSERT_TRUE(run({"SET", "after", "1"}).ok());
}

TEST_F(RedisClientFaultTest, ReconnectsByItselfWhenRedisComesBack) {
  startClient(localUrl(redis_.port()));
  ASSERT_TRUE(run({"SET", "before", "1"}).ok());
  redis_.kill();
  ASSERT_TRUE(eventually([&] { return !client_->status().up; }));
  // It keeps trying while redis is away (and each failed attempt is reported).
  ASSERT_TRUE(eventually([&] { return client_->status().reconnects >= 3; }));
  EXPECT_GE(recorder_.downs.load(), 3);
  EXPECT_NE(client_->status().reason.find("cannot connect"), std::string::npos) << client_->status().reason;

  redis_.restart();
  const auto began = Clock::now();
  // The backoff is capped at 100 ms here: back well within a second.
  ASSERT_TRUE(eventually([&] { return client_->status().up; }, 1000ms)) << client_->status().reason;
  EXPECT_LT(Clock::now() - began, 1000ms);
  EXPECT_TRUE(eventually([&] { return recorder_.ups == 2; }));
  EXPECT_EQ(client_->status().reason, "");
  ASSERT_TRUE(run({"SET", "after", "2"}).ok());
  EXPECT_EQ(run({"GET", "after"}).reply->text, "2");
}

TEST_F(RedisClientFaultTest, StartingWhileRedisIsDownConnectsWhenItComes) {
  redis_.kill();
  client_ = RedisClient::create(io_.ioc(), localUrl(redis_.port()), fastOptions());
  recorder_.attach(*client_);
  client_->start();
  ASSERT_TRUE(eventually([&] { return recorder_.downs >= 2; }));
  EXPECT_NE(recorder_.firstReason().find("cannot connect to 127.0.0.1:"), std::string::npos)
      << recorder_.firstReason();
  EXPECT_FALSE(client_->status().up);
  redis_.restart();
  ASSERT_TRUE(eventually([&] { return client_->status().up; }, 1000ms)) << client_->status().reason;
  // (up shows a moment before onUp has run, on another thread)
  EXPECT_TRUE(eventually([&] { return recorder_.ups.load() == 1; }));
  EXPECT_TRUE(run({"PING"}).ok());
}

TEST_F(RedisClientFaultTest, TheWaitBetweenAttemptsGrowsUpToTheCap) {
  redis_.kill();
  client_ = RedisClient::create(io_.ioc(), localUrl(redis_.port()), fastOptions());  // 20 ms doubling to 100 ms
  recorder_.attach(*client_);
  client_->start();
  // A refused connect fails within a millisecond, so the gaps between failures are the waits:
  // drawn from [10, 20], [20, 40], [40, 80], then [50, 100] ms.
  constexpr int kAttempts = 8;
  ASSERT_TRUE(eventually([&] { return recorder_.downs >= kAttempts; }, 4000ms));
  std::lock_guard lock(recorder_.mutex);
  std::chrono::steady_clock::duration total{};
  for (int i = 1; i < kAttempts; ++i) {
    const auto gap = recorder_.downTimes[i] - recorder_.downTimes[i - 1];
    EXPECT_GE(gap, 9ms) << "attempt " << i;
    EXPECT_LT(gap, 400ms) << "attempt " << i << ": the cap is 100 ms";
    total += gap;
  }
  EXPECT_GE(total, 10ms + 20ms + 40ms + 4 * 50ms);
}

TEST_F(RedisClientFaultTest, StopCompletesTheCommandsInFlightExactlyOnce) {
  startClient(localUrl(redis_.port()));
  sendCommandsThatWait();
  ASSERT_EQ(connectedClients(), 2);  // the client and this redis-cli
  // From several threads at once, and again: one stop.
  std::vector<std::thread> stoppers;
  for (int i = 0; i < 3; ++i) stoppers.emplace_back([&] { client_->stop(); });
  for (auto& stopper : stoppers) stopper.join();
  client_->stop();
  RedisResult after = run({"PING"});
  EXPECT_EQ(after.error, "redis unavailable: stopped");

  ASSERT_TRUE(eventually([&] { return allCompleted(); }));
  std::this_thread::sleep_for(50ms);
  expectEachCompletedOnceWithError("no reply from redis: client stopped");
  EXPECT_EQ(recorder_.downs.load(), 0) << "stop() is not a connection lost";
  EXPECT_FALSE(client_->status().up);
  EXPECT_EQ(client_->status().reason, "stopped");
  EXPECT_TRUE(eventually([&] { return connectedClients() == 1; })) << "the connection stayed open";
}

TEST_F(RedisClientFaultTest, AnAttemptThatGetsNoAnswerEndsAtTheConnectTimeout) {
  // The TCP connect succeeds and the setup's PING waits for an answer that never comes.
  SilentListener listener;
  RedisUrl url = localUrl(listener.port());
  auto options = fastOptions();
  options.connectTimeout = 300ms;
  client_ = RedisClient::create(io_.ioc(), url, options);
  recorder_.attach(*client_);
  const auto began = Clock::now();
  client_->start();
  ASSERT_TRUE(eventually([&] { return recorder_.downs >= 1; }));
  const auto elapsed = Clock::now() - began;
  EXPECT_GE(elapsed, 280ms);
  EXPECT_LT(elapsed, 1000ms);
  EXPECT_NE(recorder_.firstReason().find("within 300 ms"), std::string::npos) << recorder_.firstReason();
  EXPECT_FALSE(client_->status().up);
  client_->stop();
  EXPECT_TRUE(io_.drain());
}

// The io_context going away first (a server torn down without stop()) must neither crash nor run
// a callback nor leave the connection open.
TEST(RedisClientLifetime, DestroyingTheIoContextWithoutStopClosesTheConnectionQuietly) {
  RedisProcess redis;
  std::atomic<bool> ran{false};
  auto ioc = std::make_unique<net::io_context>();
  auto work = net::make_work_guard(*ioc);
  std::thread thread([&] { ioc->run(); });
  auto client = RedisClient::create(*ioc, localUrl(redis.port()), fastOptions());
  client->start();
  EXPECT_TRUE(eventually([&] { return client->status().up; }));
  client->command({"BLPOP", "empty-list", "0"}, [&](RedisResult) { ran = true; });
  EXPECT_TRUE(eventually([&] { return blockedInBlpop(redis); }));
  client.reset();  // its own waits still hold it
  ioc->stop();
  thread.join();
  work.reset();
  ioc.reset();  // destroys the waits, and with them the client
  EXPECT_FALSE(ran);
  EXPECT_TRUE(eventually([&] { return connectedClients(redis) == 1; })) << "the connection stayed open";
}

}  // namespace
}  // namespace huddle::test
