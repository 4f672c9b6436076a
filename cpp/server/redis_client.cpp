#include "server/redis_client.hpp"

#include <fcntl.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "server/redis_asio_adapter.hpp"

// The hiredis 0.14 behaviour this file relies on (async.c):
// - A failed TCP connect calls the connect callback with REDIS_ERR and then frees the context
//   itself; the disconnect callback runs only for a context that had connected.
// - Freeing a context (redisAsyncFree, or a lost connection) first calls every waiting reply
//   callback with a NULL reply, then ev.cleanup, then the disconnect callback.
// - redisAsyncFree inside a reply callback is deferred until that callback returns.
// - redisAsyncConnect resolves the host with a blocking getaddrinfo (only an address or a name in
//   /etc/hosts is instant) and starts a non-blocking connect.

namespace huddle::server {
namespace {

std::string endpoint(const RedisUrl& url) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

RedisResult failure(std::string error) { return RedisResult{std::nullopt, std::move(error)}; }

// hiredis hands every callback of a SUBSCRIBE or MONITOR connection each message that arrives,
// which breaks "done runs exactly once"; those need a connection of their own.
bool isSubscription(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "subscribe" || lower == "psubscribe" || lower == "ssubscribe" || lower == "unsubscribe" ||
         lower == "punsubscribe" || lower == "sunsubscribe" || lower == "monitor";
}

std::vector<std::string> authCommand(const RedisUrl& url) {
  std::vector<std::string> auth{"AUTH"};
  if (!url.username.empty()) auth.push_back(url.username);
  auth.push_back(url.password);
  return auth;
}

int sendArgv(redisAsyncContext* ac, redisCallbackFn* fn, void* privdata, const std::vector<std::string>& argv) {
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  pointers.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const auto& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAsyncCommandArgv(ac, fn, privdata, static_cast<int>(argv.size()), pointers.data(), lengths.data());
}

// What a setup command's reply callback is told, to name the step that failed.
constexpr const char kAuthStep[] = "authentication failed";
constexpr const char kSelectStep[] = "SELECT failed";
constexpr const char kPingStep[] = "PING failed";

}  // namespace

struct RedisClient::Pending {
  std::function<void(RedisResult)> done;
  Clock::time_point sentAt;
};

std::shared_ptr<RedisClient> RedisClient::create(net::io_context& ioc, RedisUrl url, Options options) {
  return std::shared_ptr<RedisClient>(new RedisClient(ioc, std::move(url), options));
}

RedisClient::RedisClient(net::io_context& ioc, RedisUrl url, Options options)
    : strand_(net::make_strand(ioc)),
      url_(std::move(url)),
      options_(options),
      connectTimer_(strand_),
      reconnectTimer_(strand_),
      watchTimer_(strand_),
      jitter_(std::random_device{}()),
      backoff_(options.reconnectMin) {
  status_.reason = "not started";
}

// With a connection still open only when the io_context was destroyed before stop() ran (every
// wait and timer holds the client otherwise): close it quietly, as nothing may be called now.
RedisClient::~RedisClient() {
  if (ac_ == nullptr) return;
  stopped_ = true;
  upHandler_ = nullptr;
  downHandler_ = nullptr;
  ac_->onDisconnect = nullptr;
  ac_->data = nullptr;  // onReply then drops each waiting `done` without running it
  redisAsyncFree(std::exchange(ac_, nullptr));
}

void RedisClient::start() {
  net::post(strand_, [self = shared_from_this()] {
    if (self->started_ || self->stopped_) return;
    self->started_ = true;
    self->setStatus(false, "connecting");
    self->connect();
  });
}

void RedisClient::stop() {
  net::post(strand_, [self = shared_from_this()] {
    if (self->stopped_) return;
    self->stopped_ = true;
    self->upHandler_ = nullptr;
    self->downHandler_ = nullptr;
    self->connectTimer_.cancel();
    self->reconnectTimer_.cancel();
    self->watchTimer_.cancel();
    self->abandon("client stopped");
    self->setStatus(false, "stopped");
  });
}

void RedisClient::onUp(std::function<void()> handler) {
  net::post(strand_, [self = shared_from_this(), handler = std::move(handler)]() mutable {
    if (!self->stopped_) self->upHandler_ = std::move(handler);
  });
}

void RedisClient::onDown(std::function<void(std::string)> handler) {
  net::post(strand_, [self = shared_from_this(), handler = std::move(handler)]() mutable {
    if (!self->stopped_) self->downHandler_ = std::move(handler);
  });
}

RedisClient::Status RedisClient::status() const {
  std::lock_guard lock(statusMutex_);
  return status_;
}

void RedisClient::setStatus(bool up, std::string reason) {
  std::lock_guard lock(statusMutex_);
  status_.up = up;
  status_.reason = std::move(reason);
}

void RedisClient::connect() {
  if (stopped_) return;
  if (attempts_++ > 0) {
    std::lock_guard lock(statusMutex_);
    ++status_.reconnects;
  }
  ready_ = false;
  abandonReason_.clear();
  redisAsyncContext* ac = redisAsyncConnect(url_.host.c_str(), url_.port);
  if (ac == nullptr || ac->err) {
    std::string reason = "cannot connect to " + endpoint(url_) + ": " + (ac ? ac->errstr : "out of memory");
    if (ac) redisAsyncFree(ac);  // no hooks yet, so nothing is called back
    connectionEnded(std::move(reason));
    return;
  }
  ::fcntl(ac->c.fd, F_SETFD, FD_CLOEXEC);  // hiredis 0.14 opens it without; no child inherits it
  adapter_ = RedisAsioAdapter::attach(ac, strand_, shared_from_this());
  if (!adapter_) {
    redisAsyncFree(ac);
    connectionEnded("cannot watch the connection to " + endpoint(url_) + " (Asio refused its fd)");
    return;
  }
  ac->data = this;
  ac_ = ac;
  redisAsyncSetDisconnectCallback(ac, &RedisClient::onDisconnected);
  redisAsyncSetConnectCallback(ac, &RedisClient::onConnected);  // waits for the connect to finish

  connectTimer_.expires_after(options_.connectTimeout);
  connectTimer_.async_wait([self = shared_from_this(), attempt = attempts_](beast::error_code ec) {
    if (ec || self->attempts_ != attempt || self->ac_ == nullptr || self->ready_) return;
    self->abandon("no connection to " + endpoint(self->url_) + " within " +
                  std::to_string(self->options_.connectTimeout.count()) + " ms");
  });
}

void RedisClient::onConnected(const redisAsyncContext* ac, int status) {
  auto* self = static_cast<RedisClient*>(ac->data);
  if (self == nullptr || ac != self->ac_) return;
  if (status != REDIS_OK) {
    // hiredis frees the context as soon as this returns.
    self->connectionEnded("cannot connect to " + endpoint(self->url_) + ": " + ac->errstr);
    return;
  }
  self->sendSetup();
}

// AUTH and SELECT when the URL asks for them, then PING, pipelined; the connection is ready when
// all have answered OK. The PING makes "up" mean that Redis answers, and that it answers us: a
// server that wants a password the URL lacks refuses it (NOAUTH), a listener that is not Redis
// never answers it (the connect timeout then ends the attempt).
void RedisClient::sendSetup() {
  std::vector<std::pair<const char*, std::vector<std::string>>> steps;
  if (!url_.password.empty()) steps.emplace_back(kAuthStep, authCommand(url_));
  if (url_.db != 0) steps.emplace_back(kSelectStep, std::vector<std::string>{"SELECT", std::to_string(url_.db)});
  steps.emplace_back(kPingStep, std::vector<std::string>{"PING"});
  setupRepliesLeft_ = static_cast<int>(steps.size());
  for (const auto& [step, argv] : steps) sendArgv(ac_, &RedisClient::onSetupReply, const_cast<char*>(step), argv);
}

void RedisClient::onSetupReply(redisAsyncContext* ac, void* reply, void* privdata) {
  auto* self = static_cast<RedisClient*>(ac->data);
  // A NULL reply: the connection is going away, and the disconnect callback says why.
  if (self == nullptr || ac != self->ac_ || reply == nullptr) return;
  const auto* r = static_cast<const redisReply*>(reply);
  if (r->type == REDIS_REPLY_ERROR) {
    // Redis' error text names the problem, never the password ("WRONGPASS invalid username-password pair").
    self->abandon(std::string(static_cast<const char*>(privdata)) + ": " + std::string(r->str, r->len));
    return;
  }
  if (--self->setupRepliesLeft_ == 0) self->becomeReady();
}

void RedisClient::becomeReady() {
  ready_ = true;
  connectTimer_.cancel();
  backoff_ = options_.reconnectMin;
  lastReply_ = Clock::now();
  setStatus(true, "");
  scheduleWatch();
  if (upHandler_) upHandler_();
}

void RedisClient::scheduleWatch() {
  watchTimer_.expires_after(options_.keepAlive);
  watchTimer_.async_wait([self = shared_from_this(), attempt = attempts_](beast::error_code ec) {
    if (ec || self->stopped_ || self->attempts_ != attempt || !self->ready_) return;
    const auto now = Clock::now();
    if (!self->inFlight_.empty() && now - self->inFlight_.front() > self->options_.replyTimeout) {
      return self->abandon("no reply from " + endpoint(self->url_) + " within " +
                           std::to_string(self->options_.replyTimeout.count()) + " ms");
    }
    if (self->inFlight_.empty() && now - self->lastReply_ >= self->options_.keepAlive) {
      self->send({"PING"}, [](RedisResult) {});  // its reply, or its silence, is what counts
    }
    self->scheduleWatch();
  });
}

// Closes the current connection ourselves: a failed setup step, a timeout, stop().
void RedisClient::abandon(std::string reason) {
  redisAsyncContext* ac = ac_;
  if (ac == nullptr) return;
  abandonReason_ = reason;
  redisAsyncFree(ac);
  // A context that never connected gets no disconnect callback, and inside a reply callback the
  // free is deferred; either way the connection ends here. Otherwise onDisconnected ended it.
  if (ac_ != nullptr) connectionEnded(std::move(reason));
}

void RedisClient::onDisconnected(const redisAsyncContext* ac, int /*status*/) {
  auto* self = static_cast<RedisClient*>(ac->data);
  if (self == nullptr || ac != self->ac_) return;
  self->connectionEnded(self->abandonReason_.empty()
                            ? "connection to " + endpoint(self->url_) + " lost: " + (ac->err ? ac->errstr : "closed")
                            : self->abandonReason_);
}

// The current connection or attempt is over (its context freed or being freed): report it and
// plan the next attempt.
void RedisClient::connectionEnded(std::string reason) {
  ac_ = nullptr;
  adapter_.reset();  // its pending waits hold it until they see the cleanup
  connectTimer_.cancel();
  watchTimer_.cancel();
  inFlight_.clear();
  ready_ = false;
  if (stopped_) return;
  setStatus(false, reason);
  if (downHandler_) downHandler_(reason);
  scheduleReconnect();
}

void RedisClient::scheduleReconnect() {
  // Between half and all of the backoff ("equal jitter").
  const auto half = backoff_.count() / 2;
  const auto wait = std::chrono::milliseconds(half + std::uniform_int_distribution<long long>(0, half)(jitter_));
  backoff_ = std::min(backoff_ * 2, options_.reconnectMax);
  reconnectTimer_.expires_after(wait);
  reconnectTimer_.async_wait([self = shared_from_this(), attempt = attempts_](beast::error_code ec) {
    if (ec || self->stopped_ || self->attempts_ != attempt) return;
    self->connect();
  });
}

void RedisClient::command(std::vector<std::string> argv, std::function<void(RedisResult)> done) {
  net::post(strand_, [self = shared_from_this(), argv = std::move(argv), done = std::move(done)]() mutable {
    self->send(std::move(argv), std::move(done));
  });
}

void RedisClient::send(std::vector<std::string> argv, std::function<void(RedisResult)> done) {
  if (argv.empty()) return done(failure("empty redis command"));
  if (isSubscription(argv.front()))
    return done(failure("redis " + argv.front() + " is not supported on this client (it would answer more than once)"));
  if (!ready_) return done(failure("redis unavailable: " + status().reason));
  auto pending = std::make_unique<Pending>(Pending{std::move(done), Clock::now()});
  if (sendArgv(ac_, &RedisClient::onReply, pending.get(), argv) != REDIS_OK)
    return pending->done(failure("redis unavailable: the connection is closing"));
  pending.release();  // onReply owns it now: hiredis calls it exactly once, with NULL if the connection goes
  inFlight_.push_back(Clock::now());
}

void RedisClient::onReply(redisAsyncContext* ac, void* reply, void* privdata) {
  std::unique_ptr<Pending> pending(static_cast<Pending*>(privdata));
  auto* self = static_cast<RedisClient*>(ac->data);
  if (self == nullptr) return;  // destroyed with the io_context: nothing may run now
  if (!self->inFlight_.empty()) self->inFlight_.pop_front();
  self->lastReply_ = Clock::now();
  RedisResult result;
  if (reply != nullptr) {
    const std::chrono::duration<double, std::milli> roundTrip = Clock::now() - pending->sentAt;
    {
      std::lock_guard lock(self->statusMutex_);
      self->status_.lastRoundTripMs = roundTrip.count();
      self->status_.roundTripSeconds.observe(roundTrip.count() / 1000);
    }
    result.reply = copyRedisReply(*static_cast<const redisReply*>(reply));
  } else {
    const std::string reason = !self->abandonReason_.empty() ? self->abandonReason_
                               : ac->err                      ? std::string(ac->errstr)
                                                              : std::string("connection closed");
    result.error = "no reply from redis: " + reason;
  }
  pending->done(std::move(result));
}

}  // namespace huddle::server
