// What the Redis client's tests share: an io_context on two threads (so the strand matters), a
// blocking way to run one command, a recorder of onUp/onDown, waiting for a condition, and a
// fixture with one redis-server and one client.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <gtest/gtest.h>

#include "redis_process.hpp"
#include "server/redis_client.hpp"
#include "server_fixture.hpp"

namespace huddle::test {

using namespace std::chrono_literals;
using server::RedisClient;
using server::RedisReply;
using server::RedisResult;
using server::RedisUrl;
namespace net = server::net;

// Short waits, so fault tests take tenths of a second.
inline RedisClient::Options fastOptions() {
  RedisClient::Options options;
  options.connectTimeout = 1000ms;
  options.reconnectMin = 20ms;
  options.reconnectMax = 100ms;
  options.replyTimeout = 1000ms;
  options.keepAlive = 50ms;
  return options;
}

// A huddle-server node for tests on the redis-server at `redisPort`: loopback, any port, named
// `nodeId`, a 30 s grace, a short lease (so a stopped node's rooms can be taken over soon).
inline server::ServerConfig nodeConfig(unsigned short redisPort, const std::string& nodeId, double leaseMs = 600) {
  server::ServerConfig c = testConfig();
  c.redisUrl = "redis://127.0.0.1:" + std::to_string(redisPort) + "/0";
  c.memberGraceMs = 30000;
  c.logEvents = false;
  c.nodeId = nodeId;
  c.nodeLeaseMs = leaseMs;
  return c;
}

inline RedisUrl localUrl(unsigned short port, int db = 0) {
  RedisUrl url;
  url.port = port;
  url.db = db;
  return url;
}

// True once `condition` holds, false if it still does not after `timeout`.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 2000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

class IoThreads {
 public:
  explicit IoThreads(int count = 2) {
    for (int i = 0; i < count; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~IoThreads() {
    work_.reset();
    ioc_.stop();
    for (auto& thread : threads_) thread.join();
  }
  net::io_context& ioc() { return ioc_; }
  // Lets run() return once no work is left; false if work is still outstanding after `timeout`
  // (a timer or a wait that stop() should have ended).
  bool drain(std::chrono::milliseconds timeout = 2000ms) {
    work_.reset();
    return eventually([this] { return ioc_.stopped(); }, timeout);
  }

 private:
  net::io_context ioc_;
  net::executor_work_guard<net::io_context::executor_type> work_{ioc_.get_executor()};
  std::vector<std::thread> threads_;
};

// Sends one command and waits (up to 2 s) for its completion.
inline RedisResult runCommand(RedisClient& client, std::vector<std::string> argv) {
  auto promise = std::make_shared<std::promise<RedisResult>>();
  auto future = promise->get_future();
  client.command(std::move(argv), [promise](RedisResult result) { promise->set_value(std::move(result)); });
  if (future.wait_for(2s) != std::future_status::ready) return RedisResult{std::nullopt, "test: no completion in 2 s"};
  return future.get();
}

// Whether redis holds a client blocked in BLPOP (so a command is in flight, not just posted).
inline bool blockedInBlpop(const RedisProcess& redis) {
  return redis.cli({"CLIENT", "LIST"}).find("cmd=blpop") != std::string::npos;
}

// How many clients redis has (a redis-cli asking counts as one).
inline int connectedClients(const RedisProcess& redis) {
  const std::string info = redis.cli({"INFO", "clients"});
  const std::string field = "connected_clients:";
  const auto at = info.find(field);
  return at == std::string::npos ? -1 : std::atoi(info.c_str() + at + field.size());
}

// A TCP listener on 127.0.0.1 that never accepts and never answers: the kernel completes
// handshakes from its backlog, so a connect succeeds and then nothing comes back.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(fd_, 64) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  unsigned short port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
};

// Counts onUp and onDown calls and keeps the reasons.
struct UpDownRecorder {
  std::atomic<int> ups{0};
  std::atomic<int> downs{0};
  std::mutex mutex;
  std::vector<std::string> reasons;
  std::vector<std::chrono::steady_clock::time_point> downTimes;

  void attach(RedisClient& client) {
    client.onUp([this] { ++ups; });
    client.onDown([this](std::string reason) {
      std::lock_guard lock(mutex);
      reasons.push_back(std::move(reason));
      downTimes.push_back(std::chrono::steady_clock::now());
      ++downs;
    });
  }
  std::string firstReason() {
    std::lock_guard lock(mutex);
    return reasons.empty() ? std::string() : reasons.front();
  }
};

// One redis-server and one client per test; TearDown stops the client and checks that nothing is
// left running on the io_context.
class RedisClientFixture : public ::testing::Test {
 protected:
  explicit RedisClientFixture(std::vector<std::string> redisArgs = {}) : redis_(std::move(redisArgs)) {}

  void TearDown() override {
    if (client_) client_->stop();
    EXPECT_TRUE(io_.drain()) << "work left on the io_context after stop()";
  }

  // Starts a client for `url` and waits until it is up.
  void startClient(RedisUrl url) {
    client_ = RedisClient::create(io_.ioc(), std::move(url), fastOptions());
    recorder_.attach(*client_);
    client_->start();
    ASSERT_TRUE(eventually([&] { return client_->status().up; })) << client_->status().reason;
  }

  bool blockedInBlpop() { return test::blockedInBlpop(redis_); }
  int connectedClients() { return test::connectedClients(redis_); }

  RedisResult run(std::vector<std::string> argv) { return runCommand(*client_, std::move(argv)); }

  RedisProcess redis_;
  UpDownRecorder recorder_;
  IoThreads io_;
  std::shared_ptr<RedisClient> client_;
};

}  // namespace huddle::test
