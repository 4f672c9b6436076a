// The Redis client huddle-server's optional Redis backend uses (`--redis`): one connection, driven
// by hiredis on an Asio strand, that reconnects by itself; and a blocking client for start-up.
//
// Commands are never queued while the connection is down: they fail at once with "redis
// unavailable: <reason>", and the caller decides what to retry. That keeps every caller's wait
// bounded by the round trip of a live connection, and a Redis outage visible where it happens.
#pragma once

#include <chrono>
#include <deque>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "huddle/histogram.hpp"
#include "server/net.hpp"
#include "server/redis_reply.hpp"
#include "server/redis_url.hpp"

struct redisAsyncContext;
struct redisContext;

namespace huddle::server {

class RedisAsioAdapter;

// RedisClient::Options.
struct RedisClientOptions {
  // Until the connection is ready (TCP connect, AUTH, SELECT, PING); a slower attempt fails.
  std::chrono::milliseconds connectTimeout{2000};
  // The wait before a new attempt doubles after each failure, from reconnectMin up to
  // reconnectMax, and starts again from reconnectMin once a connection is ready. Each wait is
  // drawn between half and all of that, so servers that lost Redis together do not all return
  // at the same instant.
  std::chrono::milliseconds reconnectMin{100};
  std::chrono::milliseconds reconnectMax{5000};
  // A ready connection whose oldest command has had no reply this long is given up (and made
  // again): a Redis that hangs (paused, swapping, a network that drops packets silently) is
  // down, not slow forever. Every keepAlive without a command, a PING checks that it answers.
  std::chrono::milliseconds replyTimeout{3000};
  std::chrono::milliseconds keepAlive{1000};
};

class RedisClient : public std::enable_shared_from_this<RedisClient> {
 public:
  // Declared outside the class only so that `Options options = {}` can be a default argument
  // (a nested class's member initializers are not usable inside its enclosing class).
  using Options = RedisClientOptions;

  // Nothing happens until start(). Once started, the client runs until stop() even if nobody
  // holds it: every wait and timer holds it (so no callback ever reaches a destroyed client).
  static std::shared_ptr<RedisClient> create(net::io_context& ioc, RedisUrl url, Options options = {});
  ~RedisClient();

  // Connects (then AUTH if the URL has a password, SELECT if its db is not 0, and PING, so that
  // "up" means Redis answers) and, whenever the connection drops or an attempt fails, reconnects
  // after the backoff above. Thread-safe; a second call does nothing.
  void start();
  // Closes the connection for good: commands still waiting complete with an error (each exactly
  // once), later ones fail at once, no reconnect follows, and onUp/onDown are not called again
  // (nor for this close). Thread-safe and idempotent; it posts onto the strand and does not wait,
  // so it may be called from any callback.
  void stop();

  // Sends one command: argv[0] is the command name, every argument binary-safe. `done` runs
  // exactly once, on the client's strand, and must not throw. While the connection is not ready
  // it completes at once with error "redis unavailable: <reason>". Commands sent on one
  // connection are pipelined and their replies come back in the order sent (calls from one
  // thread are sent in call order). If the io_context is destroyed with a command still waiting,
  // its `done` is destroyed without running.
  void command(std::vector<std::string> argv, std::function<void(RedisResult)> done);

  struct Status {
    bool up = false;             // a connection is ready for commands
    std::string reason;          // why it is down ("" when up)
    std::uint64_t reconnects = 0;  // connection attempts after the first (failed ones included)
    double lastRoundTripMs = 0;  // the latest reply's time from send to reply, in milliseconds
    // Every reply's round trip, seconds (huddle_redis_round_trip_seconds on /metrics).
    Histogram roundTripSeconds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 3};
  };
  Status status() const;  // thread-safe

  // Called on the strand each time a connection is ready (after AUTH/SELECT/PING). Set before start().
  void onUp(std::function<void()> handler);
  // Called on the strand each time a ready connection is lost or a connection attempt fails, with
  // the reason (the same text as status().reason). Set before start().
  void onDown(std::function<void(std::string reason)> handler);

  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

 private:
  struct Pending;
  using Clock = std::chrono::steady_clock;

  RedisClient(net::io_context& ioc, RedisUrl url, Options options);

  // All below run on the strand.
  void connect();
  void sendSetup();
  void becomeReady();
  void abandon(std::string reason);
  void connectionEnded(std::string reason);
  void scheduleReconnect();
  // Every keepAlive while ready: gives up a connection whose oldest reply is overdue, or PINGs an
  // idle one.
  void scheduleWatch();
  void send(std::vector<std::string> argv, std::function<void(RedisResult)> done);
  void setStatus(bool up, std::string reason);
  std::string lostReason() const;

  // hiredis callbacks; the context's `data` is the client.
  static void onConnected(const redisAsyncContext* ac, int status);
  static void onDisconnected(const redisAsyncContext* ac, int status);
  static void onSetupReply(redisAsyncContext* ac, void* reply, void* privdata);
  static void onReply(redisAsyncContext* ac, void* reply, void* privdata);

  net::strand<net::io_context::executor_type> strand_;
  const RedisUrl url_;
  const Options options_;
  net::steady_timer connectTimer_;
  net::steady_timer reconnectTimer_;
  net::steady_timer watchTimer_;
  std::minstd_rand jitter_;

  // The strand's state.
  bool started_ = false;
  bool stopped_ = false;
  redisAsyncContext* ac_ = nullptr;  // the current connection (connecting, in setup, or ready)
  std::shared_ptr<RedisAsioAdapter> adapter_;
  bool ready_ = false;
  // When each command on the ready connection was sent, oldest first (replies come in order).
  std::deque<Clock::time_point> inFlight_;
  Clock::time_point lastReply_;
  int setupRepliesLeft_ = 0;
  std::string abandonReason_;  // set when we close the current connection ourselves
  std::uint64_t attempts_ = 0;  // connect attempts so far; also tells stale timer handlers apart
  std::chrono::milliseconds backoff_;
  std::function<void()> upHandler_;
  std::function<void(std::string)> downHandler_;

  mutable std::mutex statusMutex_;
  Status status_;  // under statusMutex_
};

// Blocking, for start-up (before the server listens): one connection, commands one at a time,
// each bounded by the connect timeout. Move-only; frees its connection when destroyed.
class RedisSyncClient {
 public:
  // Connects, then AUTH and SELECT as the URL says, then PING; nullopt with `error` set (one
  // line, never the password) on any failure, within about `timeout` per step.
  static std::optional<RedisSyncClient> connect(const RedisUrl& url, std::chrono::milliseconds timeout,
                                                std::string& error);
  // The reply, or `error` when the connection failed (after which every command fails).
  RedisResult command(const std::vector<std::string>& argv);

  RedisSyncClient(RedisSyncClient&&) noexcept = default;
  RedisSyncClient& operator=(RedisSyncClient&&) noexcept = default;
  ~RedisSyncClient() = default;

 private:
  struct Free {
    void operator()(redisContext* context) const;
  };
  explicit RedisSyncClient(redisContext* context) : context_(context) {}
  std::unique_ptr<redisContext, Free> context_;
};

}  // namespace huddle::server
